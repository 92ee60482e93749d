//! What a caller may write *into* a record, field by field. `access` decides which records a role may
//! touch at all; this module decides, for a change it allows, whose names the fields may carry, which
//! fields never change, which status transitions are whose decision, and which fields the server
//! stamps itself. Pure: what only the database knows (pool membership, guardianship) comes back as
//! [`Need`]s the server checks before storing.

use crate::code::coded_enum;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{ChildId, DeviceId, GuardianId, PoolId, UserId};
use crate::people::Role;
use crate::record::{Change, RecordKind, RecordState, Stamp};
use crate::review::ReviewStatus;

coded_enum! {
    /// Which rule a refused field broke; travels as a code in the refusal.
    pub enum FieldRule {
        /// The field must name the person making the change (an author, an actor, a companion's own
        /// record, a parent's own declaration).
        Caller = "caller",
        /// Set when the record was created; never changed afterwards.
        Fixed = "fixed",
        /// Approving or returning a week is a team lead's or admin's decision about someone else's week.
        Decision = "decision",
        /// The person named must be a member of the record's pool.
        PoolMember = "pool_member",
        /// The person named must be an active companion of the provider.
        Companion = "companion",
        /// The custodian must be a guardian the provider recorded for the child.
        Guardian = "guardian",
        /// A declaration recorded by a team lead names the signed paper form it comes from; a
        /// guardian's own declaration names none.
        Form = "form",
        /// The child named must be one of the provider's children.
        ProviderChild = "provider_child",
    }
}

/// A refused field and the rule it broke.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field} breaks the rule {rule:?}")]
pub struct FieldRefusal {
    pub field: String,
    pub rule: FieldRule,
}

/// What the server must confirm from its own tables before the change may be stored; if a need is not
/// met, the change is refused for `field` under `rule`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub field: &'static str,
    pub rule: FieldRule,
    pub fact: Fact,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    MemberOfPool {
        user: UserId,
        pool: PoolId,
    },
    ActiveCompanion {
        user: UserId,
    },
    /// A guardian record of the caller's provider that lists the child.
    GuardianOf {
        guardian: GuardianId,
        child: ChildId,
    },
    /// A child record of the caller's provider.
    ProviderChild {
        child: ChildId,
    },
}

/// The person making a change, as the server knows them (never from the request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub user: UserId,
    pub role: Role,
    /// The tablet the change came from; `None` for the office, which writes online.
    pub device: Option<DeviceId>,
}

impl Caller {
    fn manages(self) -> bool {
        matches!(self.role, Role::TeamLead | Role::Admin)
    }
}

/// Fields that never change once the record exists: whom and what it is about.
fn fixed_fields(kind: RecordKind) -> &'static [&'static str] {
    match kind {
        RecordKind::TimeEntry | RecordKind::Absence | RecordKind::CoverGrant => &["companion"],
        RecordKind::Observation => &["author", "child"],
        RecordKind::WeekReview => &["companion", "week"],
        RecordKind::Goal => &["child"],
        RecordKind::Consent => {
            &["child", "purpose", "custodian", "state", "text_version", "at", "recorded_by", "form"]
        }
        RecordKind::AuditEvent => &["actor", "device", "at", "action", "child"],
        RecordKind::GroupSession | RecordKind::Child | RecordKind::Guardian => &[],
    }
}

