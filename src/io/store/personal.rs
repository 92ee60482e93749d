//! What a user keeps on this device besides records, sealed in their partition like the account: the
//! running timer of Heute (what the companion is doing right now is as personal as the entries it
//! becomes) and the directory of their pools (the names of colleagues, for co-companions offline).

use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::org::PoolDirectory;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{LocalStore, StoreError, Vault};

/// The key and the sealing context of one of the user's items; the context binds the sealed bytes to
/// the item and its user, so one item can never be opened as another.
fn slot(item: &str, user: UserId) -> (String, Vec<u8>) {
    (format!("{item}/{user}"), format!("begleitbuch/{item}/1\0{user}").into_bytes())
}

impl LocalStore {
    /// The running timer, as Heute keeps it (`features::today::timer::RunningTimer`): the store seals
    /// it without knowing its shape.
    pub async fn running_timer<T: DeserializeOwned>(&self, vault: &Vault) -> Result<Option<T>, StoreError> {
        let (key, context) = slot("timer", vault.user);
        self.open_sealed_key(vault, &key, &context).await
    }

    /// Stores the running timer, or none (`None`: stopped or discarded).
    pub async fn save_timer<T: Serialize>(&self, vault: &Vault, timer: Option<&T>) -> Result<(), StoreError> {
        let (key, context) = slot("timer", vault.user);
        self.put_sealed_key(vault, &key, &context, timer).await
    }

    /// The pools as the last sync saw them; empty before the first one.
    pub async fn pool_directory(&self, vault: &Vault) -> Result<Vec<PoolDirectory>, StoreError> {
        let (key, context) = slot("pools", vault.user);
        Ok(self.open_sealed_key(vault, &key, &context).await?.unwrap_or_default())
    }

    pub async fn save_pool_directory(
        &self,
        vault: &Vault,
        pools: &[PoolDirectory],
    ) -> Result<(), StoreError> {
        let (key, context) = slot("pools", vault.user);
        self.put_sealed_key(vault, &key, &context, Some(&pools.to_vec())).await
    }
}
