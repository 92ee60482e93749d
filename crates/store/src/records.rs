//! Records that travel through sync, as the server keeps them: the domain's `RecordState` in JSON plus
//! the facts it decides on as columns. The decisions themselves (authorization, locks, `apply`) are pure
//! functions of the domain crate; `records_sql.rs` runs them inside the database transaction.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use begleitbuch_domain::access::{self, Operation, Scope};
use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::facts::Facts;
use begleitbuch_domain::ids::{DeviceId, PoolId, ProviderId, UserId};
use begleitbuch_domain::protocol::{Mutation, Outcome, RejectReason};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use uuid::Uuid;

use crate::accounts::parse_uuid;
use crate::push::Known;
use crate::StoreError;

/// A record as the server stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// The provider of the user who created it.
    pub provider: ProviderId,
    /// The pool whose devices receive it.
    pub pool: Option<PoolId>,
    pub state: RecordState,
}

impl StoredRecord {
    /// The record's facts with its stored pool filled in (goals, consents and audit events take their
    /// child's pool when they are stored).
    pub fn facts(&self) -> Facts {
        let mut facts = begleitbuch_domain::facts::facts(&self.state);
        facts.pool = self.pool;
        facts
    }
}

/// The most records one pull page returns.
pub const MAX_PULL_LIMIT: u32 = 1000;

/// The most values one `IN (…)` list or multi-row insert binds at once.
pub(crate) const IN_LIST_CHUNK: usize = 500;

/// Which companions have an approved review of a week, for the weeks a push has asked about.
pub(crate) type LockedWeeks = BTreeMap<Week, BTreeSet<UserId>>;

/// The change counters of the pools one transaction writes to: each claimed from its row once, the
/// numbers handed out in memory, the last one written back before commit.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// Per pool: the counter's value when claimed, and the last number used since.
    pools: BTreeMap<PoolId, (i64, i64)>,
}

impl Counters {
    /// The pool's next number, if its counter is claimed.
    pub(crate) fn next(&self, pool: PoolId) -> Option<i64> {
        self.pools.get(&pool).map(|(_, last)| last + 1)
    }

    pub(crate) fn claim(&mut self, pool: PoolId, value: i64) {
        self.pools.insert(pool, (value, value));
    }

    /// Marks `number` as used: only a successful write uses its number, so a failed one leaves no gap.
    pub(crate) fn used(&mut self, pool: PoolId, number: i64) {
        if let Some((_, last)) = self.pools.get_mut(&pool) {
            *last = number;
        }
    }

    /// The pools whose counter moved, with their new value.
    pub(crate) fn changed(&self) -> impl Iterator<Item = (PoolId, i64)> + '_ {
        self.pools
            .iter()
            .filter(|(_, (claimed, last))| last > claimed)
            .map(|(pool, (_, last))| (*pool, *last))
    }
}

/// One answered mutation, to be logged with the batch.
pub(crate) struct Answer {
    pub number: i64,
    pub record: Uuid,
    pub mutation: String,
    pub fingerprint: String,
    pub outcome: String,
}

/// How long the answer log keeps a mutation's payload: as long as a device keeps its own log of
/// acknowledged mutations (and may push them again after a restore). Afterwards only what it changed
/// and its fingerprint remain (`Store::redact_answer_log`).
pub const ANSWER_LOG_PAYLOAD_DAYS: i64 = 30;

/// SHA-256 of a mutation as sent: equal for a retry, different for any other mutation.
pub(crate) fn fingerprint(mutation: &Mutation) -> Result<String, StoreError> {
    use sha2::Digest;
    Ok(hex::encode(sha2::Sha256::digest(to_json(mutation)?.as_bytes())))
}

/// What a redacted log entry keeps of its mutation: which record, which operation, which fields —
/// the record's history — but no value.
pub(crate) fn redacted(mutation: &Mutation) -> serde_json::Value {
    let (op, fields, sets): (_, Vec<&String>, Vec<&String>) = match &mutation.change {
        begleitbuch_domain::record::Change::Put { fields, sets } => {
            ("put", fields.keys().collect(), sets.keys().collect())
        }
        begleitbuch_domain::record::Change::Delete => ("delete", Vec::new(), Vec::new()),
    };
    serde_json::json!({
        "redacted": true, "kind": mutation.kind, "record": mutation.record, "base_version": mutation.base_version,
        "op": op, "fields": fields, "sets": sets,
    })
}

