//! Setting up a server: the first admin account (from the CLI, never a built-in default password).

use anyhow::{bail, Context};
use begleitbuch_domain::ids::{ProviderId, UserId};
use begleitbuch_domain::people::Role;
use begleitbuch_store::{Store, StoreError, UserRecord};
use uuid::Uuid;

use crate::auth;
use crate::clock::Clock;

/// Creates `provider` if no provider has that name yet, and an admin account in it.
pub async fn create_admin(
    store: &dyn Store,
    provider: &str,
    login: &str,
    display_name: &str,
    password: &str,
    clock: Clock,
) -> anyhow::Result<UserRecord> {
    let (provider, login, display_name) =
        (provider.trim(), auth::normalise_login(login), display_name.trim());
    if provider.is_empty() || login.is_empty() || display_name.is_empty() {
        bail!("provider, login and display name must not be empty");
    }
    auth::check_password_policy(password)?;
    let now = clock.now_millis();
    let existing = store.providers().await?.into_iter().find(|(_, name)| name == provider);
    let provider_id = match existing {
        Some((id, _)) => id,
        None => {
            let id = ProviderId(Uuid::now_v7());
            store.create_provider(id, provider, now).await?;
            id
        }
    };
    let password = password.to_owned();
    let password_hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await?;
    let admin = UserRecord {
        id: UserId(Uuid::now_v7()),
        provider: provider_id,
        login,
        display_name: display_name.to_owned(),
        role: Role::Admin,
        password_hash,
        must_change_password: false,
        disabled: false,
    };
    match store.create_user(&admin, now).await {
        Err(StoreError::Conflict(_)) => bail!("the login {:?} is already taken", admin.login),
        other => other.context("storing the admin account")?,
    }
    Ok(admin)
}
