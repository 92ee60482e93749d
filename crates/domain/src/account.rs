//! The account messages of `/api/v1/auth`: what a device sends to sign in, and what it gets back. Shared
//! by the server, which writes them, and the client, which reads them.

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
pub struct SessionView {
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
}

/// `POST /api/v1/auth/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}
