//! What sync keeps on the device besides the records: the signed-in account (sealed in the user's
//! partition), the pull cursors, the server's copies of the records, and the log of acknowledged
//! mutations. The invariant of docs/DESIGN.md holds here too: a pull never destroys a pending
//! change — every view it writes is the server's copy with the pending changes replayed on top, and
//! it is only written if the outbox did not change in the meantime.

use std::collections::{BTreeMap, BTreeSet};

use begleitbuch_domain::account::UserView;
use begleitbuch_domain::ids::{DeviceId, PoolId, UserId};
use begleitbuch_domain::merge::replay;
use begleitbuch_domain::protocol::{Cursor, Mutation, Outcome, PulledRecord};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::{Deserialize, Serialize};
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::{JsCast, JsValue};

use super::envelope::{date_key, record_context, state_date, week_key, RecordEnvelope};
use super::schema::{ACKED, ATTENTION, BY_PARTITION, KEYS, OUTBOX, RECORDS, SERVER};
use super::{commit_error, corrupt, decode, decode_json, now_millis, LocalStore, StoreError, Vault};

/// The signed-in account of one user on this device. Sealed under the user's data key: the refresh
/// token opens the user's data on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub user: UserView,
    pub device: DeviceId,
    pub refresh_token: String,
}

/// An acknowledged mutation, kept for re-pushing after the server was restored from a backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AckedEnvelope {
    partition: String,
    acked_at: f64,
    #[serde(with = "serde_bytes")]
    data: Vec<u8>,
}

/// A change the server refused or answered with a conflict, kept until the user has looked at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub mutation: Mutation,
    pub outcome: Outcome,
    /// When the server's answer arrived (Unix milliseconds).
    pub answered_at: f64,
}

fn attention_context(partition: &str, number: u64) -> Vec<u8> {
    format!("begleitbuch/attention/1\0{partition}\0{number}").into_bytes()
}

/// How long acknowledged mutations are kept (docs/DESIGN.md: 30 days).
pub const ACKED_KEEP_MILLIS: f64 = 30.0 * 24.0 * 3600.0 * 1000.0;

const ACTIVE_USER: &str = "active_user";

fn account_key(user: UserId) -> String {
    format!("account/{user}")
}

fn cursors_key(user: UserId) -> String {
    format!("cursors/{user}")
}

fn account_context(user: UserId) -> Vec<u8> {
    format!("begleitbuch/account/1\0{user}").into_bytes()
}

fn acked_context(partition: &str, number: u64) -> Vec<u8> {
    format!("begleitbuch/acked/1\0{partition}\0{number}").into_bytes()
}

fn json_error(error: serde_json::Error) -> StoreError {
    StoreError::Browser(error.to_string())
}

/// A pulled record ready to store: the envelopes of its server copy and view as JavaScript values
/// (none: delete). Without pending changes both are the same value, which IndexedDB copies into each store.
struct PreparedWrite {
    partition: String,
    kind: String,
    id: String,
    server: Option<JsValue>,
    view: Option<JsValue>,
}

fn keys_of(keys: impl Iterator<Item = indexed_db_futures::Result<JsValue>>) -> Result<Vec<f64>, StoreError> {
    keys.map(|key| key.map_err(StoreError::from).and_then(|k| k.as_f64().ok_or(StoreError::Corrupt)))
        .collect()
}

impl LocalStore {
    /// The user whose partition the tablet shows, if anyone signed in on it.
    pub async fn active_user(&self) -> Result<Option<UserId>, StoreError> {
        let transaction = self.transaction(&[KEYS], TransactionMode::Readonly)?;
        let value = transaction.object_store(KEYS)?.get::<JsValue, _, _>(ACTIVE_USER).primitive()?.await?;
        Ok(value.and_then(|v| v.as_string()).and_then(|s| s.parse().ok()).map(UserId))
    }

