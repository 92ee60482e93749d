//! The account messages of `/api/v1/auth`: what a device sends to sign in, and what it gets back. Shared
//! by the server, which writes them, and the client, which reads them.

use crate::code::coded_enum;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::{DeviceId, ProviderId, UserId};
use crate::people::Role;

/// `POST /api/v1/auth/sign-in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub login: String,
    pub password: String,
    pub device: DeviceInfo,
}

/// `POST /api/v1/me/password`: the user changes their own password (a first or reset password must be
/// changed before anything else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    pub new_password: String,
}

/// The device introduces itself: its id and secret are made on the device at first start. The secret
/// proves, at every later sign-in, that this is the tablet that registered the id: nobody else can
/// present the id and push under its numbers. It is made on the tablet rather than issued by the
/// server so that a registration whose answer is lost on a flaky network cannot lock the tablet out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceInfo {
    pub id: Uuid,
    pub label: String,
    /// Sent only at sign-in, over TLS; the server keeps its SHA-256.
    #[serde(default)]
    pub secret: String,
}

/// The length a device secret must have (32 random bytes, hex).
pub const DEVICE_SECRET_CHARS: std::ops::RangeInclusive<usize> = 64..=256;

/// An account as its owner and managers see it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub id: UserId,
    pub provider: ProviderId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceView {
    pub id: DeviceId,
    pub label: String,
    /// Unix milliseconds of the device's last request.
    pub last_seen_at: i64,
    pub revoked: bool,
}

/// The answer to a sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInView {
    pub user: UserView,
    pub device: DeviceView,
    /// Kept by the device inside the user's encrypted partition; exchanged for access tokens.
    pub refresh_token: String,
    pub access_token: String,
    pub access_expires_at: i64,
}

/// `POST /api/v1/auth/token`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub access_token: String,
    pub access_expires_at: i64,
    /// The refresh token that replaces the one presented: the device keeps it instead, at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// `POST /api/v1/auth/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

coded_enum! {
    /// The three ways into Begleitbuch, each its own download under its own path: the companion's offline
    /// tablet app, the team leads' and admins' office screens, and the parents' pages. Each role signs in
    /// on its own way; a role that arrives at another is sent to its own.
    pub enum WayIn {
        /// The shared classroom tablet: a registered device, offline-first, for companions.
        Tablet = "tablet",
        /// The office's online screens in an ordinary browser: team leads and admins.
        Office = "office",
        /// The parents' online pages, on their phones.
        Parents = "parents",
    }
}

impl WayIn {
    /// Where its app is served (each build's public path).
    pub fn path(self) -> &'static str {
        match self {
            WayIn::Tablet => "/",
            WayIn::Office => "/buero/",
            WayIn::Parents => "/eltern/",
        }
    }

    /// The way in a role is sent to when it arrives somewhere it does not belong.
    pub fn of(role: Role) -> WayIn {
        match role {
            Role::Companion => WayIn::Tablet,
            Role::TeamLead | Role::Admin => WayIn::Office,
            Role::Parent => WayIn::Parents,
        }
    }

    /// Whether `role` may sign in here: each role has exactly one way in. Team leads work in the
    /// office, which writes online, so no team lead's tablet keeps a copy of every pool.
    pub fn admits(self, role: Role) -> bool {
        WayIn::of(role) == self
    }

    /// The error code with which a sign-in on the wrong way in is refused; it names where to go.
    pub fn refusal_code(self) -> &'static str {
        match self {
            WayIn::Tablet => "use_tablet",
            WayIn::Office => "use_office",
            WayIn::Parents => "use_parents_pages",
        }
    }
}

/// `POST /api/v1/auth/browser/sign-in`: the office or the parents' pages sign in. A browser that is
/// not a tablet is not registered as a device: it holds an HttpOnly cookie for a short online sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrowserSignInRequest {
    pub login: String,
    pub password: String,
    /// The way in the browser is on; only `office` and `parents` sign in this way.
    pub way: WayIn,
}

/// The answer to a browser sign-in and to `GET /api/v1/auth/browser`: who is signed in, and the token
/// the page sends in `X-CSRF-Token` with every request that changes something. The page keeps it in
/// memory only; after a reload it asks again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserSignInView {
    pub user: UserView,
    pub way: WayIn,
    pub csrf_token: String,
    /// Unix milliseconds after which the sign-in ends unless used before (it is extended by use, up to
    /// a limit).
    pub expires_at: i64,
}

#[cfg(test)]
mod way_in_tests {
    use super::*;

    #[test]
    fn every_role_has_its_own_way_in_and_is_admitted_there() {
        for role in Role::ALL {
            assert!(WayIn::of(role).admits(role), "{role:?}");
        }
        assert!(!WayIn::Tablet.admits(Role::Parent));
        assert!(!WayIn::Tablet.admits(Role::Admin));
        assert!(!WayIn::Office.admits(Role::Companion));
        assert!(!WayIn::Parents.admits(Role::TeamLead));
        assert!(!WayIn::Tablet.admits(Role::TeamLead), "team leads arrange cover in the office");
    }

    #[test]
    fn codes_and_paths_are_distinct() {
        let codes: std::collections::BTreeSet<_> = WayIn::ALL.iter().map(|w| w.code()).collect();
        let paths: std::collections::BTreeSet<_> = WayIn::ALL.iter().map(|w| w.path()).collect();
        assert_eq!((codes.len(), paths.len()), (3, 3));
        for way in WayIn::ALL {
            assert_eq!(serde_json::to_value(way).unwrap(), way.code());
        }
    }
}

/// Whether an account can be used, as the office's People room shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    /// Created or reset by a manager: the one-time password has not been changed yet.
    FirstPasswordPending,
    /// Deactivated by a manager: no sign-in, no session; what the person recorded stays.
    Deactivated,
}

/// `GET /api/v1/users`: one account of the provider, as a manager sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonView {
    pub id: UserId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub status: AccountStatus,
    /// Unix milliseconds of the last sign-in or request; `None` before the first.
    pub last_active_at: Option<i64>,
    /// Whether the caller may reset, deactivate and activate this account (see [`Role::may_manage`]).
    pub manageable: bool,
}

/// `POST /api/v1/users`: a new account. Its first password is made by the server and shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPerson {
    pub login: String,
    pub display_name: String,
    pub role: Role,
}

/// The answer to creating an account or resetting its password: the one-time password, which the
/// server keeps only as a hash and the user must change at their first sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimePassword {
    pub id: UserId,
    pub one_time_password: String,
}

/// `GET /api/v1/devices`: one of the provider's tablets with what it last reported holding for each
/// person signed in on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletView {
    pub id: DeviceId,
    pub label: String,
    /// Unix milliseconds of the tablet's last request.
    pub last_seen_at: i64,
    pub revoked: bool,
    pub people: Vec<TabletPerson>,
}

/// One person on a tablet, and their changes there that the server does not have for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletPerson {
    pub user: UserId,
    pub display_name: String,
    /// Whether the person is still signed in on the tablet (holds a refresh token for it).
    pub signed_in: bool,
    /// What the tablet reported at its last sync for them, and when; `None` before its first report.
    pub holding: Option<crate::protocol::Holding>,
    pub reported_at: Option<i64>,
}