/// Sets the fields the server decides itself, in a change it received at `now` from `caller`, before
/// the change is applied: a week's decision stamp, a consent declaration's time and recorder, an
/// audit event's device. Whatever the client sent there is replaced.
pub fn stamp(
    caller: Caller,
    kind: RecordKind,
    current: Option<&RecordState>,
    change: &mut Change,
    now: DateTime<Utc>,
) {
    let Change::Put { fields, .. } = change else { return };
    match kind {
        RecordKind::WeekReview => {
            let status = fields.get("status").or_else(|| current.and_then(|c| c.fields.get("status")));
            let changed = current.is_none_or(|c| c.fields.get("status") != status);
            let decided = serde_json::from_value::<ReviewStatus>(status.cloned().unwrap_or(Value::Null)).ok();
            if changed {
                let stamp = match decided {
                    Some(ReviewStatus::Approved | ReviewStatus::Returned) => {
                        serde_json::to_value(Stamp { by: caller.user, at: now }).unwrap_or(Value::Null)
                    }
                    _ => Value::Null,
                };
                fields.insert("decided".into(), stamp);
            } else {
                // Nobody rewrites who decided: the stamp stays as it is.
                fields.remove("decided");
            }
        }
        RecordKind::Consent if current.is_none() => {
            fields.insert("at".into(), Value::from(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)));
            fields.insert("recorded_by".into(), Value::from(caller.user.to_string()));
        }
        RecordKind::AuditEvent if current.is_none() => {
            // No device (the office) leaves none, and the record's shape check refuses it.
            let device = caller.device.map_or(Value::Null, |device| Value::from(device.to_string()));
            fields.insert("device".into(), device);
        }
        _ => {}
    }
}

/// Checks the fields of `next` (the record as the change would leave it) against `current` (stored,
/// `None` when created) for `caller`. Returns what the server must still confirm from its tables.
pub fn check(
    caller: Caller,
    current: Option<&RecordState>,
    next: &RecordState,
) -> Result<Vec<Need>, FieldRefusal> {
    let refuse = |field: &str, rule| Err(FieldRefusal { field: field.to_owned(), rule });
    let user = |state: &RecordState, name: &str| field::<UserId>(state, name);
    let kind = next.kind;
    if let Some(current) = current {
        for name in fixed_fields(kind) {
            if current.fields.get(*name) != next.fields.get(*name) {
                return refuse(name, FieldRule::Fixed);
            }
        }
    }
    let created = current.is_none();
    let mut needs = Vec::new();
    let pool = field::<PoolId>(next, "pool");
    match kind {
        RecordKind::TimeEntry if created && user(next, "companion") != Some(caller.user) => {
            return refuse("companion", FieldRule::Caller);
        }
        RecordKind::Observation if created && user(next, "author") != Some(caller.user) => {
            return refuse("author", FieldRule::Caller);
        }
        RecordKind::AuditEvent if created && user(next, "actor") != Some(caller.user) => {
            return refuse("actor", FieldRule::Caller);
        }
        RecordKind::GroupSession
            if created
                && !next.sets.get("companions").is_some_and(|c| c.contains(&caller.user.to_string())) =>
        {
            return refuse("companions", FieldRule::Caller);
        }
        RecordKind::Absence | RecordKind::WeekReview if created => {
            let companion = user(next, "companion");
            match (companion, pool) {
                (Some(companion), _) if companion == caller.user => {}
                (Some(companion), Some(pool)) if caller.manages() => {
                    needs.push(Need {
                        field: "companion",
                        rule: FieldRule::PoolMember,
                        fact: Fact::MemberOfPool { user: companion, pool },
                    });
                }
                _ => return refuse("companion", FieldRule::Caller),
            }
        }
        RecordKind::CoverGrant if created => match user(next, "companion") {
            Some(companion) => needs.push(Need {
                field: "companion",
                rule: FieldRule::Companion,
                fact: Fact::ActiveCompanion { user: companion },
            }),
            None => return refuse("companion", FieldRule::Companion),
        },
        RecordKind::Consent if created => {
            let (Some(custodian), Some(child)) =
                (field::<GuardianId>(next, "custodian"), field::<ChildId>(next, "child"))
            else {
                return refuse("custodian", FieldRule::Guardian);
            };
            let on_paper = next.fields.get("form").is_some_and(|form| !form.is_null());
            if caller.role == Role::Parent {
                if custodian.0 != caller.user.0 {
                    return refuse("custodian", FieldRule::Caller);
                }
                if on_paper {
                    return refuse("form", FieldRule::Form);
                }
            } else if !on_paper {
                return refuse("form", FieldRule::Form);
            }
            needs.push(Need {
                field: "custodian",
                rule: FieldRule::Guardian,
                fact: Fact::GuardianOf { guardian: custodian, child },
            });
        }
        RecordKind::Guardian => {
            // Each child newly linked must be the provider's (a link cannot reach another provider's
            // child, whose id someone may have learned).
            let members = |state: &RecordState| state.sets.get("children").cloned().unwrap_or_default();
            let before = current.map(members).unwrap_or_default();
            for member in members(next).difference(&before) {
                let Ok(child) = member.parse().map(ChildId) else {
                    return refuse("children", FieldRule::ProviderChild);
                };
                needs.push(Need {
                    field: "children",
                    rule: FieldRule::ProviderChild,
                    fact: Fact::ProviderChild { child },
                });
            }
        }
        _ => {}
    }
    if kind == RecordKind::WeekReview {
        check_review_status(caller, current, next)?;
    }
    Ok(needs)
}

