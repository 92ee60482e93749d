//! What a stored record says about where it belongs, whom it concerns and which days it covers. The
//! server derives these facts from every record it stores (they become indexed columns) and decides
//! visibility, authorization and week locks from them; nothing here is taken from the request.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde_json::Value;

use crate::calendar::Week;
use crate::ids::{ChildId, PoolId, UserId};
use crate::record::RecordKind;
use crate::record::RecordState;

/// The facts of one record, read from its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// The pool the record belongs to. Goals, consents and audit events belong to their child's pool,
    /// which only the server knows: for them this is `None` and the server fills it in.
    pub pool: Option<PoolId>,
    /// The people whose own record this is: the companion of a time entry, absence, cover grant or
    /// week review; every companion of a group session; an observation's author; an audit event's actor.
    pub owners: BTreeSet<UserId>,
    /// The child the record is about (a child record is about itself).
    pub child: Option<ChildId>,
    /// The first and last day the record covers, in Europe/Berlin.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// An observation parents may see.
    pub shareable: bool,
    /// An approved week review: no record of its companion in that week may change any more.
    pub locks: Option<(UserId, Week)>,
}

impl Facts {
    /// The ISO weeks of the record's days (at most two distinct weeks for a one-day record; every
    /// week of a longer range).
    ///
    /// A range longer than any record may have gives its two end weeks only: the record is refused
    /// anyway (`validate::date_range`), and whoever sends it must not make the server count weeks first.
    pub fn weeks(&self) -> BTreeSet<Week> {
        let mut weeks = BTreeSet::new();
        if let (Some(first), Some(last)) = (self.first_day, self.last_day) {
            weeks.insert(Week::of(first));
            weeks.insert(Week::of(last));
            if (last - first).num_days() <= i64::from(crate::validate::MAX_RANGE_DAYS) {
                let mut day = first;
                while day <= last {
                    weeks.insert(Week::of(day));
                    let Some(next) = day.checked_add_days(chrono::Days::new(7)) else { break };
                    day = next;
                }
            }
        }
        weeks
    }
}

fn field<T: serde::de::DeserializeOwned>(state: &RecordState, name: &str) -> Option<T> {
    state.fields.get(name).and_then(|value| serde_json::from_value(value.clone()).ok())
}

fn set_members<'a, T: std::str::FromStr>(state: &'a RecordState, name: &str) -> impl Iterator<Item = T> + 'a {
    state.sets.get(name).into_iter().flatten().filter_map(|member| member.parse().ok())
}

