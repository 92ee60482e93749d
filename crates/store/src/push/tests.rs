//! The push's decisions, case by case, without a database: each case gives the mutation, the stored
//! record and what the server has looked up, and names the decision.

use std::collections::{BTreeMap, BTreeSet};

use begleitbuch_domain::audit::{AuditAction, AuditEvent};
use begleitbuch_domain::authority::FieldRule;
use begleitbuch_domain::child::Goal;
use begleitbuch_domain::consent::{ConsentPurpose, ConsentState};
use begleitbuch_domain::ids::{
    AuditEventId, ConsentId, CoverGrantId, DeviceId, GoalId, ObservationId, ProviderId, TimeEntryId, UserId,
};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::{OfficeWrite, PROTOCOL_VERSION};
use begleitbuch_domain::record::{FieldMap, Record, SetDelta};
use begleitbuch_domain::review::{Absence, AbsenceReason, CoverGrant};
use begleitbuch_domain::work::{DirectKind, Observation, TimeCategory, TimeEntry, Visibility};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use uuid::Uuid;

use super::*;

const TABLET: DeviceId = DeviceId(Uuid::from_u128(0x7AB));
const ME: UserId = UserId(Uuid::from_u128(1));
const COLLEAGUE: UserId = UserId(Uuid::from_u128(2));
const PROVIDER: ProviderId = ProviderId(Uuid::from_u128(100));
const MY_POOL: PoolId = PoolId(Uuid::from_u128(10));
const OTHER_POOL: PoolId = PoolId(Uuid::from_u128(11));
const CHILD: ChildId = ChildId(Uuid::from_u128(50));

fn scope(role: Role) -> Scope {
    Scope {
        user: ME,
        role,
        provider: PROVIDER,
        pools: BTreeSet::from([MY_POOL]),
        provider_pools: BTreeSet::from([MY_POOL, OTHER_POOL]),
        children: BTreeSet::new(),
    }
}

/// Friday 27 November 2026, 10:00 in Berlin.
fn now() -> i64 {
    Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap().timestamp_millis()
}

fn thursday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn week() -> Week {
    Week::of(thursday())
}

fn entry(companion: UserId, pool: PoolId) -> TimeEntry {
    TimeEntry {
        id: TimeEntryId(Uuid::from_u128(0xE1)),
        pool,
        companion,
        date: thursday(),
        start: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        category: TimeCategory::Direct(DirectKind::Individual),
        note: String::new(),
    }
}

fn observation() -> Observation {
    Observation {
        id: ObservationId(Uuid::from_u128(0x0B)),
        pool: MY_POOL,
        child: CHILD,
        author: ME,
        date: thursday(),
        domains: BTreeSet::new(),
        goal: None,
        text: "Hat den Streit mit Worten gelöst.".into(),
        visibility: Visibility::Internal,
    }
}

/// `record` created by the user of the tablet, as mutation `number`.
fn create<T: Record>(record: &T, id: Uuid, number: u64) -> Mutation {
    let FieldMap { fields, sets } = FieldMap::of(T::KIND, record).unwrap();
    let sets =
        sets.into_iter().map(|(name, add)| (name, SetDelta { add, remove: BTreeSet::new() })).collect();
    Mutation {
        device: TABLET,
        number,
        user: ME,
        kind: T::KIND,
        record: id,
        base_version: 0,
        change: Change::Put { fields, sets },
        payload_version: PROTOCOL_VERSION,
        id: Some(Uuid::from_u128(u128::from(number) + 0x1000)),
    }
}

fn stored<T: Record>(record: &T, id: Uuid, pool: PoolId) -> StoredRecord {
    StoredRecord {
        provider: PROVIDER,
        pool: Some(pool),
        state: RecordState::first_version(T::KIND, id, record).unwrap(),
    }
}

/// Known: no approved week and nothing else.
fn weeks_known() -> Known {
    Known { locked_weeks: BTreeMap::from([(week(), BTreeSet::new())]), ..Known::default() }
}