/// What a push keeps while it works through one batch, so that each record, each earlier answer and
/// each week's locks are read from the database once per batch rather than once per mutation.
pub(crate) struct Batch {
    /// What the batch's decisions have looked up, including the answers given before and in this
    /// batch (a mutation sent twice in one batch gets the same answer twice and is applied once).
    pub known: Known,
    /// The batch's records as stored, including what earlier mutations of the batch wrote.
    pub records: HashMap<Uuid, StoredRecord>,
    pub counters: Counters,
    /// The answers to log when the batch is done.
    pub log: Vec<Answer>,
}

impl Batch {
    /// Keeps a record this batch has written. A written review may approve or reopen a week, a
    /// written consent may grant or withdraw one, and a written child may move to another pool, so
    /// what is known of them is read again for the mutations after it.
    pub(crate) fn written(&mut self, record: StoredRecord) {
        match record.state.kind {
            RecordKind::WeekReview => self.known.locked_weeks.clear(),
            RecordKind::Consent => self.known.consents.clear(),
            RecordKind::Child => self.known.child_pools.clear(),
            _ => {}
        }
        self.records.insert(record.state.id, record);
    }

    pub(crate) fn answer(&mut self, mutation: &Mutation, outcome: Outcome) -> Result<(), StoreError> {
        let fingerprint = fingerprint(mutation)?;
        self.log.push(Answer {
            number: mutation.number as i64,
            record: mutation.record,
            mutation: to_json(mutation)?,
            fingerprint: fingerprint.clone(),
            outcome: to_json(&outcome)?,
        });
        self.known.answered.insert(mutation.number, (fingerprint, outcome));
        Ok(())
    }
}

/// What a pull reads per record row: id, provider, pool, change number, state JSON.
pub(crate) type RecordRow = (String, String, Option<String>, i64, String);

pub(crate) fn stored_from_row(
    provider: &str,
    pool: Option<&str>,
    state: &str,
) -> Result<StoredRecord, StoreError> {
    Ok(StoredRecord {
        provider: ProviderId(parse_uuid(provider)?),
        pool: pool.map(parse_uuid).transpose()?.map(PoolId),
        state: serde_json::from_str(state).map_err(|e| StoreError::Corrupt(format!("record state: {e}")))?,
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("cannot encode: {e}")))
}

pub(crate) fn outcome_from_json(text: &str) -> Result<Outcome, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("stored outcome: {e}")))
}

/// The column values of a record with these facts.
pub(crate) struct Columns {
    pub subject_user: Option<String>,
    pub child: Option<String>,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub lock_week: Option<String>,
}

impl Columns {
    pub(crate) fn of(state: &RecordState, facts: &Facts) -> Columns {
        // Sessions belong to several companions; only single-owner kinds get a subject column (the
        // queries that use it ask for cover grants, reviews and the like).
        let subject_user = match state.kind {
            RecordKind::GroupSession => None,
            _ => facts.owners.iter().next().map(ToString::to_string),
        };
        Columns {
            subject_user,
            child: facts.child.map(|c| c.to_string()),
            first_day: facts.first_day.map(|d| d.to_string()),
            last_day: facts.last_day.map(|d| d.to_string()),
            lock_week: facts.locks.map(|(_, week)| week.key()),
        }
    }
}

/// Who sends mutations, and under which key the answer log keeps their answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writer {
    /// A tablet, numbering its own mutations.
    Tablet(DeviceId),
    /// The office, online and without a device; its changes are numbered by their ids
    /// (`OfficeWrite::into_mutation`).
    Office,
}

impl Writer {
    /// The answer log's `device_id`: the tablet's id, or `office` (which no device id can be).
    pub(crate) fn log_key(self) -> String {
        match self {
            Writer::Tablet(device) => device.to_string(),
            Writer::Office => "office".to_owned(),
        }
    }

