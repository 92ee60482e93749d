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
    /// A person's place in a pool, from a first day (until a last day once it ends).
    MembershipId;
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
    /// A custodian (*Sorgeberechtigte:r*) as the provider recorded them; if they sign in to the
    /// parents' pages, their account has the same id.
    GuardianId;
    ConsentId;
    AuditEventId;
}

/// Builds a UUIDv7 (RFC 9562) from the Unix time in milliseconds and 10 random bytes. The caller
/// supplies both, so this crate reads neither a clock nor a random source: the client takes them from
/// `Date.now()` and WebCrypto, tests from fixed values.
pub fn uuid_v7(unix_millis: u64, random: [u8; 10]) -> Uuid {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&unix_millis.to_be_bytes()[2..]);
    bytes[6..].copy_from_slice(&random);
    uuid::Builder::from_bytes(bytes)
        .with_version(uuid::Version::SortRand)
        .with_variant(uuid::Variant::RFC4122)
        .into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v7_has_version_7_and_sorts_by_time() {
        let earlier = uuid_v7(1_763_800_000_000, [0xff; 10]);
        let later = uuid_v7(1_763_800_000_001, [0x00; 10]);
        assert_eq!(earlier.get_version_num(), 7);
        assert_eq!(earlier.get_variant(), uuid::Variant::RFC4122);
        assert!(earlier < later, "a later millisecond sorts after, whatever the random part");
        let (seconds, nanos) = later.get_timestamp().unwrap().to_unix();
        assert_eq!((seconds, nanos / 1_000_000), (1_763_800_000, 1));
    }
}
