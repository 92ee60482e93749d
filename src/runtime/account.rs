//! Signing in on this device: the first online sign-in of a user registers the device on the server,
//! and the answer (the refresh token above all) is kept sealed in that user's partition. From then on
//! the tablet shows that user's partition and syncs it with the user's own tokens.

use std::rc::Rc;

use begleitbuch_domain::account::{ChangePasswordRequest, DeviceInfo, SignInRequest, SignedInView};

use leptos::prelude::*;

use crate::io::store::sync::Account;
use crate::io::store::{LocalStore, StoreError, Vault};
use crate::runtime::pools::WritingPools;
use crate::runtime::state::{AppStore, SignedIn, StoreState};
use begleitbuch_web::api::{self, ApiError, Auth};

/// The most characters of a device label (the server's limit).
pub const MAX_DEVICE_LABEL_CHARS: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInError {
    /// Login or password left empty.
    Missing,
    /// The new password and its repetition differ.
    PasswordsDiffer,
    Api(ApiError),
    Store(StoreError),
}

impl SignInError {
    /// The translation key under `sign_in_error.<code>` (API errors use the server's codes).
    pub fn code(&self) -> &str {
        match self {
            SignInError::Missing => "missing",
            SignInError::PasswordsDiffer => "passwords_differ",
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
    secret: &str,
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
        device: DeviceInfo { id: device, label, secret: secret.to_owned() },
    })
}

/// What the change-password form holds, checked before anything is sent (the length rules are the
/// server's, and its answer says which one a password breaks).
pub fn password_change(
    current: &str,
    new: &str,
    repeated: &str,
) -> Result<ChangePasswordRequest, SignInError> {
    if current.is_empty() || new.is_empty() {
        return Err(SignInError::Missing);
    }
    if new != repeated {
        return Err(SignInError::PasswordsDiffer);
    }
    Ok(ChangePasswordRequest { current_password: current.to_owned(), new_password: new.to_owned() })
}

/// Signs in online, opens (or makes) the user's partition, and keeps the account sealed in it.
pub async fn sign_in(store: &LocalStore, request: &SignInRequest) -> Result<(Vault, Account), SignInError> {
    let answer: SignedInView =
        api::post("/auth/sign-in", request, Auth::None).await.map_err(SignInError::Api)?;
    let vault = store.unlock(answer.user.id).await.map_err(SignInError::Store)?;
    let account =
        Account { user: answer.user, device: answer.device.id, refresh_token: answer.refresh_token };
    store.save_account(&vault, &account).await.map_err(SignInError::Store)?;
    Ok((vault, account))
}

impl AppStore {
    /// Whether the signed-in user must change a password someone else chose before anything else
    /// (tracked).
    pub fn must_change_password(&self) -> bool {
        self.signed_in().is_some_and(|signed_in| signed_in.account.user.must_change_password)
    }

    /// Changes the signed-in user's password online; afterwards the tablet works and syncs as usual.
    pub async fn change_password(&self, request: &ChangePasswordRequest) -> Result<(), SignInError> {
        let signed_in = self.signed_in_untracked().ok_or(SignInError::Store(StoreError::Unavailable))?;
        let access = crate::runtime::sync::access_token(&signed_in.store, &signed_in.vault).await.map_err(
            |error| match error {
                crate::runtime::status::SyncError::Api(error) => SignInError::Api(error),
                crate::runtime::status::SyncError::Store(error) => SignInError::Store(error),
            },
        )?;
        api::post_empty("/me/password", request, Auth::Bearer(&access)).await.map_err(SignInError::Api)?;
        // The partition's account holds the rotated refresh token; the flag changes on that copy.
        let mut account = signed_in
            .store
            .account(&signed_in.vault)
            .await
            .map_err(SignInError::Store)?
            .unwrap_or_else(|| signed_in.account.clone());
        account.user.must_change_password = false;
        signed_in.store.save_account(&signed_in.vault, &account).await.map_err(SignInError::Store)?;
        self.state.set(StoreState::Ready(SignedIn { account, ..signed_in }));
        self.sync_now();
        Ok(())
    }

    /// The signed-in user's partition, read without tracking (for event handlers).
    pub fn signed_in_untracked(&self) -> Option<SignedIn> {
        self.state.with_untracked(|state| match state {
            StoreState::Ready(signed_in) => Some(signed_in.clone()),
            _ => None,
        })
    }

    /// Signs in, switches the tablet to the user's partition and syncs at once, so that the user's
    /// pools arrive while they are still online.
    pub async fn sign_in(&self, request: &SignInRequest) -> Result<(), SignInError> {
        let store: Rc<LocalStore> = self.local_store().ok_or(SignInError::Store(StoreError::Unavailable))?;
        let (vault, account) = match sign_in(&store, request).await {
            Err(SignInError::Api(ApiError::Server { wipe: true, .. })) => {
                // This device was revoked (reported lost): it wipes what it holds and starts again as a
                // new device, so that a found tablet can be signed in once more.
                store.wipe().await.map_err(SignInError::Store)?;
                let _ = window().location().reload();
                return Err(SignInError::Api(ApiError::Server {
                    status: 403,
                    code: "device_revoked".into(),
                    wipe: true,
                }));
            }
            other => other?,
        };
        let pools = WritingPools::load(&store, &vault).await.map_err(SignInError::Store)?;
        self.state.set(StoreState::Ready(SignedIn { store, vault, account, pools }));
        self.changed();
        self.sync_now();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn the_form_is_checked_before_sending() {
        let device = uuid::Uuid::from_u128(7);
        assert_eq!(request(" ", "geheim-genug", device, SECRET, "", "Tablet"), Err(SignInError::Missing));
        assert_eq!(request("lena", "", device, SECRET, "", "Tablet"), Err(SignInError::Missing));
        let sent = request(" Lena ", "geheim-genug", device, SECRET, "  ", "Tablet ohne Namen").unwrap();
        assert_eq!((sent.login.as_str(), sent.device.label.as_str()), ("Lena", "Tablet ohne Namen"));
        assert_eq!(sent.device.secret, SECRET);
        assert_eq!(password_change("", "neu-und-lang", "neu-und-lang"), Err(SignInError::Missing));
        assert_eq!(
            password_change("erstes", "neu-und-lang", "neu-und-lanG"),
            Err(SignInError::PasswordsDiffer)
        );
        assert_eq!(
            password_change("erstes", "neu-und-lang", "neu-und-lang").unwrap().new_password,
            "neu-und-lang"
        );
        let long = "x".repeat(200);
        assert_eq!(
            request("lena", "pw", device, SECRET, &long, "Tablet").unwrap().device.label.chars().count(),
            MAX_DEVICE_LABEL_CHARS
        );
    }
}
