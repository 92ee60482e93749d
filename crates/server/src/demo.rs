//! Demo mode: a synthetic provider with the 42 real institutions of Bremen's public allocation list,
//! made-up people, and logins printed at start. For trying Begleitbuch out; never for real data.

use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::child::{Child, Goal, LegalBasis, SupportStatus};
use begleitbuch_domain::consent::{Consent, ConsentPurpose, ConsentState, PaperForm};
use begleitbuch_domain::guardian::Guardian;
use begleitbuch_domain::ids::{
    ChildId, ConsentId, GoalId, GuardianId, InstitutionId, MembershipId, PoolId, ProviderId, SessionId,
    TimeEntryId, UserId,
};
use begleitbuch_domain::org::{parse_allocation, Institution, InstitutionKind, NewMembership};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use begleitbuch_domain::work::{
    DirectKind, GroupSession, IndirectKind, SessionKind, TimeCategory, TimeEntry,
};
use begleitbuch_store::{Store, UserRecord};
use chrono::{Datelike, NaiveDate, NaiveTime};
use uuid::Uuid;

use crate::auth;
use crate::clock::Clock;

pub const PROVIDER_NAME: &str = "Demo-Träger Bremen (synthetische Daten)";
/// The password of every demo account. Demo mode only: outside it there is no built-in password.
pub const PASSWORD: &str = "demo-begleitbuch";
/// The allocation list is for the school year 2026/27.
pub const SCHOOL_YEAR: i32 = 2026;
const ALLOCATION_CSV: &str = include_str!("../demo/bremen-systemic-schools-2026.csv");
/// Companions in the demo; the first pools get two each, so sessions can have co-companions.
const COMPANIONS: usize = 12;
// Every pair of companions needs a pool of its own among the 42 institutions.
const _: () = assert!(COMPANIONS.div_ceil(2) <= 42);
/// A full-time week of 39 hours; demo contracts are 30 hours.
const CONTRACT_MINUTES: u32 = 30 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub login: String,
    pub display_name: String,
}

fn accounts() -> Vec<DemoLogin> {
    let mut logins = vec![
        DemoLogin { role: Role::Admin, login: "admin".into(), display_name: "Admin (Demo)".into() },
        DemoLogin {
            role: Role::TeamLead,
            login: "teamleitung".into(),
            display_name: "Teamleitung (Demo)".into(),
        },
    ];
    for n in 1..=COMPANIONS {
        logins.push(DemoLogin {
            role: Role::Companion,
            login: format!("begleitung{n:02}"),
            display_name: format!("Begleitung {n:02} (Demo)"),
        });
    }
    logins.push(DemoLogin {
        role: Role::Parent,
        login: "eltern01".into(),
        display_name: "Eltern 01 (Demo)".into(),
    });
    logins
}