fn decided(role: Role, mutation: &Mutation, current: Option<&StoredRecord>, known: &Known) -> Decision {
    decide(&scope(role), Writer::Tablet(TABLET), mutation, current, now(), known).unwrap()
}

fn refused(reason: RejectReason) -> Decision {
    Decision::Answer(Outcome::Rejected(reason))
}

fn consent(state: ConsentState) -> Consent {
    Consent {
        id: ConsentId(Uuid::from_u128(0xC0)),
        child: CHILD,
        purpose: ConsentPurpose::Documentation,
        text_version: "2026-08".into(),
        state,
        custodian: begleitbuch_domain::ids::GuardianId(Uuid::from_u128(0xCA)),
        at: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(),
        recorded_by: None,
        form: None,
    }
}

#[test]
fn a_mutation_in_someone_elses_name_is_refused_and_not_logged() {
    let mut mutation = create(&entry(ME, MY_POOL), Uuid::from_u128(0xE1), 1);
    mutation.user = COLLEAGUE;
    assert_eq!(
        decided(Role::Companion, &mutation, None, &Known::default()),
        Decision::Unlogged(Outcome::Rejected(RejectReason::Forbidden))
    );
}

#[test]
fn a_retry_is_answered_from_the_log_before_any_rule_is_asked_again() {
    let mutation = create(&entry(ME, MY_POOL), Uuid::from_u128(0xE1), 7);
    let logged = Outcome::Applied { version: 1 };
    let known = Known {
        answered: HashMap::from([(7, (fingerprint(&mutation).unwrap(), logged.clone()))]),
        ..Known::default()
    };
    // Nothing else is known (not even the week's locks): the log answers alone.
    assert_eq!(decided(Role::Companion, &mutation, None, &known), Decision::Unlogged(logged));

    let mut other = mutation.clone();
    other.id = Some(Uuid::from_u128(0xD1FF));
    assert_eq!(
        decided(Role::Companion, &other, None, &known),
        Decision::Unlogged(Outcome::Rejected(RejectReason::NumberReused))
    );
}

#[test]
fn the_locks_of_the_weeks_a_change_touches_are_looked_up_then_decide() {
    let mutation = create(&entry(ME, MY_POOL), Uuid::from_u128(0xE1), 1);
    assert_eq!(
        decided(Role::Companion, &mutation, None, &Known::default()),
        Decision::Look(Lookup::LockedWeeks(BTreeSet::from([week()])))
    );
    let Decision::Write { outcome, next, facts } = decided(Role::Companion, &mutation, None, &weeks_known())
    else {
        panic!("an own entry in an open week is written")
    };
    assert_eq!(outcome, Outcome::Applied { version: 1 });
    assert_eq!((next.version, facts.pool), (1, Some(MY_POOL)));

    let mut approved = weeks_known();
    approved.locked_weeks.insert(week(), BTreeSet::from([ME]));
    assert_eq!(decided(Role::Companion, &mutation, None, &approved), refused(RejectReason::WeekLocked));
}

#[test]
fn a_record_the_user_may_not_change_is_refused_before_its_result_is_computed() {
    let id = Uuid::from_u128(0xE2);
    let theirs = stored(&entry(COLLEAGUE, OTHER_POOL), id, OTHER_POOL);
    let mut mutation = create(&entry(COLLEAGUE, OTHER_POOL), id, 1);
    mutation.base_version = 1;
    mutation.change = Change::Delete;
    // Refused with nothing looked up: the stored record alone decides.
    assert_eq!(
        decided(Role::Companion, &mutation, Some(&theirs), &Known::default()),
        refused(RejectReason::Forbidden)
    );
}

#[test]
fn an_entry_created_in_a_colleagues_name_is_not_the_users_to_create() {
    let mutation = create(&entry(COLLEAGUE, MY_POOL), Uuid::from_u128(0xE3), 1);
    assert_eq!(decided(Role::Companion, &mutation, None, &weeks_known()), refused(RejectReason::Forbidden));
}

