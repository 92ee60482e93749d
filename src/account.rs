//! Signing in on this device: the first online sign-in of a user registers the device on the server,
//! and the answer (the refresh token above all) is kept sealed in that user's partition. From then on
//! the tablet shows that user's partition and syncs it with the user's own tokens.

use begleitbuch_domain::account::{DeviceInfo, SessionView, SignInRequest};
use begleitbuch_domain::ids::PoolId;

use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::session::{AppStore, Session, StoreState};
use crate::store::sync::Account;
use crate::store::{LocalProfile, LocalStore, StoreError, Vault};

/// The most characters of a device label (the server's limit).
pub const MAX_DEVICE_LABEL_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Login or password left empty.
    Missing,
    Api(ApiError),
    Store(StoreError),
}

impl SignInError {
    /// The translation key under `sign_in_error.<code>` (API errors use the server's codes).
    pub fn code(&self) -> &str {
        match self {
            SignInError::Missing => "missing",
            SignInError::Api(error) => error.code(),
            SignInError::Store(error) => error.code(),
        }
    }
}

/// What the sign-in form holds, checked before anything is sent. An empty device label becomes
/// `default_label` (translated by the page: the team lead's tablet list reads it).
pub fn request(
    login: &str,
    password: &str,
    device: uuid::Uuid,
    label: &str,
    default_label: &str,
) -> Result<SignInRequest, SignInError> {
    let login = login.trim();
    if login.is_empty() || password.is_empty() {
        return Err(SignInError::Missing);
    }
    let label: String = match label.trim() {
        "" => default_label.to_owned(),
        label => label.chars().take(MAX_DEVICE_LABEL_CHARS).collect(),
    };
    Ok(SignInRequest {
        login: login.to_owned(),
        password: password.to_owned(),
        device: DeviceInfo { id: device, label },
    })
}

/// Signs in online, opens (or makes) the user's partition, and keeps the account sealed in it.
pub async fn sign_in(store: &LocalStore, request: &SignInRequest) -> Result<(Vault, Account), SignInError> {
    let answer: SessionView = api::post("/auth/sign-in", request, None).await.map_err(SignInError::Api)?;
    let vault = store.unlock(answer.user.id).await.map_err(SignInError::Store)?;
    let account =
        Account { user: answer.user, device: answer.device.id, refresh_token: answer.refresh_token };
    store.save_account(&vault, &account).await.map_err(SignInError::Store)?;
    Ok((vault, account))
}

/// The signed-in user the tablet shows, with the pool their new records go into (the first pool sync
/// brought; before the first sync, none).
pub async fn signed_in(store: &LocalStore) -> Result<Option<(Vault, Account, Option<PoolId>)>, StoreError> {
    let Some(user) = store.active_user().await? else { return Ok(None) };
    let vault = store.unlock(user).await?;
    let Some(account) = store.account(&vault).await? else { return Ok(None) };
    let pool = store.cursors(user).await?.first().map(|cursor| cursor.pool);
    Ok(Some((vault, account, pool)))
}

/// The person and pool the app writes for: the signed-in user, or the local profile before anyone
/// signed in on this device.
pub fn profile_of(account: &Account, pool: Option<PoolId>, local: LocalProfile) -> LocalProfile {
    LocalProfile { user: account.user.id, pool: pool.unwrap_or(local.pool) }
}

impl AppStore {
    /// The open session, read without tracking (for event handlers).
    pub fn session_untracked(&self) -> Option<Session> {
        self.state.with_untracked(|state| match state {
            StoreState::Ready(session) => Some(session.clone()),
            _ => None,
        })
    }

    /// Signs in, switches the tablet to the user's partition and syncs at once, so that the user's
    /// pools arrive while they are still online.
    pub async fn sign_in(&self, request: &SignInRequest) -> Result<(), SignInError> {
        let session = self.session_untracked().ok_or(SignInError::Store(StoreError::Unavailable))?;
        let (vault, account) = match sign_in(&session.store, request).await {
            Err(SignInError::Api(ApiError::Server { wipe: true, .. })) => {
                // This device was revoked (reported lost): it wipes what it holds and starts again as a
                // new device, so that a found tablet can be signed in once more.
                session.store.wipe().await.map_err(SignInError::Store)?;
                let _ = window().location().reload();
                return Err(SignInError::Api(ApiError::Server {
                    status: 403,
                    code: "device_revoked".into(),
                    wipe: true,
                }));
            }
            other => other?,
        };
        let pool =
            session.store.cursors(account.user.id).await.map_err(SignInError::Store)?.first().map(|c| c.pool);
        let profile = profile_of(&account, pool, session.profile);
        let store = session.store;
        self.state.set(StoreState::Ready(Session { store, vault, profile, account: Some(account) }));
        self.changed();
        self.sync_now();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_sending() {
        let device = uuid::Uuid::from_u128(7);
        assert_eq!(request(" ", "geheim-genug", device, "", "Tablet"), Err(SignInError::Missing));
        assert_eq!(request("lena", "", device, "", "Tablet"), Err(SignInError::Missing));
        let sent = request(" Lena ", "geheim-genug", device, "  ", "Tablet ohne Namen").unwrap();
        assert_eq!((sent.login.as_str(), sent.device.label.as_str()), ("Lena", "Tablet ohne Namen"));
        let long = "x".repeat(200);
        assert_eq!(
            request("lena", "pw", device, &long, "Tablet").unwrap().device.label.chars().count(),
            MAX_DEVICE_LABEL_CHARS
        );
    }
}