/// Seeds the demo provider unless it exists, and returns the demo logins either way.
pub async fn seed(store: &dyn Store, clock: Clock) -> anyhow::Result<Vec<DemoLogin>> {
    let logins = accounts();
    if store.providers().await?.iter().any(|(_, name)| name == PROVIDER_NAME) {
        return Ok(logins);
    }
    let now = clock.now_millis();
    let provider = ProviderId(Uuid::now_v7());
    store.create_provider(provider, PROVIDER_NAME, now).await?;

    let mut pools = Vec::new();
    let rows = parse_allocation(ALLOCATION_CSV)
        .map_err(|errors| anyhow::anyhow!("the demo's allocation list: {errors:?}"))?;
    for row in rows {
        let institution = Institution {
            id: InstitutionId(Uuid::now_v7()),
            provider,
            name: row.school,
            kind: InstitutionKind::School,
            region: row.region,
            year_levels: row.systemic_year_levels.resolve(&[]),
            groups: Vec::new(),
            fte: [(SCHOOL_YEAR, row.fte)].into(),
        };
        store.create_institution(&institution, now).await?;
        let pool = PoolId(Uuid::now_v7());
        store.create_pool(pool, provider, institution.id, SCHOOL_YEAR, now).await?;
        pools.push(pool);
    }

    // One hash for all demo accounts: they share the demo password anyway, and 15 argon2 runs would
    // slow every demo start for nothing.
    let password_hash = tokio::task::spawn_blocking(|| auth::hash_password(PASSWORD)).await?;
    // Everyone works in their pool from the school year's first day.
    let joins = |pool, person| NewMembership {
        pool,
        person,
        contract_minutes_per_week: CONTRACT_MINUTES,
        first_day: SchoolYear { start_year: SCHOOL_YEAR }.first_day(),
    };
    let mut companions = Vec::new();
    let mut admin = None;
    let mut parent = None;
    for login in &logins {
        let user = UserRecord {
            id: UserId(Uuid::now_v7()),
            provider,
            login: login.login.clone(),
            display_name: login.display_name.clone(),
            role: login.role,
            password_hash: password_hash.clone(),
            must_change_password: false,
            disabled: false,
        };
        store.create_user(&user, now).await?;
        match login.role {
            Role::Companion => {
                // Companions 1 and 2 share the first pool, 3 and 4 the second, …
                let pool = pools[companions.len() / 2];
                store.add_membership(MembershipId(Uuid::now_v7()), &joins(pool, user.id), now).await?;
                companions.push((user.id, pool));
            }
            Role::TeamLead => {
                store.add_membership(MembershipId(Uuid::now_v7()), &joins(pools[0], user.id), now).await?;
            }
            Role::Admin => admin = Some(user.id),
            Role::Parent => parent = Some(user.id),
        }
    }
    let (admin, parent) =
        admin.zip(parent).ok_or_else(|| anyhow::anyhow!("the demo needs an admin and a parent"))?;
    let demo = records(&companions, parent, clock.now()).map_err(|e| anyhow::anyhow!("demo records: {e}"))?;
    store.import_records(provider, admin, &demo.records, now).await?;
    store.link_parent(parent, demo.parents_child, now).await?;
    tracing::info!(
        institutions = pools.len(),
        accounts = logins.len(),
        records = demo.records.len(),
        "demo data seeded"
    );
    Ok(logins)
}

/// The demo's records: children, goals, consents and three weeks of work.
pub struct DemoRecords {
    pub records: Vec<RecordState>,
    /// The child of the demo parent.
    pub parents_child: ChildId,
}

/// Pseudonyms, as a provider would use them where parents did not consent to naming.
const CHILD_NAMES: [&str; 8] =
    ["Kind A.", "Kind B.", "Kind C.", "Kind D.", "Kind E.", "Kind F.", "Kind G.", "Kind H."];

