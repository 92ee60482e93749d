//! What a push does with one mutation, decided by one pure function. [`decide`] is given the mutation,
//! the record as stored and what the server has looked up so far ([`Known`]); it answers the mutation,
//! says what to write, or names the one thing it must know next ([`Lookup`]). `records_sql.rs` only
//! runs the loop — decide, load what is asked for, decide again — and the SQL; every rule and the order
//! in which the rules are asked lives here, table-tested without a database.

use std::collections::{BTreeSet, HashMap};

use begleitbuch_domain::access::Scope;
use begleitbuch_domain::authority::{self, Caller, Fact};
use begleitbuch_domain::calendar::{self, Week};
use begleitbuch_domain::consent::{self, Consent};
use begleitbuch_domain::facts::{self, Facts};
use begleitbuch_domain::ids::{ChildId, PoolId};
use begleitbuch_domain::merge::{apply, replay, ApplyContext};
use begleitbuch_domain::protocol::{Mutation, Outcome, RejectReason};
use begleitbuch_domain::record::{Change, RecordState};

use crate::records::{fingerprint, may_change, may_store, precheck, LockedWeeks, StoredRecord, Writer};
use crate::StoreError;

/// What the server has looked up so far, in this batch (each kept until something in the batch could
/// change it: see `Batch::written`).
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// The answer logged for this device's mutation number, with the fingerprint of its mutation.
    pub answered: HashMap<u64, (String, Outcome)>,
    /// Per week asked about, the companions with an approved review of it.
    pub locked_weeks: LockedWeeks,
    /// The pool of each child asked about (a record about a child lives in the child's pool).
    pub child_pools: HashMap<ChildId, Option<PoolId>>,
    /// Facts only the server's tables hold (pool membership, active companions, guardianship).
    pub facts: Vec<(Fact, bool)>,
    /// The consent declarations of each child asked about (an empty list: none).
    pub consents: HashMap<ChildId, Vec<Consent>>,
}

/// What [`decide`] must know before it can go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Which companions have an approved review of these weeks.
    LockedWeeks(BTreeSet<Week>),
    ChildPool(ChildId),
    Fact(Fact),
    /// The consent declarations about these children.
    Consents(BTreeSet<ChildId>),
}

/// What becomes of one mutation.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    /// Answered and not logged: a mutation that is not this device's to log under its number, or a
    /// retry answered from the log.
    Unlogged(Outcome),
    /// Answered and logged, without writing anything: refused, or a change that changes nothing.
    Answer(Outcome),
    /// Answered, and the record is written as `next` with these facts.
    Write { outcome: Outcome, next: Box<RecordState>, facts: Facts },
    /// Not decided yet: the server looks this up and asks again.
    Look(Lookup),
}

/// Decides `mutation` (as the device sent it) from `writer`, by the user of `scope`, received at `now`
/// (Unix milliseconds), on `current` (the record as stored, if any). The order of the checks is part
/// of the decision: a retry is answered from the log before anything else is asked, the fields the
/// server decides are stamped before any rule looks at the change, and the change must be allowed on
/// the stored record before its result is computed.
pub(crate) fn decide(
    scope: &Scope,
    writer: Writer,
    mutation: &Mutation,
    current: Option<&StoredRecord>,
    now: i64,
    known: &Known,
) -> Result<Decision, StoreError> {
    let refuse = |reason| Ok(Decision::Answer(Outcome::Rejected(reason)));
    if let Some(outcome) = precheck(scope, writer, mutation) {
        return Ok(Decision::Unlogged(outcome));
    }
    // A retried mutation gets the answer it got before; a different mutation under the same (device,
    // number) is refused — answering it from the log would tell its device it was stored when it never
    // was.
    if let Some((logged, outcome)) = known.answered.get(&mutation.number) {
        return Ok(Decision::Unlogged(if *logged == fingerprint(mutation)? {
            outcome.clone()
        } else {
            Outcome::Rejected(RejectReason::NumberReused)
        }));
    }
    // The fields the server decides itself (who decided a week, when a consent arrived) replace
    // whatever the device sent, before anything else looks at the change.
    let caller = Caller { user: scope.user, role: scope.role, device: writer.device() };
    let received = chrono::DateTime::from_timestamp_millis(now).unwrap_or_default();
    let stored = current.map(|c| &c.state);
    let mut stamped = mutation.clone();
    authority::stamp(caller, mutation.kind, stored, &mut stamped.change, received);
    let mutation = &stamped;

    if let Some(current) = current {
        if !may_change(scope, current, matches!(mutation.change, Change::Delete)) {
            return refuse(RejectReason::Forbidden);
        }
    }
    // The weeks the change touches, before and after, and which of them are approved.
    let provisional = replay(stored, std::slice::from_ref(mutation));
    let mut weeks = current.map(|c| c.facts().weeks()).unwrap_or_default();
    weeks.extend(provisional.iter().flat_map(|p| facts::facts(p).weeks()));
    let unknown_weeks: BTreeSet<Week> =
        weeks.iter().filter(|week| !known.locked_weeks.contains_key(week)).copied().collect();
    if !unknown_weeks.is_empty() {
        return Ok(Decision::Look(Lookup::LockedWeeks(unknown_weeks)));
    }
    let locked_weeks = weeks
        .iter()
        .flat_map(|week| known.locked_weeks[week].iter().map(move |user| (*user, *week)))
        .collect();
    let today = chrono::DateTime::from_timestamp_millis(now).map(calendar::berlin_date);
    let (outcome, next) = apply(stored, mutation, &ApplyContext { locked_weeks, today });
    let Some(next) = next else { return Ok(Decision::Answer(outcome)) };

    let mut facts = facts::facts(&next);
    if let (None, Some(child)) = (facts.pool, facts.child) {
        match known.child_pools.get(&child) {
            Some(pool) => facts.pool = *pool,
            None => return Ok(Decision::Look(Lookup::ChildPool(child))),
        }
    }
    if let Err(reason) = may_store(scope, current, &facts, mutation.kind) {
        return refuse(reason);
    }
    // Whose names the fields carry, what never changes, whose decision a status is; then what only
    // the server's tables can confirm.
    let needs = match authority::check(caller, stored, &next) {
        Ok(needs) => needs,
        Err(refusal) => return refuse(refusal.into()),
    };
    for need in needs {
        match known.facts.iter().find(|(fact, _)| *fact == need.fact) {
            None => return Ok(Decision::Look(Lookup::Fact(need.fact))),
            Some((_, false)) => {
                return refuse(RejectReason::FieldRefused { field: need.field.into(), rule: need.rule })
            }
            Some((_, true)) => {}
        }
    }
    // Consent is decided by the time the server received the change (docs/DESIGN.md).
    let needed = consent::needed(stored, &next);
    if !needed.is_empty() {
        let children: BTreeSet<ChildId> = needed.iter().map(|(child, _)| *child).collect();
        let unknown: BTreeSet<ChildId> =
            children.iter().filter(|child| !known.consents.contains_key(child)).copied().collect();
        if !unknown.is_empty() {
            return Ok(Decision::Look(Lookup::Consents(unknown)));
        }
        let declarations: Vec<Consent> =
            children.iter().filter_map(|child| known.consents.get(child)).flatten().cloned().collect();
        if consent::first_missing(&needed, &declarations, received).is_some() {
            return refuse(RejectReason::ConsentMissing);
        }
    }
    Ok(Decision::Write { outcome, next: Box::new(next), facts })
}

#[cfg(test)]
mod tests;