/// A companion hands in their week and may take it back while it is not decided; approving and
/// returning are someone else's decision (a team lead's or admin's), never about their own week.
fn check_review_status(
    caller: Caller,
    current: Option<&RecordState>,
    next: &RecordState,
) -> Result<(), FieldRefusal> {
    let status = |state: &RecordState| field::<ReviewStatus>(state, "status");
    let before = current.and_then(status);
    let after = status(next);
    if current.is_some() && before == after {
        return Ok(());
    }
    let own_week = field::<UserId>(next, "companion") == Some(caller.user);
    let decides = !own_week && caller.manages();
    let allowed = decides
        || (matches!(after, Some(ReviewStatus::Open | ReviewStatus::Submitted))
            && !matches!(before, Some(ReviewStatus::Approved)));
    if allowed {
        Ok(())
    } else {
        Err(FieldRefusal { field: "status".into(), rule: FieldRule::Decision })
    }
}

fn field<T: serde::de::DeserializeOwned>(state: &RecordState, name: &str) -> Option<T> {
    state.fields.get(name).and_then(|value| serde_json::from_value(value.clone()).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;
    use std::collections::BTreeMap;
    use uuid::Uuid;

    const COMPANION: UserId = UserId(Uuid::from_u128(1));
    const COLLEAGUE: UserId = UserId(Uuid::from_u128(2));
    const LEAD: UserId = UserId(Uuid::from_u128(3));
    const PARENT: UserId = UserId(Uuid::from_u128(4));

    fn caller(user: UserId, role: Role) -> Caller {
        Caller { user, role, device: Some(DeviceId(Uuid::from_u128(99))) }
    }

    fn state(kind: RecordKind, fields: Value) -> RecordState {
        RecordState {
            version: 1,
            fields: fields.as_object().unwrap().clone().into_iter().collect(),
            ..RecordState::empty(kind, Uuid::from_u128(50))
        }
    }

    fn review(companion: UserId, status: &str) -> RecordState {
        state(
            RecordKind::WeekReview,
            json!({"pool": Uuid::from_u128(7), "companion": companion, "status": status}),
        )
    }

    fn refused(result: Result<Vec<Need>, FieldRefusal>) -> Option<(String, FieldRule)> {
        result.err().map(|r| (r.field, r.rule))
    }

    #[test]
    fn a_companion_cannot_approve_their_own_week_or_reopen_an_approved_one() {
        let me = caller(COMPANION, Role::Companion);
        let decision = Some(("status".to_owned(), FieldRule::Decision));
        assert_eq!(
            refused(check(me, Some(&review(COMPANION, "submitted")), &review(COMPANION, "approved"))),
            decision
        );
        assert_eq!(refused(check(me, None, &review(COMPANION, "approved"))), decision);
        assert_eq!(
            refused(check(me, Some(&review(COMPANION, "approved")), &review(COMPANION, "submitted"))),
            decision
        );
        // Handing in, taking back, and handing in again after a return are the companion's.
        assert!(check(me, Some(&review(COMPANION, "open")), &review(COMPANION, "submitted")).is_ok());
        assert!(check(me, Some(&review(COMPANION, "submitted")), &review(COMPANION, "open")).is_ok());
        assert!(check(me, Some(&review(COMPANION, "returned")), &review(COMPANION, "submitted")).is_ok());
    }

    #[test]
    fn a_team_lead_decides_other_weeks_but_not_their_own() {
        let lead = caller(LEAD, Role::TeamLead);
        assert!(check(lead, Some(&review(COMPANION, "submitted")), &review(COMPANION, "approved")).is_ok());
        assert!(check(lead, Some(&review(COMPANION, "submitted")), &review(COMPANION, "returned")).is_ok());
        assert_eq!(
            refused(check(lead, Some(&review(LEAD, "submitted")), &review(LEAD, "approved"))),
            Some(("status".to_owned(), FieldRule::Decision))
        );
        // A review the lead opens for a colleague names a member of the pool: the server checks that.
        let needs = check(lead, None, &review(COLLEAGUE, "open")).unwrap();
        assert_eq!(needs[0].fact, Fact::MemberOfPool { user: COLLEAGUE, pool: PoolId(Uuid::from_u128(7)) });
    }

    #[test]
    fn the_server_stamps_who_decided_a_week_and_nobody_rewrites_it() {
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let lead = caller(LEAD, Role::TeamLead);
        let forged = json!({"by": LEAD, "at": "2026-11-01T00:00:00Z"});
        let mut approve = Change::Put {
            fields: BTreeMap::from([
                ("status".into(), json!("approved")),
                ("decided".into(), forged.clone()),
            ]),
            sets: BTreeMap::new(),
        };
        stamp(lead, RecordKind::WeekReview, Some(&review(COMPANION, "submitted")), &mut approve, now);
        let Change::Put { fields, .. } = &approve else { unreachable!() };
        assert_eq!(fields["decided"], serde_json::to_value(Stamp { by: LEAD, at: now }).unwrap());

        let me = caller(COMPANION, Role::Companion);
        let mut comment = Change::Put {
            fields: BTreeMap::from([("comment".into(), json!("ok")), ("decided".into(), forged)]),
            sets: BTreeMap::new(),
        };
        stamp(me, RecordKind::WeekReview, Some(&review(COMPANION, "approved")), &mut comment, now);
        let Change::Put { fields, .. } = &comment else { unreachable!() };
        assert!(!fields.contains_key("decided"), "an unchanged status keeps its stamp");
    }

    #[test]
    fn names_on_a_new_record_are_the_callers() {
        let me = caller(COMPANION, Role::Companion);
        let observation = state(RecordKind::Observation, json!({"author": COLLEAGUE}));
        assert_eq!(refused(check(me, None, &observation)), Some(("author".to_owned(), FieldRule::Caller)));
        let entry = state(RecordKind::TimeEntry, json!({"companion": COLLEAGUE}));
        assert_eq!(refused(check(me, None, &entry)), Some(("companion".to_owned(), FieldRule::Caller)));
        let mut session = state(RecordKind::GroupSession, json!({}));
        session.sets.insert("companions".into(), [COLLEAGUE.to_string()].into());
        assert_eq!(refused(check(me, None, &session)), Some(("companions".to_owned(), FieldRule::Caller)));
        session.sets.insert("companions".into(), [COLLEAGUE.to_string(), COMPANION.to_string()].into());
        assert!(check(me, None, &session).is_ok());
        let absence = state(RecordKind::Absence, json!({"companion": COLLEAGUE, "pool": Uuid::from_u128(7)}));
        assert_eq!(refused(check(me, None, &absence)), Some(("companion".to_owned(), FieldRule::Caller)));
    }

    #[test]
    fn who_and_what_a_record_is_about_never_changes() {
        let me = caller(COMPANION, Role::Companion);
        let before =
            state(RecordKind::Observation, json!({"author": COMPANION, "child": Uuid::from_u128(8)}));
        let after = state(RecordKind::Observation, json!({"author": COMPANION, "child": Uuid::from_u128(9)}));
        assert_eq!(refused(check(me, Some(&before), &after)), Some(("child".to_owned(), FieldRule::Fixed)));
    }

    #[test]
    fn a_consent_names_a_guardian_of_the_child_and_a_paper_form_when_a_lead_records_it() {
        let child = Uuid::from_u128(8);
        let form = json!({"reference": "EV-2026-014", "signed_on": "2026-11-20"});
        let declaration = |custodian: UserId, form: Value| {
            state(
                RecordKind::Consent,
                json!({"child": child, "custodian": custodian, "state": "granted", "form": form}),
            )
        };
        let guardian_of =
            |user: UserId| Fact::GuardianOf { guardian: GuardianId(user.0), child: ChildId(child) };
        let parent = caller(PARENT, Role::Parent);
        assert_eq!(
            check(parent, None, &declaration(PARENT, Value::Null)).unwrap()[0].fact,
            guardian_of(PARENT)
        );
        assert_eq!(
            refused(check(parent, None, &declaration(COLLEAGUE, Value::Null))),
            Some(("custodian".to_owned(), FieldRule::Caller))
        );
        assert_eq!(
            refused(check(parent, None, &declaration(PARENT, form.clone()))),
            Some(("form".to_owned(), FieldRule::Form)),
            "a parent declares for themselves, not from a form"
        );
        let lead = caller(LEAD, Role::TeamLead);
        assert_eq!(check(lead, None, &declaration(PARENT, form)).unwrap()[0].fact, guardian_of(PARENT));
        assert_eq!(
            refused(check(lead, None, &declaration(PARENT, Value::Null))),
            Some(("form".to_owned(), FieldRule::Form)),
            "a lead records what a guardian signed"
        );
    }

    #[test]
    fn a_guardian_is_linked_only_to_the_providers_children() {
        let guardian = |children: &[u128]| {
            let mut state = state(RecordKind::Guardian, json!({"name": "Petra Sommer", "contact": ""}));
            state.sets.insert(
                "children".into(),
                children.iter().map(|c| Uuid::from_u128(*c).to_string()).collect(),
            );
            state
        };
        let lead = caller(LEAD, Role::TeamLead);
        let facts = |needs: Vec<Need>| needs.into_iter().map(|need| need.fact).collect::<Vec<_>>();
        let child = |n| Fact::ProviderChild { child: ChildId(Uuid::from_u128(n)) };
        assert_eq!(facts(check(lead, None, &guardian(&[8, 9])).unwrap()), [child(8), child(9)]);
        assert_eq!(
            facts(check(lead, Some(&guardian(&[8])), &guardian(&[8, 9])).unwrap()),
            [child(9)],
            "only a newly linked child is looked up"
        );
    }

    #[test]
    fn the_server_dates_a_consent_and_stamps_its_recorder() {
        let lead = caller(LEAD, Role::TeamLead);
        let now = Utc.with_ymd_and_hms(2026, 11, 27, 9, 0, 0).unwrap();
        let mut change = Change::Put {
            fields: BTreeMap::from([("at".into(), json!("2020-01-01T00:00:00Z"))]),
            sets: BTreeMap::new(),
        };
        stamp(lead, RecordKind::Consent, None, &mut change, now);
        let Change::Put { fields, .. } = &change else { unreachable!() };
        assert_eq!(serde_json::from_value::<DateTime<Utc>>(fields["at"].clone()).unwrap(), now);
        assert_eq!(fields["recorded_by"], json!(LEAD));
    }
}
