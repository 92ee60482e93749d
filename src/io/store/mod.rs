//! The local store: everything the app keeps on the device, in IndexedDB, encrypted.
//!
//! What the user sees (`records`) is the server's state with the pending changes replayed on top; the
//! pending changes themselves wait in `outbox` until the server acknowledges them. A write encrypts
//! first and then, in one readwrite transaction that only puts, stores the new view of the record and
//! its outbox entry: both or neither. See ARCHITECTURE.md and docs/DESIGN.md ("Local storage").

pub mod crypto;
pub mod envelope;
pub mod personal;
pub mod schema;
pub mod sync;

use std::cell::Cell;
use std::rc::Rc;

use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::ids::{uuid_v7, DeviceId, UserId};
use begleitbuch_domain::merge::replay;
use begleitbuch_domain::protocol::{Mutation, PROTOCOL_VERSION};
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::record::{Record, RecordKind};
use indexed_db_futures::database::Database;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use crypto::{CryptoError, DataKey};
use envelope::{
    date_key, outbox_context, record_context, state_date, week_key, OutboxEnvelope, PendingChange,
    RecordEnvelope, UserEnvelope,
};
use schema::{BY_DATE, BY_MUTATION, BY_PARTITION, BY_WEEK, KEYS, OUTBOX, RECORDS, USERS};

/// Why the store could not do something. Each has a stable code; the UI shows `store_error.<code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No IndexedDB in this browser (or it is switched off).
    Unavailable,
    /// No WebCrypto: the page is not served over HTTPS or from localhost.
    CryptoUnavailable,
    /// The device's storage quota is used up.
    Full,
    /// The same change was already stored.
    Duplicate,
    /// Another tab opened a newer version of the app; this one must reload.
    Outdated,
    /// A stored value cannot be decrypted or decoded.
    Corrupt,
    /// Anything else the browser reported, with its name for the log.
    Browser(String),
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "unavailable",
            StoreError::CryptoUnavailable => "crypto_unavailable",
            StoreError::Full => "full",
            StoreError::Duplicate => "duplicate",
            StoreError::Outdated => "outdated",
            StoreError::Corrupt => "corrupt",
            StoreError::Browser(_) => "browser",
        }
    }

    fn from_name(name: &str, detail: impl FnOnce() -> String) -> Self {
        match name {
            "QuotaExceededError" => StoreError::Full,
            "ConstraintError" => StoreError::Duplicate,
            "VersionError" => StoreError::Outdated,
            _ => StoreError::Browser(detail()),
        }
    }
}

impl From<indexed_db_futures::error::Error> for StoreError {
    fn from(error: indexed_db_futures::error::Error) -> Self {
        use indexed_db_futures::error::Error;
        match &error {
            Error::DomException(exception) => {
                StoreError::from_name(&exception.as_sys().name(), || exception.as_sys().name())
            }
            _ => StoreError::Browser(error.to_string()),
        }
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StoreError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> Self {
        use indexed_db_futures::error::OpenDbError;
        match error {
            OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => StoreError::Unavailable,
            OpenDbError::Base(inner) => inner.into(),
            other => StoreError::Browser(other.to_string()),
        }
    }
}

impl From<CryptoError> for StoreError {
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::Unavailable => StoreError::CryptoUnavailable,
            CryptoError::Rejected => StoreError::Corrupt,
            CryptoError::Browser(name) => StoreError::Browser(name),
        }
    }
}

/// A transaction that failed at commit reports why on the transaction itself (a full disk, for
/// instance, only shows up there).
fn commit_error(
    error: indexed_db_futures::error::Error,
    transaction: &web_sys::IdbTransaction,
) -> StoreError {
    match transaction.error() {
        Some(cause) => StoreError::from_name(&cause.name(), || cause.name()),
        None => error.into(),
    }
}

fn corrupt<E>(_: E) -> StoreError {
    StoreError::Corrupt
}

