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

impl Role {
    /// Whether someone with this role may create, reset, deactivate and activate accounts with
    /// `other`: admins every role, team leads only companions (never another manager, nor parents,
    /// whose accounts come by invitation).
    pub fn may_manage(self, other: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::TeamLead => other == Role::Companion,
            Role::Companion | Role::Parent => false,
        }
    }

    /// Whether people with this role are members of pools: companions, and team leads who work
    /// with children themselves. Admins and parents never are.
    pub fn works_in_pools(self) -> bool {
        matches!(self, Role::Companion | Role::TeamLead)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_leads_manage_companions_only_and_admins_everyone() {
        assert!(Role::TeamLead.may_manage(Role::Companion));
        for other in [Role::TeamLead, Role::Admin, Role::Parent] {
            assert!(!Role::TeamLead.may_manage(other), "{other:?}");
        }
        assert!(Role::ALL.into_iter().all(|role| Role::Admin.may_manage(role)));
        assert!(Role::ALL
            .into_iter()
            .all(|role| !Role::Companion.may_manage(role) && !Role::Parent.may_manage(role)));
    }
}
