//! The sync engine: pushes the outbox, then pulls the user's pools, with the user's own tokens. One
//! run at a time per device (`navigator.locks`, across tabs); a failed run leaves everything where it
//! was — the outbox only shrinks by what the server answered, and views are only rebuilt from pulled
//! copies with the pending changes on top.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use begleitbuch_domain::account::{AccessView, RefreshRequest};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{
    Cursor, Holding, Mutation, Outcome, PullPage, PullRequest, PushRequest, PushResponse, PROTOCOL_VERSION,
};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use leptos::prelude::*;

use crate::io::store::{LocalStore, StoreError, Vault};
use crate::runtime::pools::WritingPools;
use crate::runtime::state::AppStore;
use crate::runtime::status::SyncError;
use begleitbuch_web::api::{self, ApiError, Auth};

/// Mutations per push: well below the server's limit of 500 and its 1 MiB body limit.
const PUSH_BATCH: usize = 200;
/// Records per pull page.
const PULL_LIMIT: u32 = 500;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub pushed: usize,
    /// Mutations the server refused; they stay on the device for the user to look at.
    pub rejected: usize,
    pub pulled: usize,
}

/// A fresh access token for the user of `vault`. The refresh token rotates at every use: it is read
/// from the user's partition (not from memory, so that every run and tab uses the newest), and its
/// successor is sealed there before the access token is used. Were that save to fail, the one just
/// presented still works within the server's grace window.
pub async fn access_token(store: &LocalStore, vault: &Vault) -> Result<String, SyncError> {
    let mut account = store.account(vault).await?.ok_or(SyncError::Store(StoreError::Unavailable))?;
    let refresh = RefreshRequest { refresh_token: account.refresh_token.clone() };
    let access: AccessView = api::post("/auth/token", &refresh, Auth::None).await?;
    if let Some(next) = access.refresh_token {
        account.refresh_token = next;
        store.save_account(vault, &account).await?;
    }
    Ok(access.access_token)
}

/// One sync run for the user of `vault`.
pub async fn run(store: &LocalStore, vault: &Vault) -> Result<Report, SyncError> {
    let token = access_token(store, vault).await?;
    let token = token.as_str();
    let mut report = Report::default();

    let pending = store.pending(vault).await?;
    for batch in pending.chunks(PUSH_BATCH) {
        let answered = push(store, token, batch).await?;
        report.pushed += answered.len();
        report.rejected += answered.iter().filter(|(_, o)| matches!(o, Outcome::Rejected(_))).count();
        let complete = answered.len() == batch.len();
        store.acknowledge(vault, &answered).await?;
        if !complete {
            // The server stopped early; the rest goes with the next run.
            break;
        }
    }

    let cursors = store.cursors(vault.user).await?;
    let holding = holding(store, vault).await?;
    // The pull's span for bench/first-pull.mjs: from asking for the first page to having stored the last.
    crate::runtime::state::mark("pull-start");
    let mut page = pull(token, cursors, Some(holding)).await?;
    loop {
        if page.full_resync {
            // The server's data was restored from a backup: what the device knew of it is void, and
            // the changes it already handed over may be missing there. Both are redone.
            store.drop_server_copies(vault, None).await?;
            let log = store.acknowledged(vault).await?;
            for batch in log.chunks(PUSH_BATCH) {
                push(store, token, batch).await?;
            }
        }
        if !page.removed_pools.is_empty() {
            let removed: BTreeSet<_> = page.removed_pools.iter().copied().collect();
            store.drop_server_copies(vault, Some(&removed)).await?;
        }
        // The next page is asked for while this one is stored, so that the server and the device work
        // at the same time instead of taking turns. The request carries this page's cursors, as it
        // would after storing it; the cursors are saved only once the page is stored.
        let stored = async {
            while !store.apply_pulled(vault, &page.records).await? {}
            Ok::<_, SyncError>(())
        };
        let next = async {
            if page.has_more {
                Some(pull(token, page.cursors.clone(), None).await)
            } else {
                None
            }
        };
        let (stored, next) = futures::join!(stored, next);
        stored?;
        report.pulled += page.records.len();
        store.save_cursors(vault.user, &page.cursors).await?;
        match next {
            Some(next) => page = next?,
            None => break,
        }
    }
    crate::runtime::state::mark("pull-done");
    // The names of the people in the user's pools, for choosing co-companions while offline.
    let pools: Vec<PoolDirectory> = api::get("/pools", Auth::Bearer(token)).await?;
    store.save_pool_directory(vault, &pools).await?;
    Ok(report)
}