/// Builds the demo's records for the companions' pools: four children per pool with mixed legal bases
/// (one approved but unsupplied), a goal each, consents (the fourth child has none: observations about
/// it are refused), and, for every companion, the last three weeks of school days with time entries
/// and a shared group session with their pool partner.
pub fn records(
    companions: &[(UserId, PoolId)],
    parent: UserId,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<DemoRecords, String> {
    let today = begleitbuch_domain::calendar::berlin_date(now);
    let id = || Uuid::now_v7();
    let mut records = Vec::new();
    let mut parents_child = None;
    let mut pools: Vec<PoolId> = companions.iter().map(|(_, pool)| *pool).collect();
    pools.dedup();
    let first_day = today - chrono::Duration::days(21);
    let consent_at = now - chrono::Duration::days(60);
    for (index, pool) in pools.iter().enumerate() {
        let mut pool_children = Vec::new();
        for n in 0..4 {
            let child = Child {
                id: ChildId(id()),
                pool: *pool,
                display_name: CHILD_NAMES[(index + n) % CHILD_NAMES.len()].into(),
                group: format!("{}{}", 1 + n % 2, ['a', 'b'][n % 2]),
                legal_basis: [
                    LegalBasis::Sgb8Section35a,
                    LegalBasis::Sgb9Section112,
                    LegalBasis::SystemicOnly,
                    LegalBasis::Sgb8Section35a,
                ][n],
                approved_minutes_per_week: [Some(600), Some(900), None, Some(450)][n],
                status: if n == 3 { SupportStatus::Unsupplied } else { SupportStatus::Supported },
                // Individual entitlements approved in July, a week apart; the systemic child has none.
                approved_on: if n == 2 {
                    None
                } else {
                    NaiveDate::from_ymd_opt(crate::demo::SCHOOL_YEAR, 7, 1 + 7 * n as u32)
                },
                since: NaiveDate::from_ymd_opt(crate::demo::SCHOOL_YEAR, 8, 20).ok_or("date")?,
                until: None,
            };
            records.push(RecordState::first_version(RecordKind::Child, child.id.0, &child)?);
            let goal = Goal {
                id: GoalId(id()),
                child: child.id,
                title: "Konflikte mit Worten lösen".into(),
                active: true,
            };
            records.push(RecordState::first_version(RecordKind::Goal, goal.id.0, &goal)?);
            if parents_child.is_none() {
                parents_child = Some(child.id);
            }
            // Consents recorded from paper forms, each child's guardian on record; the parent of the
            // first child gave theirs in the app (their guardian record is their account's, made by
            // `link_parent`).
            let online = index == 0 && n == 0;
            let custodian = if online {
                GuardianId(parent.0)
            } else {
                let guardian = Guardian {
                    id: GuardianId(id()),
                    name: format!("Eltern von {}", child.display_name),
                    contact: String::new(),
                    children: [child.id].into(),
                };
                records.push(RecordState::first_version(RecordKind::Guardian, guardian.id.0, &guardian)?);
                guardian.id
            };
            let form = (!online).then(|| PaperForm {
                reference: format!("EV-{}-{:03}", crate::demo::SCHOOL_YEAR, index * 4 + n + 1),
                signed_on: consent_at.date_naive(),
            });
            let purposes: &[ConsentPurpose] = match n {
                0 | 1 => {
                    &[ConsentPurpose::Documentation, ConsentPurpose::Naming, ConsentPurpose::ParentSummary]
                }
                2 => &[ConsentPurpose::Documentation],
                _ => &[],
            };
            for purpose in purposes {
                let consent = Consent {
                    id: ConsentId(id()),
                    child: child.id,
                    purpose: *purpose,
                    text_version: begleitbuch_domain::consent::TEXT_VERSION.into(),
                    state: ConsentState::Granted,
                    custodian,
                    at: consent_at,
                    recorded_by: None,
                    form: form.clone(),
                };
                records.push(RecordState::first_version(RecordKind::Consent, consent.id.0, &consent)?);
            }
            pool_children.push(child.id);
        }
        let partners: Vec<UserId> =
            companions.iter().filter(|(_, p)| p == pool).map(|(user, _)| *user).collect();
        let mut day = first_day;
        while day < today {
            if day.weekday().number_from_monday() <= 5 {
                for companion in &partners {
                    for (start, end, category) in [
                        ((7, 45), (8, 0), TimeCategory::Indirect(IndirectKind::Preparation)),
                        ((8, 0), (9, 30), TimeCategory::Direct(DirectKind::Individual)),
                        ((11, 45), (12, 30), TimeCategory::Direct(DirectKind::Class)),
                        ((13, 0), (13, 30), TimeCategory::Indirect(IndirectKind::Documentation)),
                    ] {
                        let time = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).ok_or("time");
                        let entry = TimeEntry {
                            id: TimeEntryId(id()),
                            pool: *pool,
                            companion: *companion,
                            date: day,
                            start: time(start)?,
                            end: time(end)?,
                            category,
                            note: String::new(),
                        };
                        records.push(RecordState::first_version(RecordKind::TimeEntry, entry.id.0, &entry)?);
                    }
                }
                // The pool's companions run a social-emotional learning group together at 10:00.
                let session = GroupSession {
                    id: SessionId(id()),
                    pool: *pool,
                    date: day,
                    start: NaiveTime::from_hms_opt(10, 0, 0).ok_or("time")?,
                    duration_minutes: 45,
                    kind: SessionKind::SocialEmotionalLearning,
                    group: "1a".into(),
                    children: pool_children[..2].iter().copied().collect(),
                    unnamed_participants: 3,
                    companions: partners.iter().copied().collect(),
                    note: String::new(),
                };
                records.push(RecordState::first_version(RecordKind::GroupSession, session.id.0, &session)?);
            }
            day += chrono::Duration::days(1);
        }
    }
    Ok(DemoRecords { records, parents_child: parents_child.ok_or("the demo needs a pool")? })
}

