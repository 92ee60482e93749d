//! Accounts and devices.

use crate::code::coded_enum;
use serde::{Deserialize, Serialize};

use crate::ids::{DeviceId, ProviderId, UserId};

coded_enum! {
    pub enum Role {
        /// *Schulbegleiter:in*: records sessions, observations and time for the pools they belong to.
        Companion = "companion",
        /// *Teamleitung*: reviews weeks, manages pools and cover for their provider.
        TeamLead = "team_lead",
        /// Sets up the provider, institutions, school years and users.
        Admin = "admin",
        /// *Eltern / Sorgeberechtigte*: consent and access to what is documented about their own child.
        Parent = "parent",
    }
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
