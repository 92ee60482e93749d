//! Records that travel through sync, as the server keeps them: the domain's `RecordState` in JSON plus
//! the facts it decides on as columns. The decisions themselves (authorization, locks, `apply`) are pure
//! functions of the domain crate; `records_sql.rs` runs them inside the database transaction.

use begleitbuch_domain::access::{self, Operation, Scope};
use begleitbuch_domain::facts::Facts;
use begleitbuch_domain::ids::{PoolId, ProviderId};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::sync::{Mutation, Outcome, RecordState, RejectReason};

use crate::accounts::parse_uuid;
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

/// Why a mutation is refused before `apply` sees it, if it is: it must come from the signed-in user on
/// the signed-in device, with a number the database can hold.
pub(crate) fn precheck(
    scope: &Scope,
    device: begleitbuch_domain::ids::DeviceId,
    mutation: &Mutation,
) -> Option<Outcome> {
    if mutation.user != scope.user || mutation.device != device {
        return Some(Outcome::Rejected(RejectReason::Forbidden));
    }
    if i64::try_from(mutation.number).is_err() || i64::try_from(mutation.base_version).is_err() {
        return Some(Outcome::Rejected(RejectReason::BadPayload { detail: "number out of range".into() }));
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