/// The text printed at start in demo mode.
pub fn logins_text(logins: &[DemoLogin]) -> String {
    use begleitbuch_domain::account::WayIn;
    // Where each signs in: companions on the tablet app, team leads and the admin in the office,
    // parents on their pages.
    let mut text = format!(
        "Demo-Modus: synthetische Daten. Passwort für alle Demo-Zugänge: {PASSWORD} \
         (Schulbegleitung: {}, Teamleitung und Admin: {}, Eltern: {})\n",
        WayIn::Tablet.path(),
        WayIn::Office.path(),
        WayIn::Parents.path()
    );
    for (role, label) in [
        (Role::Admin, "Admin"),
        (Role::TeamLead, "Teamleitung"),
        (Role::Companion, "Schulbegleitung"),
        (Role::Parent, "Eltern"),
    ] {
        let names: Vec<&str> = logins.iter().filter(|l| l.role == role).map(|l| l.login.as_str()).collect();
        text.push_str(&format!("  {label:<16} {}\n", names.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::org::ListedLevels;

    /// The real allocation list of Bremen's systemic schools (Senate answer of May 2026, kept in
    /// `demo/`): every row parses, and the total is the 73.33 FTE the table adds up to.
    #[test]
    fn the_bremen_allocation_list_parses_exactly() {
        let rows = parse_allocation(ALLOCATION_CSV).unwrap();
        assert_eq!(rows.len(), 42);
        assert_eq!(rows.iter().map(|row| row.fte.0).sum::<u32>(), 7333);
        assert!(rows.iter().all(|row| matches!(row.systemic_year_levels, ListedLevels::Count(1 | 2 | 4))));
        assert_eq!(
            rows[0],
            begleitbuch_domain::org::AllocationRow {
                line: 2,
                region: "Nord".into(),
                school: "Schule am Wasser".into(),
                systemic_year_levels: ListedLevels::Count(4),
                fte: begleitbuch_domain::org::Fte(330),
            }
        );
    }

    #[test]
    fn every_role_has_a_demo_login_and_companions_fill_pools_in_pairs() {
        let logins = accounts();
        for role in Role::ALL {
            assert!(logins.iter().any(|l| l.role == role), "{role:?}");
        }
        let text = logins_text(&logins);
        assert!(text.contains("begleitung01, begleitung02") && text.contains(PASSWORD));
    }

    #[test]
    fn demo_records_pass_the_domain_rules_and_cover_three_weeks() {
        let user = |n| UserId(Uuid::from_u128(n));
        let pool = |n: u128| PoolId(Uuid::from_u128(100 + n));
        let companions = [(user(1), pool(1)), (user(2), pool(1)), (user(3), pool(2))];
        // Monday 23 November 2026, 10:00 in Berlin.
        let now = "2026-11-23T09:00:00Z".parse().unwrap();
        let demo = records(&companions, user(9), now).unwrap();
        let count = |kind| demo.records.iter().filter(|r| r.kind == kind).count();
        assert_eq!(count(RecordKind::Child), 8);
        // 15 school days in the three weeks before a Monday, four entries a day for each companion.
        assert_eq!(count(RecordKind::TimeEntry), 15 * 4 * 3);
        assert_eq!(count(RecordKind::GroupSession), 15 * 2);
        let unsupplied =
            demo.records.iter().filter(|r| r.kind == RecordKind::Child && r.fields["status"] == "unsupplied");
        assert_eq!(unsupplied.count(), 2);
        assert!(demo
            .records
            .iter()
            .any(|r| r.kind == RecordKind::Consent && r.fields["custodian"] == serde_json::json!(user(9))));
    }
}
