//! Typed identifiers. Every record id is a UUIDv7 made on the device that creates the record (so
//! records can be created offline and ids sort by creation time); the domain crate only carries them.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            pub const fn from_uuid(uuid: Uuid) -> Self {
                $name(uuid)
            }

            pub const fn as_uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type! {
    /// A provider (*Träger*).
    ProviderId;
    /// A school or day-care centre.
    InstitutionId;
    /// A pool: one provider at one institution in one school year.
    PoolId;
    /// Any account: companion, team lead, admin or parent.
    UserId;
    /// A registered tablet or browser profile.
    DeviceId;
    ChildId;
    GoalId;
    SessionId;
    ObservationId;
    TimeEntryId;
    WeekReviewId;
    AbsenceId;
    CoverGrantId;
    ConsentId;
    AuditEventId;
}