/// Reads the facts of `state`. Fields that are missing or malformed give no fact; `shape::check_record`
/// refuses such records before they are stored.
pub fn facts(state: &RecordState) -> Facts {
    let user = |name| field::<UserId>(state, name);
    // A day outside the app's range gives no fact (the record is refused by `check_record`): no date
    // arithmetic near the calendar's limits.
    let day =
        |name| field::<NaiveDate>(state, name).filter(|day| crate::validate::date_in_range(*day).is_ok());
    let mut facts = Facts { pool: field(state, "pool"), ..Facts::default() };
    match state.kind {
        RecordKind::TimeEntry | RecordKind::GroupSession | RecordKind::Observation => {
            facts.first_day = day("date");
            facts.last_day = facts.first_day;
        }
        RecordKind::Absence | RecordKind::CoverGrant => {
            facts.first_day = day("from");
            facts.last_day = day("until");
        }
        RecordKind::WeekReview => {
            // A week that names no real Monday (week 60, say) gives no days rather than a panic.
            let week = field::<Week>(state, "week");
            if let Some(monday) = week
                .and_then(|w| NaiveDate::from_isoywd_opt(w.year, w.number, chrono::Weekday::Mon))
                .filter(|monday| crate::validate::date_in_range(*monday).is_ok())
            {
                facts.first_day = Some(monday);
                facts.last_day = monday.checked_add_days(chrono::Days::new(6));
            }
        }
        RecordKind::Child
        | RecordKind::Goal
        | RecordKind::Consent
        | RecordKind::AuditEvent
        | RecordKind::Guardian => {}
    }
    match state.kind {
        RecordKind::TimeEntry | RecordKind::Absence | RecordKind::CoverGrant => {
            facts.owners.extend(user("companion"));
        }
        RecordKind::WeekReview => {
            facts.owners.extend(user("companion"));
            let approved = state.fields.get("status") == Some(&Value::from("approved"));
            if let (true, Some(companion), Some(monday)) = (approved, user("companion"), facts.first_day) {
                facts.locks = Some((companion, Week::of(monday)));
            }
        }
        RecordKind::GroupSession => {
            facts.owners.extend(set_members::<uuid::Uuid>(state, "companions").map(UserId))
        }
        RecordKind::Observation => {
            facts.owners.extend(user("author"));
            facts.child = field(state, "child");
            facts.shareable = state.fields.get("visibility") == Some(&Value::from("shareable"));
        }
        RecordKind::AuditEvent => {
            facts.owners.extend(user("actor"));
            facts.child = field(state, "child");
        }
        RecordKind::Goal | RecordKind::Consent => facts.child = field(state, "child"),
        RecordKind::Child => facts.child = Some(ChildId(state.id)),
        // A guardian belongs to no pool and to none of their children alone: no device pulls them.
        RecordKind::Guardian => {}
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DeviceId;
    use crate::merge::{apply, ApplyContext};
    use crate::protocol::{Mutation, Outcome, PROTOCOL_VERSION};
    use crate::record::Change;
    use serde_json::json;
    use std::collections::BTreeMap;
    use uuid::Uuid;

    fn created(kind: RecordKind, fields: Value, sets: &[(&str, &[&str])]) -> RecordState {
        let mutation = Mutation {
            device: DeviceId(Uuid::from_u128(9)),
            number: 1,
            user: UserId(Uuid::from_u128(1)),
            kind,
            record: Uuid::from_u128(77),
            base_version: 0,
            change: Change::Put {
                fields: fields.as_object().unwrap().clone().into_iter().collect(),
                sets: sets
                    .iter()
                    .map(|(name, add)| {
                        let add = add.iter().map(|m| m.to_string()).collect();
                        (name.to_string(), crate::record::SetDelta { add, remove: Default::default() })
                    })
                    .collect::<BTreeMap<_, _>>(),
            },
            payload_version: PROTOCOL_VERSION,
            id: None,
        };
        let (outcome, state) = apply(None, &mutation, &ApplyContext::default());
        assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
        state.unwrap()
    }

    const POOL: &str = "00000000-0000-0000-0000-0000000000aa";
    const ANNA: &str = "00000000-0000-0000-0000-000000000001";
    const BEN: &str = "00000000-0000-0000-0000-000000000002";
    const CHILD: &str = "00000000-0000-0000-0000-0000000000c1";

    #[test]
    fn a_session_belongs_to_every_companion_in_it() {
        let session = created(
            RecordKind::GroupSession,
            json!({"pool": POOL, "date": "2026-11-23", "start": "09:00:00", "duration_minutes": 45,
                   "kind": "conflict_resolution", "group": "2b", "unnamed_participants": 2, "note": ""}),
            &[("companions", &[ANNA, BEN]), ("children", &[CHILD])],
        );
        let facts = facts(&session);
        assert_eq!(facts.pool, Some(PoolId(POOL.parse().unwrap())));
        assert_eq!(facts.owners.len(), 2);
        assert_eq!(facts.first_day, NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(facts.child, None, "a session is about a group, not one child");
    }

    #[test]
    fn an_approved_review_locks_its_companions_week() {
        let fields = |status: &str| {
            json!({"pool": POOL, "companion": ANNA, "week": {"year": 2026, "number": 48}, "status": status, "comment": "",
                   "decided": null})
        };
        let approved = facts(&created(RecordKind::WeekReview, fields("approved"), &[]));
        let week = Week::of(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(approved.locks, Some((UserId(ANNA.parse().unwrap()), week)));
        assert_eq!(approved.weeks(), BTreeSet::from([week]));
        assert_eq!(facts(&created(RecordKind::WeekReview, fields("submitted"), &[])).locks, None);
    }

    #[test]
    fn an_observation_is_about_its_child_and_shareable_only_when_marked() {
        let observation = created(
            RecordKind::Observation,
            json!({"pool": POOL, "child": CHILD, "author": ANNA, "date": "2026-11-23", "goal": null,
                   "text": "Hat heute den Streit selbst geschlichtet.", "visibility": "internal"}),
            &[("domains", &["social_emotional"])],
        );
        let facts = facts(&observation);
        assert_eq!(facts.child, Some(ChildId(CHILD.parse().unwrap())));
        assert!(!facts.shareable);
        assert!(facts.owners.contains(&UserId(ANNA.parse().unwrap())));
    }

    #[test]
    fn an_absence_over_two_weeks_covers_both_weeks() {
        let absence = created(
            RecordKind::Absence,
            json!({"pool": POOL, "companion": ANNA, "from": "2026-11-26", "until": "2026-12-01", "reason": "sick"}),
            &[],
        );
        assert_eq!(facts(&absence).weeks().len(), 2);
    }
}