/// Decodes JSON the store sealed. Always as text, like the API's answers: serde_json compiles its
/// decoder once per reader and type, and reading bytes beside text cost the download tens of KB
/// (BENCHMARKS.md, 2026-12-01).
pub(crate) fn decode_json<T: serde::de::DeserializeOwned>(plaintext: &[u8]) -> Result<T, StoreError> {
    let text = std::str::from_utf8(plaintext).map_err(corrupt)?;
    serde_json::from_str(text).map_err(corrupt)
}

/// Decodes a stored value. Values are read as plain `JsValue`s and decoded here rather than through the
/// IndexedDB crate's serde reads, which fail on stored `Uint8Array`s ("Dynamic cast failed").
pub(crate) fn decode<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, StoreError> {
    serde_wasm_bindgen::from_value(value).map_err(corrupt)
}

fn decode_optional<T: serde::de::DeserializeOwned>(value: Option<JsValue>) -> Result<Option<T>, StoreError> {
    value.filter(|v| !v.is_undefined()).map(decode).transpose()
}

/// Milliseconds since the Unix epoch from the browser's clock.
pub fn now_millis() -> f64 {
    js_sys::Date::now()
}

/// A fresh UUIDv7 from the browser's clock and WebCrypto randomness.
pub fn new_id() -> Result<Uuid, StoreError> {
    Ok(uuid_v7(now_millis() as u64, crypto::random_bytes::<10>()?))
}

const DEVICE_KEY: &str = "device_key";
const DEVICE_ID: &str = "device_id";
/// Proves at sign-in that this is the tablet that registered its id (see `DeviceInfo`).
const DEVICE_SECRET: &str = "device_secret";

/// One user's unlocked partition: whose records, and the key that opens them.
#[derive(Clone)]
pub struct Vault {
    pub user: UserId,
    key: DataKey,
}

impl Vault {
    fn partition(&self) -> String {
        self.user.to_string()
    }
}

/// An open connection to the local database.
pub struct LocalStore {
    db: Database,
    device: DeviceId,
    device_secret: String,
    device_key: CryptoKey,
    closed: Rc<Cell<bool>>,
}

impl LocalStore {
    /// Opens the app's database, creating the device key and id at first start.
    pub async fn open() -> Result<Self, StoreError> {
        Self::open_database(schema::DB_NAME, schema::SCHEMA_VERSION).await
    }

