//! Demo mode: a synthetic provider with the 42 real institutions of Bremen's public allocation list,
//! made-up people, and logins printed at start. For trying Begleitbuch out; never for real data.

use begleitbuch_domain::ids::{InstitutionId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::{parse_allocation, Institution, InstitutionKind};
use begleitbuch_domain::people::Role;
use begleitbuch_store::{Store, UserRecord};
use uuid::Uuid;

use crate::auth::{self, now_millis};

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
pub async fn seed(store: &dyn Store) -> anyhow::Result<Vec<DemoLogin>> {
    let logins = accounts();
    if store.providers().await?.iter().any(|(_, name)| name == PROVIDER_NAME) {
        return Ok(logins);
    }
    let now = now_millis();
    let provider = ProviderId(Uuid::now_v7());
    store.create_provider(provider, PROVIDER_NAME, now).await?;

    let mut pools = Vec::new();
    for row in parse_allocation(ALLOCATION_CSV)? {
        let institution = Institution {
            id: InstitutionId(Uuid::now_v7()),
            provider,
            name: row.school,
            kind: InstitutionKind::School,
            region: row.region,
            systemic_year_levels: row.systemic_year_levels,
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
    let mut companions = 0;
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
        if login.role == Role::Companion {
            // Companions 1 and 2 share the first pool, 3 and 4 the second, …
            store.add_pool_member(pools[companions / 2], user.id, CONTRACT_MINUTES).await?;
            companions += 1;
        }
    }
    tracing::info!(institutions = pools.len(), accounts = logins.len(), "demo data seeded");
    Ok(logins)
}

/// The text printed at start in demo mode.
pub fn logins_text(logins: &[DemoLogin]) -> String {
    let mut text = format!("Demo-Modus: synthetische Daten. Passwort für alle Demo-Zugänge: {PASSWORD}\n");
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

    #[test]
    fn the_embedded_list_is_the_shared_one_and_parses() {
        let shared =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/bremen-systemic-schools-2026.csv");
        assert_eq!(
            ALLOCATION_CSV,
            std::fs::read_to_string(shared).expect("shared/ lies beside the repository")
        );
        assert_eq!(parse_allocation(ALLOCATION_CSV).unwrap().len(), 42);
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
}