    pub(crate) fn device(self) -> Option<DeviceId> {
        match self {
            Writer::Tablet(device) => Some(device),
            Writer::Office => None,
        }
    }
}

/// Why a mutation is refused before `apply` sees it, if it is: it must come from the signed-in user on
/// the signed-in device (the office: with no device, and never an audit event, which names the device
/// a child's record was read on), with a number the database can hold.
pub(crate) fn precheck(scope: &Scope, writer: Writer, mutation: &Mutation) -> Option<Outcome> {
    let from_writer = match writer {
        Writer::Tablet(device) => mutation.device == device,
        Writer::Office => mutation.device.0.is_nil() && mutation.kind != RecordKind::AuditEvent,
    };
    if mutation.user != scope.user || !from_writer {
        return Some(Outcome::Rejected(RejectReason::Forbidden));
    }
    if i64::try_from(mutation.number).is_err() || i64::try_from(mutation.base_version).is_err() {
        return Some(Outcome::Rejected(RejectReason::BadPayload { detail: "number out of range".into() }));
    }
    if mutation.payload_version >= 2 && mutation.id.is_none() {
        return Some(Outcome::Rejected(RejectReason::BadPayload {
            detail: "a protocol 2 mutation carries its id".into(),
        }));
    }
    None
}

/// Whether the user may change `current` (update or delete) at all.
pub(crate) fn may_change(scope: &Scope, current: &StoredRecord, deleting: bool) -> bool {
    let operation = if deleting { Operation::Delete } else { Operation::Update };
    access::permits(scope, current.state.kind, operation, current.provider, &current.facts())
}

/// Whether the result of a change may be stored: a new record must be creatable by the user; a changed
/// one must stay in its pool and remain the user's to change (so nobody moves a record out of reach).
pub(crate) fn may_store(
    scope: &Scope,
    current: Option<&StoredRecord>,
    next_facts: &Facts,
    kind: RecordKind,
) -> Result<(), RejectReason> {
    match current {
        None => access::permits(scope, kind, Operation::Create, scope.provider, next_facts)
            .then_some(())
            .ok_or(RejectReason::Forbidden),
        Some(current) => {
            if current.pool != next_facts.pool {
                return Err(RejectReason::BadPayload {
                    detail: "a record cannot move to another pool".into(),
                });
            }
            access::permits(scope, kind, Operation::Update, current.provider, next_facts)
                .then_some(())
                .ok_or(RejectReason::Forbidden)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review() -> StoredRecord {
        StoredRecord {
            provider: ProviderId(Uuid::now_v7()),
            pool: None,
            state: RecordState { version: 1, ..RecordState::empty(RecordKind::WeekReview, Uuid::now_v7()) },
        }
    }

    #[test]
    fn a_review_written_in_a_batch_makes_the_locks_be_read_again() {
        let week = Week { year: 2026, number: 48 };
        let companion = UserId(Uuid::now_v7());
        let mut batch = Batch {
            known: Known::default(),
            records: HashMap::new(),
            counters: Counters::default(),
            log: Vec::new(),
        };
        batch.known.locked_weeks.insert(week, BTreeSet::from([companion]));
        batch.written(review());
        assert!(
            batch.known.locked_weeks.is_empty(),
            "an approval or a return in the batch may change the locks"
        );
    }

    #[test]
    fn change_numbers_continue_the_claimed_counter_without_gaps() {
        let pool = PoolId(Uuid::now_v7());
        let mut counters = Counters::default();
        assert_eq!(counters.next(pool), None, "an unclaimed counter is read from its row first");
        counters.claim(pool, 41);
        assert_eq!(counters.changed().count(), 0, "claimed but unused: nothing to write back");
        assert_eq!(counters.next(pool), Some(42));
        assert_eq!(counters.next(pool), Some(42), "a number is only taken by a write that succeeded");
        counters.used(pool, 42);
        assert_eq!(counters.next(pool), Some(43));
        assert_eq!(counters.changed().collect::<Vec<_>>(), vec![(pool, 42)]);
    }
}
