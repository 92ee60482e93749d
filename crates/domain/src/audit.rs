//! Audit events: every read and change of a child's data by staff. Reads happen offline, so they are
//! records that travel through the outbox like any other; the server chains them (issue: audit).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::record::{Record, RecordKind};

use crate::ids::{AuditEventId, ChildId, DeviceId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    ViewChild,
    ViewObservations,
    ExportReport,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub actor: UserId,
    pub device: DeviceId,
    pub at: DateTime<Utc>,
    pub action: AuditAction,
    pub child: Option<ChildId>,
}

impl Record for AuditEvent {
    const KIND: RecordKind = RecordKind::AuditEvent;
}