    /// Stores the account sealed in the user's partition and makes the user the active one.
    pub async fn save_account(&self, vault: &Vault, account: &Account) -> Result<(), StoreError> {
        let plaintext = serde_json::to_vec(account).map_err(json_error)?;
        let sealed = vault.key.seal(&plaintext, &account_context(vault.user)).await?;
        let sealed = js_sys::Uint8Array::from(sealed.as_slice());
        let transaction = self.transaction(&[KEYS], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        let keys = transaction.object_store(KEYS)?;
        keys.put(JsValue::from(sealed)).with_key(account_key(vault.user)).primitive()?.await?;
        keys.put(JsValue::from_str(&vault.user.to_string())).with_key(ACTIVE_USER).primitive()?.await?;
        transaction.commit().await.map_err(|e| commit_error(e, &raw))
    }

    /// Every user who signed in on this device (their partitions each hold an account).
    pub async fn signed_in_users(&self) -> Result<Vec<UserId>, StoreError> {
        let transaction = self.transaction(&[KEYS], TransactionMode::Readonly)?;
        let keys = transaction.object_store(KEYS)?.get_all_keys::<JsValue>().await?;
        let mut users = Vec::new();
        for key in keys {
            let key = key?.as_string().unwrap_or_default();
            if let Some(user) = key.strip_prefix("account/").and_then(|id| id.parse().ok()) {
                users.push(UserId(user));
            }
        }
        Ok(users)
    }

    pub async fn account(&self, vault: &Vault) -> Result<Option<Account>, StoreError> {
        self.open_sealed_key(vault, &account_key(vault.user), &account_context(vault.user)).await
    }

    /// A value sealed under the user's data key in the `keys` store, if there is one.
    pub(super) async fn open_sealed_key<T: serde::de::DeserializeOwned>(
        &self,
        vault: &Vault,
        key: &str,
        context: &[u8],
    ) -> Result<Option<T>, StoreError> {
        let stored = {
            let transaction = self.transaction(&[KEYS], TransactionMode::Readonly)?;
            let keys = transaction.object_store(KEYS)?;
            keys.get::<JsValue, _, _>(key).primitive()?.await?
        };
        let Some(sealed) = stored.filter(|v| !v.is_undefined()) else { return Ok(None) };
        let sealed: js_sys::Uint8Array = sealed.dyn_into().map_err(corrupt)?;
        let plaintext = vault.key.open_array(&sealed, context).await?;
        decode_json(&plaintext).map(Some)
    }

    /// Seals `value` under the user's data key into the `keys` store, or removes the key (`None`).
    pub(super) async fn put_sealed_key<T: Serialize>(
        &self,
        vault: &Vault,
        key: &str,
        context: &[u8],
        value: Option<&T>,
    ) -> Result<(), StoreError> {
        let sealed = match value {
            Some(value) => {
                let plaintext = serde_json::to_vec(value).map_err(json_error)?;
                Some(js_sys::Uint8Array::from(vault.key.seal(&plaintext, context).await?.as_slice()))
            }
            None => None,
        };
        let transaction = self.transaction(&[KEYS], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        let keys = transaction.object_store(KEYS)?;
        match sealed {
            Some(sealed) => {
                keys.put(JsValue::from(sealed)).with_key(key).primitive()?.await?;
            }
            None => keys.delete(key).primitive()?.await?,
        }
        transaction.commit().await.map_err(|e| commit_error(e, &raw))
    }

    pub async fn cursors(&self, user: UserId) -> Result<Vec<Cursor>, StoreError> {
        let transaction = self.transaction(&[KEYS], TransactionMode::Readonly)?;
        let value =
            transaction.object_store(KEYS)?.get::<JsValue, _, _>(cursors_key(user)).primitive()?.await?;
        match value.and_then(|v| v.as_string()) {
            Some(text) => serde_json::from_str(&text).map_err(corrupt),
            None => Ok(Vec::new()),
        }
    }

    pub async fn save_cursors(&self, user: UserId, cursors: &[Cursor]) -> Result<(), StoreError> {
        let text = serde_json::to_string(cursors).map_err(json_error)?;
        let transaction = self.transaction(&[KEYS], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        let keys = transaction.object_store(KEYS)?;
        keys.put(JsValue::from_str(&text)).with_key(cursors_key(user)).primitive()?.await?;
        transaction.commit().await.map_err(|e| commit_error(e, &raw))
    }

    /// Takes the server's answers to pushed mutations, in one transaction. Every answered mutation
    /// leaves the outbox; an applied or conflicting one goes to the log of acknowledged ones, and a
    /// conflicting or refused one is kept for the "needs attention" list, sealed: nothing the user
    /// typed leaves the device before they have seen what became of it. The views of refused changes
    /// are rebuilt from the server's copy, so the screen shows what the server holds.
    pub async fn acknowledge(
        &self,
        vault: &Vault,
        answered: &[(Mutation, Outcome)],
    ) -> Result<(), StoreError> {
        let partition = vault.partition();
        let mut logged = Vec::new();
        let mut attention = Vec::new();
        for (mutation, outcome) in answered {
            if !matches!(outcome, Outcome::Rejected(_)) {
                let plaintext = serde_json::to_vec(mutation).map_err(json_error)?;
                let data = vault.key.seal(&plaintext, &acked_context(&partition, mutation.number)).await?;
                let envelope = AckedEnvelope { partition: partition.clone(), acked_at: now_millis(), data };
                logged.push((mutation.number, envelope));
            }
            if !matches!(outcome, Outcome::Applied { .. }) {
                let item = AttentionItem {
                    mutation: mutation.clone(),
                    outcome: outcome.clone(),
                    answered_at: now_millis(),
                };
                let plaintext = serde_json::to_vec(&item).map_err(json_error)?;
                let data =
                    vault.key.seal(&plaintext, &attention_context(&partition, mutation.number)).await?;
                attention.push((
                    mutation.number,
                    AckedEnvelope { partition: partition.clone(), acked_at: now_millis(), data },
                ));
            }
        }
        if answered.is_empty() {
            return Ok(());
        }
        let transaction = self.transaction(&[OUTBOX, ACKED, ATTENTION], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        let outbox = transaction.object_store(OUTBOX)?;
        let acked = transaction.object_store(ACKED)?;
        let attention_store = transaction.object_store(ATTENTION)?;
        for (mutation, _) in answered {
            // Outbox keys come from the key generator and are JavaScript numbers.
            outbox.delete(mutation.number as f64).primitive()?.await?;
        }
        for (number, envelope) in &logged {
            acked.put(envelope).with_key(*number as f64).serde()?.await?;
        }
        for (number, envelope) in &attention {
            attention_store.put(envelope).with_key(*number as f64).serde()?.await?;
        }
        transaction.commit().await.map_err(|e| commit_error(e, &raw))?;
        let refused: Vec<_> = answered
            .iter()
            .filter(|(_, outcome)| matches!(outcome, Outcome::Rejected(_)))
            .map(|(mutation, _)| (mutation.kind, mutation.record))
            .collect();
        self.rebuild_views(vault, &refused).await
    }

    /// What needs the user's attention, oldest first.
    pub async fn attention(&self, vault: &Vault) -> Result<Vec<AttentionItem>, StoreError> {
        let partition = vault.partition();
        let entries: Vec<(f64, AckedEnvelope)> = {
            let transaction = self.transaction(&[ATTENTION], TransactionMode::Readonly)?;
            let store = transaction.object_store(ATTENTION)?;
            let mut entries = Vec::new();
            if let Some(mut cursor) =
                store.index(BY_PARTITION)?.open_cursor().with_query(partition.as_str()).await?
            {
                while let Some(value) = cursor.next_record::<JsValue>().await? {
                    let number: f64 = cursor.primary_key()?.ok_or(StoreError::Corrupt)?;
                    entries.push((number, decode(value)?));
                }
            }
            entries
        };
        let mut items = Vec::with_capacity(entries.len());
        for (number, envelope) in entries {
            let plaintext =
                vault.key.open(&envelope.data, &attention_context(&partition, number as u64)).await?;
            items.push(decode_json::<AttentionItem>(&plaintext)?);
        }
        items.sort_by_key(|item| item.mutation.number);
        Ok(items)
    }

    pub async fn attention_count(&self, user: UserId) -> Result<u32, StoreError> {
        let partition = user.to_string();
        let transaction = self.transaction(&[ATTENTION], TransactionMode::Readonly)?;
        let store = transaction.object_store(ATTENTION)?;
        Ok(store.index(BY_PARTITION)?.count().with_query(partition.as_str()).await?)
    }

    /// The user has dealt with the item (kept the server's value, discarded the change, or made it
    /// again as a new change).
    pub async fn resolve_attention(&self, number: u64) -> Result<(), StoreError> {
        let transaction = self.transaction(&[ATTENTION], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        transaction.object_store(ATTENTION)?.delete(number as f64).primitive()?.await?;
        transaction.commit().await.map_err(|e| commit_error(e, &raw))
    }

    /// Rebuilds the views of these records from the server's copy (none: the record is gone) with the
    /// pending changes on top.
    pub async fn rebuild_views(
        &self,
        vault: &Vault,
        records: &[(RecordKind, uuid::Uuid)],
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let partition = vault.partition();
        let mut copies = Vec::with_capacity(records.len());
        for (kind, id) in records {
            let stored = {
                let transaction = self.transaction(&[SERVER], TransactionMode::Readonly)?;
                let id = id.to_string();
                let key = [partition.as_str(), kind.code(), id.as_str()];
                transaction.object_store(SERVER)?.get::<JsValue, _, _>(key).primitive()?.await?
            };
            let copy = match stored.filter(|v| !v.is_undefined()) {
                Some(value) => Some(super::open_stored(vault, &value).await?),
                None => None,
            };
            copies.push(PulledRecord {
                pool: PoolId(uuid::Uuid::nil()),
                change: 0,
                kind: *kind,
                id: *id,
                version: copy.as_ref().map_or(0, |c| c.version),
                deleted: copy.is_none(),
                fields: copy.as_ref().map(|c| c.fields.clone()).unwrap_or_default(),
                sets: copy.map(|c| c.sets).unwrap_or_default(),
            });
        }
        while !self.apply_pulled(vault, &copies).await? {}
        Ok(())
    }

    /// The acknowledged mutations of the last 30 days, oldest first, for re-pushing after the server's
    /// data was restored from a backup. Older ones are dropped on the way.
    pub async fn acknowledged(&self, vault: &Vault) -> Result<Vec<Mutation>, StoreError> {
        let partition = vault.partition();
        let mut entries = Vec::new();
        {
            let transaction = self.transaction(&[ACKED], TransactionMode::Readwrite)?;
            let acked = transaction.object_store(ACKED)?;
            let index = acked.index(BY_PARTITION)?;
            if let Some(mut cursor) = index.open_cursor().with_query(partition.as_str()).await? {
                while let Some(value) = cursor.next_record::<JsValue>().await? {
                    let number: f64 = cursor.primary_key()?.ok_or(StoreError::Corrupt)?;
                    let envelope: AckedEnvelope = decode(value)?;
                    if envelope.acked_at < now_millis() - ACKED_KEEP_MILLIS {
                        cursor.delete()?.await?;
                    } else {
                        entries.push((number as u64, envelope));
                    }
                }
            }
            transaction.commit().await?;
        }
        let mut mutations = Vec::new();
        for (number, envelope) in entries {
            let plaintext = vault.key.open(&envelope.data, &acked_context(&partition, number)).await?;
            mutations.push(decode_json::<Mutation>(&plaintext)?);
        }
        mutations.sort_by_key(|m| m.number);
        Ok(mutations)
    }

    /// Stores a pulled page: the server's copies, and each view rebuilt as that copy with the pending
    /// changes on top. Returns false, having written nothing, when the outbox changed while the page
    /// was prepared (the user saved something): the caller prepares the page again.
    pub async fn apply_pulled(&self, vault: &Vault, records: &[PulledRecord]) -> Result<bool, StoreError> {
        let partition = vault.partition();
        let outbox_before = self.outbox_keys(&partition).await?;
        let mut by_record: BTreeMap<uuid::Uuid, Vec<Mutation>> = BTreeMap::new();
        for mutation in self.pending(vault).await? {
            by_record.entry(mutation.record).or_default().push(mutation);
        }
        // The last copy of each record in the page wins.
        let mut latest: BTreeMap<(RecordKind, uuid::Uuid), &PulledRecord> = BTreeMap::new();
        for record in records {
            latest.insert((record.kind, record.id), record);
        }
        let writes = futures::future::try_join_all(latest.values().map(|record| {
            let pending = by_record.get(&record.id).map(Vec::as_slice).unwrap_or_default();
            prepare_pulled(vault, &partition, record, pending)
        }))
        .await?;

        let transaction = self.transaction(&[OUTBOX, SERVER, RECORDS], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        let outbox = transaction.object_store(OUTBOX)?;
        let outbox_now = keys_of(
            outbox.index(BY_PARTITION)?.get_all_keys::<JsValue>().with_query(partition.as_str()).await?,
        )?;
        if outbox_now != outbox_before {
            return Ok(false);
        }
        let server = transaction.object_store(SERVER)?;
        let views = transaction.object_store(RECORDS)?;
        // The requests are issued one after another without waiting for each answer: IndexedDB runs
        // them in order whether or not anyone waits (their futures are dropped), and waiting for every
        // put made a page of 500 records take a thousand round trips to the browser's storage. A failed
        // request aborts the transaction, and the commit reports why.
        for write in &writes {
            let key = [write.partition.as_str(), write.kind.as_str(), write.id.as_str()];
            drop(match &write.server {
                Some(envelope) => server.put(envelope).primitive()?,
                None => server.delete(key).primitive()?,
            });
            drop(match &write.view {
                Some(envelope) => views.put(envelope).primitive()?,
                None => views.delete(key).primitive()?,
            });
        }
        transaction.commit().await.map_err(|e| commit_error(e, &raw))?;
        Ok(true)
    }

    async fn outbox_keys(&self, partition: &str) -> Result<Vec<f64>, StoreError> {
        let transaction = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let outbox = transaction.object_store(OUTBOX)?;
        keys_of(outbox.index(BY_PARTITION)?.get_all_keys::<JsValue>().with_query(partition).await?)
    }

    /// Deletes everything this app stored on the device: every user's records, pending changes, keys
    /// and accounts. Only for a device its team lead revoked (lost or stolen): the server said so.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let stores = [KEYS, super::schema::USERS, RECORDS, SERVER, OUTBOX, ACKED, ATTENTION];
        let transaction = self.transaction(&stores, TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        for name in stores {
            transaction.object_store(name)?.clear()?.await?;
        }
        transaction.commit().await.map_err(|e| commit_error(e, &raw))
    }

    /// Drops the server's copies of the partition (after the server's data was restored from a backup,
    /// or for pools taken away) and rebuilds those views from the pending changes alone, so that nothing
    /// the user typed disappears. `pools`: only records of these pools; `None`: every record.
    pub async fn drop_server_copies(
        &self,
        vault: &Vault,
        pools: Option<&BTreeSet<PoolId>>,
    ) -> Result<(), StoreError> {
        let partition = vault.partition();
        let stored: Vec<JsValue> = {
            let transaction = self.transaction(&[SERVER], TransactionMode::Readonly)?;
            let server = transaction.object_store(SERVER)?;
            let range = indexed_db_futures::KeyRange::Bound(
                [partition.as_str(), "", ""],
                false,
                [partition.as_str(), "\u{ffff}", ""],
                false,
            );
            let values = server.get_all::<JsValue>().with_query::<[&str; 3], _>(range).primitive()?.await?;
            values.collect::<Result<_, _>>()?
        };
        let mut tombstones = Vec::new();
        for value in stored {
            let state = super::open_stored(vault, &value).await?;
            let pool =
                state.fields.get("pool").and_then(|p| serde_json::from_value::<PoolId>(p.clone()).ok());
            let affected = match (pools, pool) {
                (None, _) => true,
                (Some(pools), Some(pool)) => pools.contains(&pool),
                (Some(_), None) => false,
            };
            if affected {
                tombstones.push(PulledRecord {
                    pool: pool.unwrap_or(PoolId(uuid::Uuid::nil())),
                    change: 0,
                    kind: state.kind,
                    id: state.id,
                    version: state.version,
                    deleted: true,
                    fields: BTreeMap::new(),
                    sets: BTreeMap::new(),
                });
            }
        }
        while !self.apply_pulled(vault, &tombstones).await? {}
        Ok(())
    }
}

/// Seals the server's copy of a pulled record and the view rebuilt on it, and turns both into the
/// values IndexedDB stores, before any transaction opens.
async fn prepare_pulled(
    vault: &Vault,
    partition: &str,
    record: &PulledRecord,
    pending: &[Mutation],
) -> Result<PreparedWrite, StoreError> {
    let copy = (!record.deleted).then(|| RecordState {
        kind: record.kind,
        id: record.id,
        version: record.version,
        fields: record.fields.clone(),
        sets: record.sets.clone(),
        field_versions: BTreeMap::new(),
        field_sources: BTreeMap::new(),
        deleted: false,
        lost: Vec::new(),
    });
    let (kind, id) = (record.kind.code(), record.id.to_string());
    let context = record_context(partition, kind, &id);
    let seal = async |state: &RecordState, pending: bool| -> Result<JsValue, StoreError> {
        let json = serde_json::to_vec(state).map_err(json_error)?;
        let data = vault.key.seal(&json, &context).await?;
        let date = date_key(state_date(state));
        let envelope = RecordEnvelope {
            partition: partition.to_owned(),
            kind: kind.to_owned(),
            id: id.clone(),
            week: week_key(&date),
            date,
            version: state.version,
            pending: u8::from(pending),
            data,
        };
        envelope
            .serialize(&Serializer::new().serialize_maps_as_objects(true))
            .map_err(|e| StoreError::Browser(e.to_string()))
    };
    let server = match &copy {
        Some(state) => Some(seal(state, false).await?),
        None => None,
    };
    let view = if pending.is_empty() {
        // Without pending changes the view is the server's copy (`replay` would return it as it is):
        // the same sealed envelope serves both stores, so a first pull encrypts each record once.
        server.clone()
    } else {
        match replay(copy.as_ref(), pending) {
            Some(state) => Some(seal(&state, true).await?),
            None => None,
        }
    };
    Ok(PreparedWrite { partition: partition.to_owned(), kind: kind.to_owned(), id, server, view })
}
