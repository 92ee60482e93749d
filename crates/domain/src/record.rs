//! What every stored record carries besides its content.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::UserId;

/// Who did something, and when (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// Created and changed by and at, and the server version the record is at (0 = never acknowledged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: u64,
    pub created: Stamp,
    pub changed: Stamp,
}

/// The kinds of record that travel through sync. The name is part of the protocol and of local
/// storage keys; never rename one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    TimeEntry,
    GroupSession,
    Observation,
    Child,
    Goal,
    WeekReview,
    Absence,
    CoverGrant,
    Consent,
    AuditEvent,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::TimeEntry,
        RecordKind::GroupSession,
        RecordKind::Observation,
        RecordKind::Child,
        RecordKind::Goal,
        RecordKind::WeekReview,
        RecordKind::Absence,
        RecordKind::CoverGrant,
        RecordKind::Consent,
        RecordKind::AuditEvent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::TimeEntry => "time_entry",
            RecordKind::GroupSession => "group_session",
            RecordKind::Observation => "observation",
            RecordKind::Child => "child",
            RecordKind::Goal => "goal",
            RecordKind::WeekReview => "week_review",
            RecordKind::Absence => "absence",
            RecordKind::CoverGrant => "cover_grant",
            RecordKind::Consent => "consent",
            RecordKind::AuditEvent => "audit_event",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_match_their_serde_names() {
        for kind in RecordKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::Value::from(kind.as_str()));
        }
    }
}