/// What the tablet holds for the user after the push: counts and the oldest change's time only.
async fn holding(store: &LocalStore, vault: &Vault) -> Result<Holding, SyncError> {
    let unsent = store.pending_count(vault.user).await?;
    let oldest_unsent = store.oldest_pending_at(vault.user).await?;
    let unresolved = store.attention(vault).await?;
    // An item's change was made when its id (a UUIDv7) says; an older app's item has only its answer.
    let made_at = |item: &crate::io::store::sync::AttentionItem| {
        item.mutation
            .id
            .and_then(|id| id.get_timestamp())
            .map(|at| {
                let (seconds, nanos) = at.to_unix();
                (seconds * 1000 + u64::from(nanos / 1_000_000)) as i64
            })
            .unwrap_or(item.answered_at as i64)
    };
    let oldest = unresolved.iter().map(made_at).chain(oldest_unsent).min();
    Ok(Holding {
        unsent,
        unresolved: unresolved.len() as u32,
        oldest_at: oldest,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// One page of the pull; the first of a run carries what the tablet holds.
async fn pull(token: &str, cursors: Vec<Cursor>, holding: Option<Holding>) -> Result<PullPage, SyncError> {
    let request = PullRequest { protocol: PROTOCOL_VERSION, cursors, limit: PULL_LIMIT, holding };
    Ok(api::post("/sync/pull", &request, Auth::Bearer(token)).await?)
}

async fn sync_others(store: &LocalStore, active: begleitbuch_domain::ids::UserId) {
    let Ok(users) = store.signed_in_users().await else { return };
    for user in users.into_iter().filter(|user| *user != active) {
        let Ok(vault) = store.unlock(user).await else { continue };
        let _ = run(store, &vault).await;
    }
}

async fn push(
    store: &LocalStore,
    token: &str,
    batch: &[Mutation],
) -> Result<Vec<(Mutation, Outcome)>, SyncError> {
    let request =
        PushRequest { protocol: PROTOCOL_VERSION, device: store.device(), mutations: batch.to_vec() };
    let response: PushResponse = api::post("/sync/push", &request, Auth::Bearer(token)).await?;
    Ok(response
        .results
        .into_iter()
        .filter_map(|result| {
            let mutation = batch.iter().find(|m| m.number == result.number)?;
            Some((mutation.clone(), result.outcome))
        })
        .collect())
}

/// The wait before the next automatic run after `failures` failed runs in a row: 5 s, doubling, at
/// most 5 minutes. Pressing the button or coming back online does not wait.
pub fn backoff_millis(failures: u32) -> f64 {
    let doubled = 5_000.0 * f64::from(2u32.saturating_pow(failures.saturating_sub(1).min(16)));
    doubled.min(300_000.0)
}

/// How often a signed-in, online, visible app syncs by itself.
pub const PERIOD_MILLIS: f64 = 60_000.0;

impl AppStore {
    /// Starts a sync run now, unless one is running or nobody is signed in on this device.
    pub fn sync_now(&self) {
        let app = *self;
        let Some(signed_in) = app.signed_in_untracked() else { return };
        // Until a password someone else chose is changed, the server refuses everything else.
        if signed_in.account.user.must_change_password {
            return;
        }
        let account = signed_in.account.clone();
        let status = app.status;
        if status.syncing.get_untracked() {
            return;
        }
        status.syncing.set(true);
        leptos::task::spawn_local(async move {
            let result = Rc::new(std::cell::RefCell::new(None));
            let work = {
                let (result, signed_in, account) = (Rc::clone(&result), signed_in.clone(), account.clone());
                Box::pin(async move {
                    let outcome = run(&signed_in.store, &signed_in.vault).await;
                    *result.borrow_mut() = Some(outcome);
                    // Colleagues who signed in on this tablet earlier sync after the user at it, each
                    // with their own tokens; what fails for them waits for their next turn.
                    sync_others(&signed_in.store, account.user.id).await;
                })
            };
            exclusively(work).await;
            let outcome = result.borrow_mut().take();
            let now = js_sys::Date::now();
            let succeeded = matches!(outcome, Some(Ok(_)));
            match outcome {
                Some(Ok(report)) => {
                    status.last_synced.set(Some(now));
                    status.last_error.set(None);
                    status.rejected.set(report.rejected);
                    status.failures.set(0);
                    status.next_attempt.set(now + PERIOD_MILLIS);
                    app.refresh_pools(&signed_in).await;
                    if report.pulled > 0 {
                        app.changed();
                    }
                }
                Some(Err(SyncError::Api(ApiError::Server { wipe: true, .. }))) => {
                    // The team lead revoked this device (lost or stolen): its data must not stay.
                    if signed_in.store.wipe().await.is_ok() {
                        let _ = window().location().reload();
                    }
                }
                Some(Err(error)) => {
                    let failures = status.failures.get_untracked() + 1;
                    status.failures.set(failures);
                    status.next_attempt.set(now + backoff_millis(failures));
                    status.last_error.set(Some(error));
                }
                // Another tab is syncing; this one looks again at its next tick.
                None => status.next_attempt.set(now + backoff_millis(1)),
            }
            app.refresh_pending().await;
            app.refresh_attention().await;
            status.syncing.set(false);
            // A change saved during a good run goes out now; after a failure the backoff decides.
            // (A pull that brought records also bumps the revision, but leaves nothing to send.)
            if status.again.get_untracked() {
                status.again.set(false);
                if succeeded && status.pending.get_untracked() > 0 {
                    app.sync_now();
                }
            }
        });
    }

    /// Recounts what waits in "Zu klären" for the user of the signed-in partition.
    pub async fn refresh_attention(&self) {
        let Some(signed_in) = self.signed_in_untracked() else { return };
        if let Ok(count) = signed_in.store.attention_count(signed_in.vault.user).await {
            self.status.attention.set(count);
        }
    }

    /// After a sync, the pools new records may go into follow the pool directory the server sent
    /// (the first one arrives with the first sync after sign-in; a cover adds a pool, its end removes it).
    async fn refresh_pools(&self, signed_in: &crate::runtime::state::SignedIn) {
        let Ok(pools) = WritingPools::load(&signed_in.store, &signed_in.vault).await else {
            return;
        };
        if pools != signed_in.pools {
            let mut updated = signed_in.clone();
            updated.pools = pools;
            self.state.set(crate::runtime::state::StoreState::Ready(updated));
        }
    }

    /// Syncs when the store opens, when the connection comes back, when the app becomes visible
    /// again, and every minute while it is online and visible (later after failures). Background
    /// Sync is missing on Safari and Firefox, so the app does not rely on it.
    pub fn keep_in_sync(&self) {
        let app = *self;
        let status = app.status;
        Effect::new(move |synced_once: Option<bool>| {
            if synced_once.is_none() || app.signed_in().is_some() {
                leptos::task::spawn_local(async move { app.refresh_attention().await });
            }
            let ready = app.signed_in().is_some();
            if ready && synced_once != Some(true) {
                app.sync_now();
            }
            ready || synced_once == Some(true)
        });
        // A change saved while online goes out at once, or right after the run that is under way.
        Effect::new(move |first: Option<()>| {
            app.revision.track();
            if first.is_some() && status.online.get_untracked() {
                if status.syncing.get_untracked() {
                    status.again.set(true);
                } else {
                    app.sync_now();
                }
            }
        });
        let _ = window_event_listener(leptos::ev::online, move |_| app.sync_now());
        let _ = leptos::prelude::document().add_event_listener_with_callback(
            "visibilitychange",
            Closure::<dyn Fn()>::new(move || {
                if visible() {
                    app.sync_now();
                }
            })
            .into_js_value()
            .unchecked_ref(),
        );
        let _ = leptos::prelude::set_interval_with_handle(
            move || {
                let due = js_sys::Date::now() >= status.next_attempt.get_untracked();
                if due && status.online.get_untracked() && visible() {
                    app.sync_now();
                }
            },
            std::time::Duration::from_secs(5),
        );
    }
}

fn visible() -> bool {
    leptos::prelude::document().visibility_state() == web_sys::VisibilityState::Visible
}

/// Runs `work` unless another tab of this app is syncing right now (Web Locks API, where the browser
/// has it; otherwise tabs may sync at the same time, which the server's dedupe makes harmless).
/// Returns whether it ran.
pub async fn exclusively(work: Pin<Box<dyn Future<Output = ()>>>) -> bool {
    let navigator = web_sys::window().map(|w| w.navigator());
    let locks = navigator
        .and_then(|n| js_sys::Reflect::get(&n, &JsValue::from_str("locks")).ok())
        .filter(|l| !l.is_undefined());
    let request = locks
        .as_ref()
        .and_then(|l| js_sys::Reflect::get(l, &JsValue::from_str("request")).ok())
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        work.await;
        return true;
    };
    let ran = Rc::new(Cell::new(false));
    let work = Rc::new(Cell::new(Some(work)));
    let callback = {
        let ran = Rc::clone(&ran);
        Closure::once(move |lock: JsValue| -> js_sys::Promise {
            match (lock.is_null(), work.take()) {
                (false, Some(work)) => {
                    ran.set(true);
                    wasm_bindgen_futures::future_to_promise(async move {
                        work.await;
                        Ok(JsValue::UNDEFINED)
                    })
                }
                _ => js_sys::Promise::resolve(&JsValue::UNDEFINED),
            }
        })
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("ifAvailable"), &JsValue::TRUE);
    let promise = request.call3(&locks, &JsValue::from_str("begleitbuch-sync"), &options, callback.as_ref());
    if let Ok(promise) = promise.and_then(|p| p.dyn_into::<js_sys::Promise>()) {
        let _ = JsFuture::from(promise).await;
    }
    ran.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_five_seconds_up_to_five_minutes() {
        assert_eq!(backoff_millis(1), 5_000.0);
        assert_eq!(backoff_millis(2), 10_000.0);
        assert_eq!(backoff_millis(4), 40_000.0);
        assert_eq!(backoff_millis(9), 300_000.0);
        assert_eq!(backoff_millis(u32::MAX), 300_000.0);
    }
}
