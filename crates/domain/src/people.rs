//! Accounts and devices.

use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, ProviderId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// *Schulbegleiter:in*: records sessions, observations and time for the pools they belong to.
    Companion,
    /// *Teamleitung*: reviews weeks, manages pools and cover for their provider.
    TeamLead,
    /// Sets up the provider, institutions, school years and users.
    Admin,
    /// *Eltern / Sorgeberechtigte*: consent and access to what is documented about their own child.
    Parent,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Companion, Role::TeamLead, Role::Admin, Role::Parent];
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub provider: ProviderId,
    /// How colleagues see the person in the app; no further personal data is needed.
    pub display_name: String,
    pub role: Role,
}

/// A tablet or browser profile, registered at the first online sign-in of each user on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: DeviceId,
    /// A name the team lead recognises ("Tablet Klasse 2b").
    pub label: String,
    pub revoked: bool,
}