#[test]
fn an_observation_waits_for_its_childs_consents_and_is_refused_without_them() {
    let mutation = create(&observation(), Uuid::from_u128(0x0B), 1);
    let known = weeks_known();
    assert_eq!(
        decided(Role::Companion, &mutation, None, &known),
        Decision::Look(Lookup::Consents(BTreeSet::from([CHILD])))
    );
    let none = Known { consents: HashMap::from([(CHILD, Vec::new())]), ..weeks_known() };
    assert_eq!(decided(Role::Companion, &mutation, None, &none), refused(RejectReason::ConsentMissing));
    let withdrawn =
        Known { consents: HashMap::from([(CHILD, vec![consent(ConsentState::Withdrawn)])]), ..weeks_known() };
    assert_eq!(decided(Role::Companion, &mutation, None, &withdrawn), refused(RejectReason::ConsentMissing));
    let granted =
        Known { consents: HashMap::from([(CHILD, vec![consent(ConsentState::Granted)])]), ..weeks_known() };
    assert!(matches!(decided(Role::Companion, &mutation, None, &granted), Decision::Write { .. }));
}

#[test]
fn a_goal_takes_its_childs_pool_which_is_looked_up() {
    let goal = Goal {
        id: GoalId(Uuid::from_u128(0x60)),
        child: CHILD,
        title: "Konflikte lösen".into(),
        active: true,
    };
    let mutation = create(&goal, goal.id.0, 1);
    assert_eq!(
        decided(Role::TeamLead, &mutation, None, &Known::default()),
        Decision::Look(Lookup::ChildPool(CHILD))
    );
    let known = Known { child_pools: HashMap::from([(CHILD, Some(OTHER_POOL))]), ..Known::default() };
    let Decision::Write { facts, .. } = decided(Role::TeamLead, &mutation, None, &known) else {
        panic!("a team lead sets goals for any child of the provider")
    };
    assert_eq!(facts.pool, Some(OTHER_POOL));
    // A companion of another pool may not.
    assert_eq!(decided(Role::Companion, &mutation, None, &known), refused(RejectReason::Forbidden));
}

#[test]
fn a_team_leads_absence_for_a_companion_asks_the_tables_whether_they_are_in_the_pool() {
    let absence = Absence {
        id: begleitbuch_domain::ids::AbsenceId(Uuid::from_u128(0xAB)),
        pool: MY_POOL,
        companion: COLLEAGUE,
        from: thursday(),
        until: thursday(),
        reason: AbsenceReason::Sick,
    };
    let mutation = create(&absence, absence.id.0, 1);
    let member = Fact::MemberOfPool { user: COLLEAGUE, pool: MY_POOL };
    // Absences are not locked by an approved week, but their weeks are asked like any record's.
    assert_eq!(
        decided(Role::TeamLead, &mutation, None, &weeks_known()),
        Decision::Look(Lookup::Fact(member.clone()))
    );
    let not_a_member = Known { facts: vec![(member.clone(), false)], ..weeks_known() };
    assert_eq!(
        decided(Role::TeamLead, &mutation, None, &not_a_member),
        refused(RejectReason::FieldRefused { field: "companion".into(), rule: FieldRule::PoolMember })
    );
    let a_member = Known { facts: vec![(member, true)], ..weeks_known() };
    assert!(matches!(decided(Role::TeamLead, &mutation, None, &a_member), Decision::Write { .. }));
}

#[test]
fn a_change_that_changes_nothing_is_answered_without_a_write() {
    let id = Uuid::from_u128(0xE1);
    let mine = stored(&entry(ME, MY_POOL), id, MY_POOL);
    let mut again = create(&entry(ME, MY_POOL), id, 2);
    again.base_version = 1;
    assert_eq!(
        decided(Role::Companion, &again, Some(&mine), &weeks_known()),
        Decision::Answer(Outcome::Applied { version: 1 })
    );
}

