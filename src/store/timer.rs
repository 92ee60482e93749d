//! The running timer of Heute, sealed in the user's partition like the account: it names what the
//! companion is doing right now, which is as personal as the entries it becomes.

use begleitbuch_domain::ids::UserId;

use super::{LocalStore, StoreError, Vault};
use crate::timer::RunningTimer;

fn timer_key(user: UserId) -> String {
    format!("timer/{user}")
}

fn timer_context(user: UserId) -> Vec<u8> {
    format!("begleitbuch/timer/1\0{user}").into_bytes()
}

impl LocalStore {
    pub async fn running_timer(&self, vault: &Vault) -> Result<Option<RunningTimer>, StoreError> {
        self.open_sealed_key(vault, &timer_key(vault.user), &timer_context(vault.user)).await
    }

    /// Stores the running timer, or none (`None`: stopped or discarded).
    pub async fn save_timer(&self, vault: &Vault, timer: Option<&RunningTimer>) -> Result<(), StoreError> {
        self.put_sealed_key(vault, &timer_key(vault.user), &timer_context(vault.user), timer).await
    }
}
