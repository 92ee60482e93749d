//! Server-side storage: the [`Store`] trait and its two implementations, SQLite (one file, the default
//! for a single provider) and PostgreSQL (when one machine is outgrown; several server instances can
//! share it). Both run forward-only migrations from `migrations/<backend>/` on open.
#![forbid(unsafe_code)]

mod accounts;
mod organisation;
mod postgres;
mod push;
mod records;
mod records_sql;
mod sql;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

pub use accounts::{BrowserSignIn, DeviceRecord, Holder, Person, Rotation, TokenGrant, UserRecord};
use begleitbuch_domain::access::Scope;
use begleitbuch_domain::ids::{ChildId, DeviceId, InstitutionId, MembershipId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::Institution;
use begleitbuch_domain::protocol::{Cursor, Mutation, PullPage, PushResult};
use begleitbuch_domain::record::RecordState;
pub use organisation::PoolRecord;
pub use postgres::PostgresStore;
pub use records::{StoredRecord, Writer, ANSWER_LOG_PAYLOAD_DAYS, MAX_PULL_LIMIT};
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
    /// A unique value (a login, an id) is already taken.
    #[error("{0} already exists")]
    Conflict(String),
    #[error("backup or restore failed: {0}")]
    Backup(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// Answers once the database accepts queries.
    async fn ping(&self) -> Result<(), StoreError>;

    /// The identity of this copy of the data; see `migrations/*/0001_server_meta.sql`.
    async fn epoch(&self) -> Result<Uuid, StoreError>;

    /// Gives this copy of the data a new identity. Called after a restore: devices whose cursors carry
    /// the old epoch then resync fully and re-push what they still hold.
    async fn renew_epoch(&self) -> Result<Uuid, StoreError>;

    /// Writes a consistent copy of the whole database to `target` (which must not exist yet): SQLite
    /// with `VACUUM INTO`, PostgreSQL with `pg_dump --format=custom`.
    async fn backup(&self, target: &Path) -> Result<(), StoreError>;

    // Providers and accounts. Times are Unix milliseconds, passed in by the caller.

    async fn create_provider(&self, id: ProviderId, name: &str, now: i64) -> Result<(), StoreError>;
    async fn providers(&self) -> Result<Vec<(ProviderId, String)>, StoreError>;
    /// Fails with [`StoreError::Conflict`] when the login is taken.
    async fn create_user(&self, user: &UserRecord, now: i64) -> Result<(), StoreError>;
    async fn user(&self, id: UserId) -> Result<Option<UserRecord>, StoreError>;
    /// `login` in lower case, as stored.
    async fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError>;
    async fn set_password(
        &self,
        user: UserId,
        password_hash: &str,
        must_change: bool,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The provider's accounts, with their last activity, ordered by display name.
    async fn people(&self, provider: ProviderId) -> Result<Vec<Person>, StoreError>;
    /// Records that the account was used now (only ever moves forward).
    async fn touch_user(&self, user: UserId, now: i64) -> Result<(), StoreError>;
    /// Deactivates or reactivates the account; a deactivated one cannot sign in (its sessions are
    /// ended by the caller with [`Store::revoke_user_tokens`]), and everything it recorded stays.
    async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<(), StoreError>;

    // Devices and tokens. Tokens are stored as SHA-256 hashes only.

    /// Registers a device at its first sign-in with the hash of its secret, or updates its label and
    /// last contact. A device's secret hash, once kept, never changes (a device registered before
    /// secrets were kept takes the first one presented).
    async fn register_device(
        &self,
        id: DeviceId,
        provider: ProviderId,
        label: &str,
        secret_hash: &str,
        now: i64,
    ) -> Result<DeviceRecord, StoreError>;
    async fn device(&self, id: DeviceId) -> Result<Option<DeviceRecord>, StoreError>;
    async fn devices(&self, provider: ProviderId) -> Result<Vec<DeviceRecord>, StoreError>;
    /// The users signed in on a device (holding a refresh token for it), with their roles.
    async fn signed_in_on(
        &self,
        device: DeviceId,
    ) -> Result<Vec<(UserId, begleitbuch_domain::people::Role)>, StoreError>;
    async fn touch_device(&self, id: DeviceId, now: i64) -> Result<(), StoreError>;
    /// Keeps what the tablet reports holding for the user, replacing their earlier report.
    async fn report_holding(
        &self,
        device: DeviceId,
        user: UserId,
        holding: &begleitbuch_domain::protocol::Holding,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Everyone signed in on or reported by each of the provider's tablets, ordered by name.
    async fn tablet_people(
        &self,
        provider: ProviderId,
    ) -> Result<Vec<(DeviceId, begleitbuch_domain::account::TabletPerson)>, StoreError>;
    /// Marks the device revoked. Its tokens stay, unusable: the device's next contact with one of them
    /// is answered with the order to wipe its data, which a deleted token could not carry.
    async fn revoke_device(&self, id: DeviceId, now: i64) -> Result<(), StoreError>;
    /// Stores the refresh token of (user, device), replacing an earlier one and its predecessor.
    async fn store_refresh_token(
        &self,
        grant: TokenGrant,
        token_hash: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Who holds the refresh token with this hash (without using it).
    async fn refresh_token(&self, token_hash: &str) -> Result<Option<TokenGrant>, StoreError>;
    /// Exchanges a presented refresh token for a new one (`new_hash`, valid until `expires_at`): the
    /// current token rotates, keeping the presented one valid until `grace_until`; the previous token
    /// within its grace rotates again; the previous token after its grace ends the (user, device)
    /// session — its refresh and access tokens are deleted.
    async fn rotate_refresh_token(
        &self,
        presented_hash: &str,
        new_hash: &str,
        now: i64,
        grace_until: i64,
        expires_at: i64,
    ) -> Result<Rotation, StoreError>;
    async fn store_access_token(
        &self,
        grant: TokenGrant,
        token_hash: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn access_token(&self, token_hash: &str) -> Result<Option<TokenGrant>, StoreError>;
    /// Signs the user out everywhere — every device's tokens and every browser sign-in — except on
    /// `keep` (where they changed their own password).
    async fn revoke_user_tokens(&self, user: UserId, keep: Option<Holder<'_>>) -> Result<(), StoreError>;

    // Browser sign-ins (the office and the parents' pages).

    /// Keeps a new browser sign-in under its token's hash; ended ones are cleared as new ones are made.
    async fn store_browser_sign_in(
        &self,
        sign_in: &BrowserSignIn,
        token_hash: &str,
        now: i64,
    ) -> Result<(), StoreError>;
    async fn browser_sign_in(&self, token_hash: &str) -> Result<Option<BrowserSignIn>, StoreError>;
    async fn touch_browser_sign_in(&self, token_hash: &str, now: i64) -> Result<(), StoreError>;
    /// Ends one browser sign-in (sign-out); ending an unknown one does nothing.
    async fn end_browser_sign_in(&self, token_hash: &str) -> Result<(), StoreError>;

    // Institutions and pools.

    /// Fails with [`StoreError::Conflict`] when the provider already has an institution of that name.
    async fn create_institution(&self, institution: &Institution, now: i64) -> Result<(), StoreError>;
    async fn institutions(&self, provider: ProviderId) -> Result<Vec<Institution>, StoreError>;
    /// Changes the provider's institution `id` to `details` (checked by the caller); `false` when the
    /// provider has no such institution, `Conflict` when another of its institutions has that name.
    async fn update_institution(
        &self,
        provider: ProviderId,
        id: InstitutionId,
        details: &begleitbuch_domain::org::InstitutionDetails,
    ) -> Result<bool, StoreError>;
    /// Imports an allocation list's planned lines for `school_year` in one transaction: a school the
    /// provider does not have becomes an institution (matched by name), a known one takes the list's
    /// region and the planned year levels, and each gets the list's FTE for that school year; other
    /// years' FTE stay.
    async fn import_allocation(
        &self,
        provider: ProviderId,
        school_year: i32,
        lines: &[begleitbuch_domain::org::PlannedLine],
        now: i64,
    ) -> Result<(), StoreError>;
    async fn create_pool(
        &self,
        pool: PoolId,
        provider: ProviderId,
        institution: InstitutionId,
        school_year: i32,
        now: i64,
    ) -> Result<(), StoreError>;
    /// The pool with this id, of any provider (the caller checks whose it is).
    async fn pool(&self, id: PoolId) -> Result<Option<PoolRecord>, StoreError>;
    /// Fails with [`StoreError::Conflict`] when the person already has an open membership there.
    async fn add_membership(
        &self,
        id: MembershipId,
        new: &begleitbuch_domain::org::NewMembership,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Sets the last day of an open membership; an ended or unknown one stays as it is.
    async fn end_membership(&self, id: MembershipId, last_day: chrono::NaiveDate) -> Result<(), StoreError>;
    /// Every membership in the provider's pools, ended ones included, by pool, name and first day.
    async fn memberships(
        &self,
        provider: ProviderId,
    ) -> Result<Vec<begleitbuch_domain::org::Membership>, StoreError>;
    /// These pools with their institution's name and the people whose membership is in force `today`
    /// (not deactivated), by name.
    async fn pool_directory(
        &self,
        pools: &std::collections::BTreeSet<PoolId>,
        today: chrono::NaiveDate,
    ) -> Result<Vec<begleitbuch_domain::org::PoolDirectory>, StoreError>;

    // Records and sync. Every decision about a record (authorization, week locks, conflicts) is made
    // inside the writing transaction by the domain crate's pure functions.

    /// What `user` may see, from the store's own tables; `today` (Europe/Berlin) decides which cover
    /// grants are in force. `Scope::pools` are also the pools the user's devices keep (only companions
    /// sign in on tablets): the pools they belong to and cover today.
    async fn scope(&self, user: &UserRecord, today: chrono::NaiveDate) -> Result<Scope, StoreError>;
    /// Applies a batch from one writer (a tablet's push, or one office write) in one transaction, with
    /// a savepoint per mutation, and answers each in order. A mutation already answered gets its stored answer again. After a database error
    /// the answers stop early; what was answered is committed, and the device sends the rest again.
    async fn push(
        &self,
        scope: &Scope,
        writer: Writer,
        mutations: &[Mutation],
        now: i64,
    ) -> Result<Vec<PushResult>, StoreError>;
    /// The changes in the user's pools after the given cursors, at most `limit` (capped at
    /// [`MAX_PULL_LIMIT`]) records; what the user may not read comes as a bare tombstone if a device
    /// of theirs may hold it, and not at all if they could never have read it.
    async fn pull(&self, scope: &Scope, cursors: &[Cursor], limit: u32) -> Result<PullPage, StoreError>;
    /// The provider's records of these kinds that are not deleted, by id: what the office reads
    /// online (the server then keeps what the user may read). With `from`, only records that cover
    /// a day from then on (by their last day; records without days are left out).
    async fn provider_records(
        &self,
        provider: ProviderId,
        kinds: &[begleitbuch_domain::record::RecordKind],
        from: Option<chrono::NaiveDate>,
    ) -> Result<Vec<StoredRecord>, StoreError>;
    async fn record(&self, id: uuid::Uuid) -> Result<Option<StoredRecord>, StoreError>;
    /// Runs the one-time data tasks the migrations left (`pending_tasks`) at `now`; returns their names.
    async fn run_pending_tasks(&self, now: i64) -> Result<Vec<String>, StoreError>;
    /// Replaces the payloads of at most `limit` answer-log entries received before `before` by what
    /// they changed (see [`ANSWER_LOG_PAYLOAD_DAYS`]); returns how many it redacted.
    async fn redact_answer_log(&self, before: i64, limit: u32) -> Result<u64, StoreError>;
    /// Stores records on behalf of `by` without the authorization of a push: for demo data and imports
    /// by an administrator. Each record must pass the domain rules.
    async fn import_records(
        &self,
        provider: ProviderId,
        by: UserId,
        records: &[RecordState],
        now: i64,
    ) -> Result<(), StoreError>;
    /// Records that `parent`'s account has custody of `child`: the guardian record with the account's
    /// id lists the child (made from the account's name if there is none yet).
    async fn link_parent(&self, parent: UserId, child: ChildId, now: i64) -> Result<(), StoreError>;

    // Sign-in rate limiting, shared by every server instance on the same database.

    /// Counts a sign-in attempt against each of `subjects` *before* its password is checked, and
    /// returns, per subject, the attempts since `since` that did not succeed, this one included. Each
    /// row is committed before counting, so of any number of parallel attempts the n-th to commit sees
    /// at least n: a limit holds under concurrency as it does one after another. Rows older than
    /// `since` are pruned here.
    async fn begin_sign_in_attempt(
        &self,
        attempt: uuid::Uuid,
        subjects: &[&str],
        now: i64,
        since: i64,
    ) -> Result<Vec<u32>, StoreError>;
    /// The attempt no longer counts (it succeeded, or it was refused before its password was checked).
    async fn forget_sign_in_attempt(&self, attempt: uuid::Uuid) -> Result<(), StoreError>;
    /// Forgets every earlier attempt against `subject` (after a successful sign-in to the account).
    async fn clear_sign_in_failures(&self, subject: &str) -> Result<(), StoreError>;
}

/// Makes sure `path` exists and only its owner may read or write it (0600): the database and its
/// backups hold health data about children. An existing file is narrowed to 0600 as well.
pub(crate) fn owner_only_file(path: &Path) -> Result<(), StoreError> {
    let failed = |e: std::io::Error| StoreError::Corrupt(format!("cannot secure {}: {e}", path.display()));
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path).map_err(failed)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(failed)?;
    }
    #[cfg(not(unix))]
    options.open(path).map_err(failed)?;
    Ok(())
}

/// Where the data lives: a `postgres://` URL, or else an SQLite file in the data directory.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match database_url {
        Some(url) => Ok(Arc::new(PostgresStore::connect(url).await?)),
        None => Ok(Arc::new(SqliteStore::open(&data_dir.join(SQLITE_FILE)).await?)),
    }
}

/// Restores a backup made by [`Store::backup`] into an empty database (an SQLite data directory without
/// a database file, or a PostgreSQL database without tables) and gives it a new epoch.
pub async fn restore(
    backup: &Path,
    database_url: Option<&str>,
    data_dir: &Path,
) -> Result<Arc<dyn Store>, StoreError> {
    if !backup.is_file() {
        return Err(StoreError::Backup(format!("{} is not a backup file", backup.display())));
    }
    let store: Arc<dyn Store> = match database_url {
        Some(url) => Arc::new(PostgresStore::restore(backup, url).await?),
        None => Arc::new(SqliteStore::restore(backup, &data_dir.join(SQLITE_FILE)).await?),
    };
    store.renew_epoch().await?;
    Ok(store)
}

/// The SQLite database file in the data directory.
pub const SQLITE_FILE: &str = "begleitbuch.sqlite3";

fn parse_epoch(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("epoch {text:?}: {e}")))
}

fn new_epoch() -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    (Uuid::now_v7().to_string(), now.to_string())
}
