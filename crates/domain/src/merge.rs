//! The pure merge: [`apply`] decides what a mutation does to a record (the server and the property
//! tests use it), [`replay`] shows the server's state with a device's pending mutations on top (the
//! client uses it).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::calendar::Week;
use crate::ids::UserId;
use crate::protocol::{
    FieldConflict, Mutation, Outcome, RejectReason, OLDEST_ACCEPTED_PROTOCOL, PROTOCOL_VERSION,
};
use crate::record::{Change, LostValue, RecordKind, RecordState};
use crate::shape::{check_record, keep_only_what_a_tombstone_needs};
use crate::validate::ValidationError;

/// What `apply` needs to know beyond the record: the approved (locked) weeks, per companion. A work
/// record (time entry, group session, observation) is locked when any of its owners
/// (`facts::Facts::owners`) has an approved review of its week. Reviews themselves stay changeable (a
/// team lead returns an approved week by changing its review), and so do absences and cover grants,
/// which are planning rather than work done. `today` (the server's day in Europe/Berlin, when it
/// decides) refuses work dated after it; without it the date is not checked (the property tests).
#[derive(Debug, Clone, Default)]
pub struct ApplyContext {
    pub locked_weeks: BTreeSet<(UserId, Week)>,
    pub today: Option<chrono::NaiveDate>,
}

impl ApplyContext {
    fn is_work(state: &RecordState) -> bool {
        matches!(state.kind, RecordKind::TimeEntry | RecordKind::GroupSession | RecordKind::Observation)
    }

    /// Work records may not be dated after today.
    fn not_in_future(&self, state: &RecordState) -> Result<(), ValidationError> {
        match (self.today, crate::facts::facts(state).last_day) {
            (Some(today), Some(day)) if Self::is_work(state) => crate::validate::not_after_today(day, today),
            _ => Ok(()),
        }
    }

    fn locks(&self, state: &RecordState) -> bool {
        if !Self::is_work(state) || self.locked_weeks.is_empty() {
            return false;
        }
        let facts = crate::facts::facts(state);
        facts
            .weeks()
            .iter()
            .any(|week| facts.owners.iter().any(|owner| self.locked_weeks.contains(&(*owner, *week))))
    }
}

