//! What the store keeps about providers, accounts, devices and tokens.

use begleitbuch_domain::account::{TabletPerson, WayIn};
use begleitbuch_domain::ids::{DeviceId, ProviderId, UserId};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::Holding;
use uuid::Uuid;

use crate::StoreError;

/// An account as stored, password hash included (it never leaves the server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: UserId,
    pub provider: ProviderId,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    pub must_change_password: bool,
    pub disabled: bool,
}

/// An account with when it was last used (Unix milliseconds; `None` before its first use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user: UserRecord,
    pub last_active_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceRecord {
    pub id: DeviceId,
    pub provider: ProviderId,
    pub label: String,
    /// Unix milliseconds of the last request from this device.
    pub last_seen_at: i64,
    pub revoked: bool,
    /// SHA-256 of the secret the device registered with (`None`: registered before secrets were kept).
    pub secret_hash: Option<String>,
}

/// Who a token belongs to, and until when it is valid (Unix milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenGrant {
    pub user: UserId,
    pub device: DeviceId,
    pub expires_at: i64,
}

/// What presenting a refresh token did (see `Store::rotate_refresh_token`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    /// The new token now stands for this grant.
    Rotated(TokenGrant),
    /// A replaced token came back after its grace window: the grant's session has ended.
    Reused(TokenGrant),
    /// Unknown or expired.
    Unknown,
}

/// A browser's sign-in to the office or the parents' pages (see `browser_sign_ins` in the migrations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrowserSignIn {
    pub user: UserId,
    pub way: WayIn,
    /// Unix milliseconds of the last request made with it.
    pub last_seen_at: i64,
    /// Unix milliseconds at which it ends however much it is used.
    pub ends_at: i64,
}

/// Who holds a sign-in: a tablet (its refresh and access tokens) or a browser (its cookie's token hash).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder<'a> {
    Device(DeviceId),
    Browser(&'a str),
}

pub(crate) fn parse_way(code: &str) -> Result<WayIn, StoreError> {
    WayIn::ALL
        .into_iter()
        .find(|way| way.code() == code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown way in {code:?}")))
}

/// A role as its column stores it: the role's code (`Role::code`), parsed back here.
pub(crate) fn parse_role(code: &str) -> Result<Role, StoreError> {
    Role::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("unknown role {code:?}")))
}

pub(crate) fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("id {text:?}: {e}")))
}

/// The columns of `users` in the order the queries select them.
pub(crate) type UserRow = (String, String, String, String, String, String, bool, bool);

pub(crate) const USER_COLUMNS: &str =
    "id, provider_id, login, display_name, role, password_hash, must_change_password, disabled";

pub(crate) fn user_from_row(row: UserRow) -> Result<UserRecord, StoreError> {
    let (id, provider, login, display_name, role, password_hash, must_change_password, disabled) = row;
    Ok(UserRecord {
        id: UserId(parse_uuid(&id)?),
        provider: ProviderId(parse_uuid(&provider)?),
        login,
        display_name,
        role: parse_role(&role)?,
        password_hash,
        must_change_password,
        disabled,
    })
}

/// The columns of `users` and its `last_active_at`.
pub(crate) type PersonRow = (String, String, String, String, String, String, bool, bool, Option<i64>);

pub(crate) fn person_from_row(row: PersonRow) -> Result<Person, StoreError> {
    let (id, provider, login, display_name, role, password_hash, must_change, disabled, last_active_at) = row;
    let user =
        user_from_row((id, provider, login, display_name, role, password_hash, must_change, disabled))?;
    Ok(Person { user, last_active_at })
}

pub(crate) type DeviceRow = (String, String, String, i64, Option<i64>, Option<String>);

pub(crate) const DEVICE_COLUMNS: &str = "id, provider_id, label, last_seen_at, revoked_at, secret_hash";

pub(crate) fn device_from_row(row: DeviceRow) -> Result<DeviceRecord, StoreError> {
    let (id, provider, label, last_seen_at, revoked_at, secret_hash) = row;
    Ok(DeviceRecord {
        id: DeviceId(parse_uuid(&id)?),
        provider: ProviderId(parse_uuid(&provider)?),
        label,
        last_seen_at,
        revoked: revoked_at.is_some(),
        secret_hash,
    })
}

/// A person on a tablet: device, user, name, signed in, then the report's columns (all `NULL` before
/// the first report).
pub(crate) type TabletPersonRow =
    (String, String, String, bool, Option<i64>, Option<i64>, Option<i64>, Option<String>, Option<i64>);

pub(crate) fn tablet_person_from_row(row: TabletPersonRow) -> Result<(DeviceId, TabletPerson), StoreError> {
    let (device, user, display_name, signed_in, unsent, unresolved, oldest_at, app_version, reported_at) =
        row;
    let count = |n: Option<i64>| {
        u32::try_from(n.unwrap_or_default()).map_err(|_| StoreError::Corrupt(format!("count {n:?}")))
    };
    let holding = match app_version {
        Some(app_version) => {
            Some(Holding { unsent: count(unsent)?, unresolved: count(unresolved)?, oldest_at, app_version })
        }
        None => None,
    };
    let person =
        TabletPerson { user: UserId(parse_uuid(&user)?), display_name, signed_in, holding, reported_at };
    Ok((DeviceId(parse_uuid(&device)?), person))
}

pub(crate) fn grant_from_row(
    (user, device, expires_at): (String, String, i64),
) -> Result<TokenGrant, StoreError> {
    Ok(TokenGrant { user: UserId(parse_uuid(&user)?), device: DeviceId(parse_uuid(&device)?), expires_at })
}

/// A unique constraint said no: the login (or id) is taken.
pub(crate) fn conflict_or(error: sqlx::Error, what: &str) -> StoreError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(what.to_owned()),
        _ => StoreError::Database(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_column_value() {
        for role in Role::ALL {
            assert_eq!(parse_role(role.code()).unwrap(), role);
        }
        assert!(parse_role("root").is_err());
    }
}