    /// Opens `name` at `version`; tests use their own names and older versions.
    pub async fn open_database(name: &str, version: u32) -> Result<Self, StoreError> {
        let db = schema::open(name, version).await?;
        // Read side by side: each answer from IndexedDB waits for a turn of the page's main thread, so
        // reading one after the other would make every start wait twice.
        let (device_key, device_id, device_secret) = futures::try_join!(
            ensure_key(&db, DEVICE_KEY, async { Ok(JsValue::from(crypto::generate_device_key().await?)) }),
            ensure_key(&db, DEVICE_ID, async { Ok(JsValue::from(new_id()?.to_string())) }),
            ensure_key(&db, DEVICE_SECRET, async {
                let bytes = crypto::random_bytes::<32>()?;
                Ok(JsValue::from(bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
            }),
        )?;
        let device_key = device_key.dyn_into::<CryptoKey>().map_err(corrupt)?;
        let device_id =
            device_id.as_string().and_then(|s| s.parse::<Uuid>().ok()).ok_or(StoreError::Corrupt)?;
        let device_secret = device_secret.as_string().ok_or(StoreError::Corrupt)?;
        Ok(LocalStore {
            db,
            device: DeviceId(device_id),
            device_secret,
            device_key,
            closed: Rc::new(Cell::new(false)),
        })
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// Sent at sign-in only: it proves the device id is this tablet's.
    pub fn device_secret(&self) -> &str {
        &self.device_secret
    }

    /// Closes this connection when another tab needs to upgrade the schema, and calls `on_close` so the
    /// app can ask the user to reload. Without this, the other tab's upgrade would wait forever.
    pub fn watch_version_changes(&self, on_close: impl FnOnce() + 'static) -> Result<(), StoreError> {
        let mut changes = self.db.version_changes()?;
        let closed = Rc::clone(&self.closed);
        wasm_bindgen_futures::spawn_local(async move {
            if changes.recv().await.is_some() {
                closed.set(true);
                changes.db().clone().close();
                on_close();
            }
        });
        Ok(())
    }

    /// Closes the connection (tests reopen the same database at a newer version).
    pub fn close(self) {
        self.db.close();
    }

    fn transaction(
        &self,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<indexed_db_futures::transaction::Transaction<'_>, StoreError> {
        if self.closed.get() {
            return Err(StoreError::Outdated);
        }
        Ok(self.db.transaction(stores.to_vec()).with_mode(mode).build()?)
    }

    /// Unwraps `user`'s data key with the device key, making the key at the user's first use.
    pub async fn unlock(&self, user: UserId) -> Result<Vault, StoreError> {
        let id = user.to_string();
        let stored = {
            let transaction = self.transaction(&[USERS], TransactionMode::Readonly)?;
            let users = transaction.object_store(USERS)?;
            decode_optional::<UserEnvelope>(users.get::<JsValue, _, _>(id.as_str()).primitive()?.await?)?
        };
        let wrapped = match stored {
            Some(user) => user.wrapped_key,
            None => {
                let (_, wrapped) = DataKey::generate(&self.device_key).await?;
                let candidate = UserEnvelope { id: id.clone(), wrapped_key: wrapped };
                // Two tabs may make a key at the same moment: `add` lets only the first one in, and
                // everyone uses what is stored.
                let transaction = self.transaction(&[USERS], TransactionMode::Readwrite)?;
                let raw = transaction.as_sys().clone();
                let users = transaction.object_store(USERS)?;
                let added = users.add(&candidate).serde()?.await;
                match added {
                    Ok(()) => transaction.commit().await.map_err(|e| commit_error(e, &raw))?,
                    Err(indexed_db_futures::error::Error::DomException(e))
                        if e.as_sys().name() == "ConstraintError" => {}
                    Err(e) => return Err(e.into()),
                }
                let transaction = self.transaction(&[USERS], TransactionMode::Readonly)?;
                let users = transaction.object_store(USERS)?;
                decode_optional::<UserEnvelope>(users.get::<JsValue, _, _>(id.as_str()).primitive()?.await?)?
                    .ok_or(StoreError::Corrupt)?
                    .wrapped_key
            }
        };
        Ok(Vault { user, key: DataKey::unwrap(&self.device_key, &wrapped).await? })
    }

    /// Records a change: the new view of the record and the outbox entry, both or neither. Returns the
    /// record as the user now sees it (`None` after deleting a record that was never stored).
    ///
    /// `seen` is the record as the user saw it when making the change (`None` for a new record): its
    /// version is the change's base version, which is how the server recognises a conflict later.
    pub async fn write(
        &self,
        vault: &Vault,
        kind: RecordKind,
        record: Uuid,
        seen: Option<&RecordState>,
        change: Change,
    ) -> Result<Option<RecordState>, StoreError> {
        let mutation_id = new_id()?;
        self.write_with_mutation_id(vault, kind, record, seen, change, mutation_id).await
    }

    /// [`LocalStore::write`] with the change's unique id given: a retried save passes the same id and is
    /// refused as a duplicate instead of being queued twice.
    pub async fn write_with_mutation_id(
        &self,
        vault: &Vault,
        kind: RecordKind,
        record: Uuid,
        seen: Option<&RecordState>,
        change: Change,
        mutation_id: Uuid,
    ) -> Result<Option<RecordState>, StoreError> {
        let pending = PendingChange {
            user: vault.user,
            kind,
            record,
            base_version: seen.map_or(0, |state| state.version),
            change,
            payload_version: PROTOCOL_VERSION,
        };
        let Some(view) = replay(seen, &[to_mutation(&pending, self.device, 0, None)]) else {
            return Ok(None);
        };

        // Everything that awaits something other than IndexedDB happens before the transaction opens:
        // awaiting WebCrypto inside it would let the browser commit it half-done.
        let partition = vault.partition();
        let (kind_name, id) = (kind.code(), record.to_string());
        let mutation = mutation_id.to_string();
        let date = date_key(state_date(&view));
        let view_json = serde_json::to_vec(&view).map_err(|e| StoreError::Browser(e.to_string()))?;
        let pending_json = serde_json::to_vec(&pending).map_err(|e| StoreError::Browser(e.to_string()))?;
        let view_context = record_context(&partition, kind_name, &id);
        let change_context = outbox_context(&partition, &mutation, kind_name, &id);
        let (sealed_view, sealed_change) = futures::try_join!(
            vault.key.seal(&view_json, &view_context),
            vault.key.seal(&pending_json, &change_context),
        )?;
        let record_envelope = RecordEnvelope {
            partition: partition.clone(),
            kind: kind_name.to_owned(),
            id: id.clone(),
            week: week_key(&date),
            date,
            version: view.version,
            pending: 1,
            data: sealed_view,
        };
        let outbox_envelope = OutboxEnvelope {
            partition,
            mutation,
            kind: kind_name.to_owned(),
            record: id,
            created_at: now_millis(),
            data: sealed_change,
        };

        let transaction = self.transaction(&[RECORDS, OUTBOX], TransactionMode::Readwrite)?;
        let raw = transaction.as_sys().clone();
        // An error returns early and drops the transaction, which aborts it: neither put stays.
        transaction.object_store(RECORDS)?.put(&record_envelope).serde()?.await?;
        transaction.object_store(OUTBOX)?.add(&outbox_envelope).serde()?.await?;
        transaction.commit().await.map_err(|e| commit_error(e, &raw))?;
        Ok(Some(view))
    }

    /// The record as the user sees it, deleted ones included.
    pub async fn read(
        &self,
        vault: &Vault,
        kind: RecordKind,
        record: Uuid,
    ) -> Result<Option<RecordState>, StoreError> {
        let partition = vault.partition();
        let id = record.to_string();
        let stored = {
            let transaction = self.transaction(&[RECORDS], TransactionMode::Readonly)?;
            let records = transaction.object_store(RECORDS)?;
            let key = [partition.as_str(), kind.code(), id.as_str()];
            records.get::<JsValue, _, _>(key).primitive()?.await?
        };
        match stored.filter(|value| !value.is_undefined()) {
            Some(value) => Ok(Some(open_stored(vault, &value).await?)),
            None => Ok(None),
        }
    }

    /// The records of `kind` dated from `first` to `last` (inclusive), deleted ones left out.
    pub async fn records_between(
        &self,
        vault: &Vault,
        kind: RecordKind,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
    ) -> Result<Vec<RecordState>, StoreError> {
        self.records_by_date_key(vault, kind, &date_key(Some(first)), &date_key(Some(last))).await
    }

    /// Every record of `kind`, dated or not (children, consents), deleted ones left out.
    pub async fn records_of_kind(
        &self,
        vault: &Vault,
        kind: RecordKind,
    ) -> Result<Vec<RecordState>, StoreError> {
        // Undated records index under the empty date; every date sorts before "~".
        self.records_by_date_key(vault, kind, "", "~").await
    }

    /// Every record of type `T`, each as its type (typed form of [`Self::records_of_kind`]; a record
    /// that does not decode is left out).
    pub async fn all<T: Record>(&self, vault: &Vault) -> Result<Vec<T>, StoreError> {
        Ok(self.records_of_kind(vault, T::KIND).await?.iter().filter_map(RecordState::decode).collect())
    }

    /// The records of type `T` dated from `first` to `last` (inclusive), each as its type.
    pub async fn dated<T: Record>(
        &self,
        vault: &Vault,
        first: chrono::NaiveDate,
        last: chrono::NaiveDate,
    ) -> Result<Vec<T>, StoreError> {
        Ok(self
            .records_between(vault, T::KIND, first, last)
            .await?
            .iter()
            .filter_map(RecordState::decode)
            .collect())
    }

    /// Every record of type `T` with the stored state it was decoded from (the base of an edit).
    pub async fn all_with_state<T: Record>(
        &self,
        vault: &Vault,
    ) -> Result<Vec<(T, RecordState)>, StoreError> {
        let states = self.records_of_kind(vault, T::KIND).await?;
        Ok(states.into_iter().filter_map(|state| state.decode().map(|record| (record, state))).collect())
    }

    async fn records_by_date_key(
        &self,
        vault: &Vault,
        kind: RecordKind,
        from: &str,
        to: &str,
    ) -> Result<Vec<RecordState>, StoreError> {
        let partition = vault.partition();
        let stored: Vec<JsValue> = {
            let transaction = self.transaction(&[RECORDS], TransactionMode::Readonly)?;
            let records = transaction.object_store(RECORDS)?;
            let range: KeyRange<[&str; 3]> = KeyRange::Bound(
                [partition.as_str(), kind.code(), from],
                false,
                [partition.as_str(), kind.code(), to],
                false,
            );
            let values = records
                .index(BY_DATE)?
                .get_all::<JsValue>()
                .with_query::<[&str; 3], _>(range)
                .primitive()?
                .await?;
            values.collect::<Result<_, _>>()?
        };
        open_all(vault, stored).await
    }

    /// Every record of the week, of all kinds, deleted ones left out.
    pub async fn records_in_week(&self, vault: &Vault, week: Week) -> Result<Vec<RecordState>, StoreError> {
        let partition = vault.partition();
        let key = week.key();
        let stored: Vec<JsValue> = {
            let transaction = self.transaction(&[RECORDS], TransactionMode::Readonly)?;
            let records = transaction.object_store(RECORDS)?;
            let values = records
                .index(BY_WEEK)?
                .get_all::<JsValue>()
                .with_query([partition.as_str(), key.as_str()])
                .primitive()?
                .await?;
            values.collect::<Result<_, _>>()?
        };
        open_all(vault, stored).await
    }

    /// How many changes of `user` wait for the server.
    pub async fn pending_count(&self, user: UserId) -> Result<u32, StoreError> {
        let partition = user.to_string();
        let transaction = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let outbox = transaction.object_store(OUTBOX)?;
        Ok(outbox.index(BY_PARTITION)?.count().with_query(partition.as_str()).await?)
    }

    /// When the oldest change of `user` that waits for the server was made (Unix milliseconds), read
    /// from the envelopes' plain `created_at` without opening them.
    pub async fn oldest_pending_at(&self, user: UserId) -> Result<Option<i64>, StoreError> {
        let partition = user.to_string();
        let transaction = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let outbox = transaction.object_store(OUTBOX)?;
        // The smallest time over all entries, not the first entry's: a tablet's clock can be set back.
        let index = outbox.index(BY_PARTITION)?;
        let Some(mut cursor) = index.open_cursor().with_query(partition.as_str()).await? else {
            return Ok(None);
        };
        let mut oldest: Option<f64> = None;
        while let Some(value) = cursor.next_record::<JsValue>().await? {
            let created_at = decode::<OutboxEnvelope>(value)?.created_at;
            oldest = Some(oldest.map_or(created_at, |o| o.min(created_at)));
        }
        Ok(oldest.map(|millis| millis as i64))
    }

    /// The waiting changes of the vault's user, oldest first, as the mutations that will be sent.
    pub async fn pending(&self, vault: &Vault) -> Result<Vec<Mutation>, StoreError> {
        let partition = vault.partition();
        let transaction = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let outbox = transaction.object_store(OUTBOX)?;
        let mut entries = Vec::new();
        if let Some(mut cursor) =
            outbox.index(BY_PARTITION)?.open_cursor().with_query(partition.as_str()).await?
        {
            while let Some(value) = cursor.next_record::<JsValue>().await? {
                // Keys from the generator are JS numbers; the crate reads `u64` only from a BigInt.
                let number: f64 = cursor.primary_key()?.ok_or(StoreError::Corrupt)?;
                let number = number as u64;
                entries.push((number, decode::<OutboxEnvelope>(value)?));
            }
        }
        drop(transaction);
        let mut mutations = Vec::with_capacity(entries.len());
        for (number, envelope) in entries {
            let context =
                outbox_context(&envelope.partition, &envelope.mutation, &envelope.kind, &envelope.record);
            let plaintext = vault.key.open(&envelope.data, &context).await?;
            let pending: PendingChange = decode_json(&plaintext)?;
            let id = Uuid::parse_str(&envelope.mutation).map_err(corrupt)?;
            mutations.push(to_mutation(&pending, self.device, number, Some(id)));
        }
        mutations.sort_by_key(|m| m.number);
        Ok(mutations)
    }

    /// Whether a change with this id is already queued.
    pub async fn has_mutation(&self, mutation_id: Uuid) -> Result<bool, StoreError> {
        let transaction = self.transaction(&[OUTBOX], TransactionMode::Readonly)?;
        let outbox = transaction.object_store(OUTBOX)?;
        let id = mutation_id.to_string();
        Ok(outbox.index(BY_MUTATION)?.count().with_query(id.as_str()).await? > 0)
    }
}

/// The mutation a queued change is sent as. `id` is the change's id from the outbox; changes recorded
/// under protocol 1 go out without it, exactly as they may have gone out before (the server compares
/// a retry with what it logged).
fn to_mutation(pending: &PendingChange, device: DeviceId, number: u64, id: Option<Uuid>) -> Mutation {
    Mutation {
        id: id.filter(|_| pending.payload_version >= 2),
        device,
        number,
        user: pending.user,
        kind: pending.kind,
        record: pending.record,
        base_version: pending.base_version,
        change: pending.change.clone(),
        payload_version: pending.payload_version,
    }
}

fn string_field(value: &JsValue, name: &str) -> Result<String, StoreError> {
    js_sys::Reflect::get(value, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
        .ok_or(StoreError::Corrupt)
}

/// Opens a record envelope as read from IndexedDB. Only the three identifying fields and the sealed
/// bytes are read, and the bytes stay in JavaScript memory: in the week view over thousands of
/// records this step is most of the time.
async fn open_stored(vault: &Vault, value: &JsValue) -> Result<RecordState, StoreError> {
    let context = record_context(
        &string_field(value, "partition")?,
        &string_field(value, "kind")?,
        &string_field(value, "id")?,
    );
    let sealed: js_sys::Uint8Array = js_sys::Reflect::get(value, &JsValue::from_str("data"))
        .ok()
        .and_then(|data| data.dyn_into().ok())
        .ok_or(StoreError::Corrupt)?;
    let plaintext = vault.key.open_array(&sealed, &context).await?;
    decode_json(&plaintext)
}

/// Decrypts all envelopes at once (the browser works on them in parallel) and leaves out deleted ones.
async fn open_all(vault: &Vault, stored: Vec<JsValue>) -> Result<Vec<RecordState>, StoreError> {
    let states = futures::future::try_join_all(stored.iter().map(|value| open_stored(vault, value))).await?;
    Ok(states.into_iter().filter(|state| !state.deleted).collect())
}

/// Returns the value stored under `key` in `keys`, storing `make`'s value first if there is none. Two tabs
/// starting at once both make a value, but `add` lets only one in, and both return the stored one.
async fn ensure_key(
    db: &Database,
    key: &str,
    make: impl std::future::Future<Output = Result<JsValue, StoreError>>,
) -> Result<JsValue, StoreError> {
    let existing = {
        let transaction = db.transaction(KEYS).build()?;
        transaction.object_store(KEYS)?.get::<JsValue, _, _>(key).primitive()?.await?
    };
    if let Some(value) = existing.filter(|v| !v.is_undefined()) {
        return Ok(value);
    }
    let candidate = make.await?;
    let transaction = db.transaction(KEYS).with_mode(TransactionMode::Readwrite).build()?;
    let raw = transaction.as_sys().clone();
    let added = transaction.object_store(KEYS)?.add(candidate.clone()).with_key(key).primitive()?.await;
    match added {
        Ok(_) => {
            transaction.commit().await.map_err(|e| commit_error(e, &raw))?;
            Ok(candidate)
        }
        Err(indexed_db_futures::error::Error::DomException(e)) if e.as_sys().name() == "ConstraintError" => {
            drop(transaction);
            let transaction = db.transaction(KEYS).build()?;
            transaction
                .object_store(KEYS)?
                .get::<JsValue, _, _>(key)
                .primitive()?
                .await?
                .ok_or(StoreError::Corrupt)
        }
        Err(e) => Err(e.into()),
    }
}