/// Decides what `mutation` does to `current` (the server's copy, if any). Returns the outcome and, if
/// anything changed, the new state. Pure: no clock, no IO; dedupe on (device, number) and authorization
/// happen before, in the server's transaction.
pub fn apply(
    current: Option<&RecordState>,
    mutation: &Mutation,
    context: &ApplyContext,
) -> (Outcome, Option<RecordState>) {
    let reject = |reason| (Outcome::Rejected(reason), None);
    if !(OLDEST_ACCEPTED_PROTOCOL..=PROTOCOL_VERSION).contains(&mutation.payload_version) {
        return reject(RejectReason::UnsupportedPayloadVersion {
            supported: (OLDEST_ACCEPTED_PROTOCOL, PROTOCOL_VERSION),
        });
    }
    if current.is_some_and(|c| c.kind != mutation.kind) {
        return reject(RejectReason::KindMismatch);
    }
    let locked = |state: &RecordState| context.locks(state);
    if current.is_some_and(|c| !c.deleted && locked(c)) {
        return reject(RejectReason::WeekLocked);
    }

    match &mutation.change {
        Change::Delete => match current {
            None => reject(RejectReason::UnknownRecord),
            Some(state) if state.deleted => (Outcome::Applied { version: state.version }, None),
            Some(state) => {
                let changed_since_base: Vec<FieldConflict> = state
                    .field_versions
                    .iter()
                    .filter(|(field, version)| {
                        **version > mutation.base_version
                            && !changed_earlier_by_same_device(state, field, mutation)
                    })
                    .map(|(field, _)| FieldConflict {
                        field: field.clone(),
                        kept: current_value(state, field),
                        yours: Value::Null,
                    })
                    .collect();
                if !changed_since_base.is_empty() {
                    // Deleting what someone else just changed would throw their change away unseen.
                    return (
                        Outcome::Conflict { version: state.version, conflicts: changed_since_base },
                        None,
                    );
                }
                let mut next = state.clone();
                next.version += 1;
                next.deleted = true;
                keep_only_what_a_tombstone_needs(&mut next);
                (Outcome::Applied { version: next.version }, Some(next))
            }
        },
        Change::Put { fields, sets } => {
            let set_fields = mutation.kind.set_fields();
            if let Some(name) = fields.keys().find(|f| set_fields.contains(&f.as_str()) || f.as_str() == "id")
            {
                return reject(RejectReason::BadPayload { detail: format!("field {name} cannot be put") });
            }
            if let Some(name) = sets.keys().find(|f| !set_fields.contains(&f.as_str())) {
                return reject(RejectReason::BadPayload { detail: format!("{name} is not a set field") });
            }
            let mut next = match current {
                Some(state) if state.deleted => return reject(RejectReason::RecordDeleted),
                Some(state) => state.clone(),
                None if mutation.base_version != 0 => return reject(RejectReason::UnknownRecord),
                None => RecordState {
                    sets: set_fields.iter().map(|f| (f.to_string(), BTreeSet::new())).collect(),
                    ..RecordState::empty(mutation.kind, mutation.record)
                },
            };
            let new_version = next.version + 1;
            let mut conflicts = Vec::new();
            let mut changed = false;
            for (field, value) in fields {
                let known = next.fields.get(field);
                if known == Some(value) {
                    continue;
                }
                let changed_since_base =
                    next.field_versions.get(field).is_some_and(|v| *v > mutation.base_version)
                        && !changed_earlier_by_same_device(&next, field, mutation);
                if changed_since_base {
                    let kept = known.cloned().unwrap_or(Value::Null);
                    next.lost.push(LostValue {
                        field: field.clone(),
                        value: value.clone(),
                        device: mutation.device,
                        number: mutation.number,
                        version: next.version,
                    });
                    conflicts.push(FieldConflict { field: field.clone(), kept, yours: value.clone() });
                } else {
                    next.fields.insert(field.clone(), value.clone());
                    next.field_versions.insert(field.clone(), new_version);
                    next.field_sources.insert(field.clone(), (mutation.device, mutation.number));
                    changed = true;
                }
            }
            for (field, delta) in sets {
                let members = next.sets.entry(field.clone()).or_default();
                let before = members.clone();
                members.extend(delta.add.iter().cloned());
                members.retain(|m| !delta.remove.contains(m));
                if *members != before {
                    next.field_versions.insert(field.clone(), new_version);
                    changed = true;
                }
            }
            if locked(&next) {
                return reject(RejectReason::WeekLocked);
            }
            if let Err(reason) = check_record(&next) {
                return reject(reason);
            }
            if let Err(error) = context.not_in_future(&next) {
                return reject(RejectReason::Invalid { error });
            }
            if changed {
                next.version = new_version;
            }
            let version = next.version;
            let outcome = if conflicts.is_empty() {
                Outcome::Applied { version }
            } else {
                Outcome::Conflict { version, conflicts }
            };
            let state =
                (changed || !matches!(outcome, Outcome::Applied { .. }) || current.is_none()).then_some(next);
            (outcome, state)
        }
    }
}

fn changed_earlier_by_same_device(state: &RecordState, field: &str, mutation: &Mutation) -> bool {
    // The office writes without a device (the nil id) and numbers its changes at random: its changes
    // are never "on top of" each other, and a stale base there is a conflict like any other.
    !mutation.device.0.is_nil()
        && state
            .field_sources
            .get(field)
            .is_some_and(|(device, number)| *device == mutation.device && *number < mutation.number)
}

fn current_value(state: &RecordState, field: &str) -> Value {
    state
        .fields
        .get(field)
        .cloned()
        .or_else(|| state.sets.get(field).map(|m| Value::from(m.iter().cloned().collect::<Vec<_>>())))
        .unwrap_or(Value::Null)
}

/// What the device shows: the server's state with the pending mutations replayed on top, in order.
/// Optimistic: no locks or conflicts are checked here (the server decides those when it sees them);
/// a pending change always shows, so nothing the user typed disappears before the server answered.
pub fn replay(server: Option<&RecordState>, pending: &[Mutation]) -> Option<RecordState> {
    let mut view = server.cloned();
    for mutation in pending {
        view = match (&mutation.change, view) {
            (Change::Delete, Some(mut state)) => {
                state.deleted = true;
                Some(state)
            }
            (Change::Delete, None) => None,
            (Change::Put { fields, sets }, view) => {
                let mut state = view.unwrap_or_else(|| RecordState::empty(mutation.kind, mutation.record));
                state.deleted = false;
                state.fields.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                for (field, delta) in sets {
                    let members = state.sets.entry(field.clone()).or_default();
                    members.extend(delta.add.iter().cloned());
                    members.retain(|m| !delta.remove.contains(m));
                }
                Some(state)
            }
        };
    }
    view
}

#[cfg(test)]
mod tests;