#[test]
fn work_dated_after_the_servers_day_is_refused() {
    let mut later = entry(ME, MY_POOL);
    later.date = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let mutation = create(&later, Uuid::from_u128(0xE4), 1);
    let known =
        Known { locked_weeks: BTreeMap::from([(Week::of(later.date), BTreeSet::new())]), ..Known::default() };
    assert!(matches!(
        decided(Role::Companion, &mutation, None, &known),
        Decision::Answer(Outcome::Rejected(RejectReason::Invalid { .. }))
    ));
}

/// `record` created in the office by the user, as an online write with this change id.
fn office_create<T: Record>(record: &T, id: Uuid, change_id: u128) -> Mutation {
    let Some(change) = Change::between(None, record) else { unreachable!("a new record is a change") };
    OfficeWrite { id: Uuid::from_u128(change_id), kind: T::KIND, record: id, base_version: 0, change }
        .into_mutation(ME)
}

fn cover_for_colleague() -> CoverGrant {
    CoverGrant {
        id: CoverGrantId(Uuid::from_u128(0xC6)),
        pool: OTHER_POOL,
        companion: COLLEAGUE,
        from: thursday(),
        until: thursday(),
        absence: None,
    }
}

#[test]
fn an_office_write_goes_through_the_same_rules_as_a_push() {
    let grant = office_create(&cover_for_colleague(), Uuid::from_u128(0xC6), 0xAB);
    let office =
        |role, known: &Known| decide(&scope(role), Writer::Office, &grant, None, now(), known).unwrap();
    let known = Known { facts: vec![(Fact::ActiveCompanion { user: COLLEAGUE }, true)], ..weeks_known() };
    // A team lead grants cover in another pool of the provider; a companion may not.
    assert!(matches!(office(Role::TeamLead, &known), Decision::Write { .. }));
    assert_eq!(office(Role::Companion, &known), refused(RejectReason::Forbidden));
    // The same change from a tablet is not the office's, and the office's is not a tablet's.
    let from_tablet = decide(&scope(Role::TeamLead), Writer::Tablet(TABLET), &grant, None, now(), &known);
    assert_eq!(from_tablet.unwrap(), Decision::Unlogged(Outcome::Rejected(RejectReason::Forbidden)));
    let tablet_grant = create(&cover_for_colleague(), Uuid::from_u128(0xC6), 3);
    let as_office = decide(&scope(Role::TeamLead), Writer::Office, &tablet_grant, None, now(), &known);
    assert_eq!(as_office.unwrap(), Decision::Unlogged(Outcome::Rejected(RejectReason::Forbidden)));
}

#[test]
fn the_office_writes_no_audit_event() {
    let event = AuditEvent {
        id: AuditEventId(Uuid::from_u128(0xAE)),
        actor: ME,
        device: TABLET,
        at: Utc.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).unwrap(),
        action: AuditAction::ViewChild,
        child: Some(CHILD),
    };
    let mutation = office_create(&event, Uuid::from_u128(0xAE), 0xAC);
    assert_eq!(
        decide(&scope(Role::Admin), Writer::Office, &mutation, None, now(), &Known::default()).unwrap(),
        Decision::Unlogged(Outcome::Rejected(RejectReason::Forbidden))
    );
}

#[test]
fn an_office_retry_carries_the_same_number_and_another_change_does_not() {
    let first = office_create(&cover_for_colleague(), Uuid::from_u128(0xC6), 0xAB);
    assert_eq!(first.number, office_create(&cover_for_colleague(), Uuid::from_u128(0xC6), 0xAB).number);
    assert_ne!(first.number, office_create(&cover_for_colleague(), Uuid::from_u128(0xC6), 0xAD).number);
    assert!(i64::try_from(first.number).is_ok(), "the database holds it");
}
