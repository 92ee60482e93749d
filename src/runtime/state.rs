//! The app's connection to the local store, shared through the Leptos context: opened once at start,
//! with the user's partition unlocked, and a revision that pages watch to reload after a write.

use std::rc::Rc;

use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use begleitbuch_domain::ids::UserId;

use crate::io::store::sync::Account;
use crate::io::store::{LocalStore, StoreError, Vault};
use crate::runtime::pools::WritingPools;
use crate::runtime::status::SyncStatus;

/// An open store with the signed-in user's partition unlocked. Nothing is recorded without an
/// account: a tablet nobody has signed in on shows sign-in and nobody is signed in.
#[derive(Clone)]
pub struct SignedIn {
    pub store: Rc<LocalStore>,
    pub vault: Vault,
    /// The signed-in account whose partition this is.
    pub account: Account,
    /// The pools the user may write into, from the pool directory of the last sync.
    pub pools: WritingPools,
}

impl SignedIn {
    /// The signed-in user.
    pub fn user(&self) -> UserId {
        self.account.user.id
    }
}

#[derive(Clone)]
pub enum StoreState {
    Opening,
    /// The store is open, and nobody has signed in on this tablet yet: only sign-in is offered.
    SignedOut(Rc<LocalStore>),
    Ready(SignedIn),
    Failed(StoreError),
}

#[derive(Clone, Copy)]
pub struct AppStore {
    pub state: RwSignal<StoreState, LocalStorage>,
    /// Bumped after every write; pages that show stored data reload when it changes.
    pub revision: RwSignal<u64>,
    /// Another tab upgraded the database; this one closed its connection and must reload.
    pub reload_needed: RwSignal<bool>,
    /// Whether the browser granted persistent storage (`None` until it answered).
    pub persistent: RwSignal<Option<bool>>,
    /// The time entries of the start page's day, read while the store opened, with the revision they
    /// were read at, until Heute takes them.
    preloaded_day: StoredValue<Option<(NaiveDate, u64, Vec<RecordState>)>, LocalStorage>,
    pub(crate) status: SyncStatus,
}

impl AppStore {
    /// Opens the store in the background and keeps the header's pending count current. With
    /// `start_day`, the app starts on Heute: that day's entries are read and decrypted as part of
    /// opening, so the page has them for its first render instead of asking after it.
    pub fn start(status: SyncStatus, start_day: Option<NaiveDate>) -> Self {
        let app = AppStore {
            state: RwSignal::new_local(StoreState::Opening),
            revision: RwSignal::new(0),
            reload_needed: RwSignal::new(false),
            persistent: RwSignal::new(None),
            preloaded_day: StoredValue::new_local(None),
            status,
        };
        spawn_local(async move {
            match open_store(app).await {
                Ok(StoreState::Ready(signed_in)) => {
                    if let Some(day) = start_day {
                        app.preload_day(&signed_in, day).await;
                    }
                    mark("store-opened");
                    app.state.set(StoreState::Ready(signed_in));
                    app.refresh_pending().await;
                }
                Ok(state) => {
                    mark("store-opened");
                    app.state.set(state);
                }
                Err(error) => app.state.set(StoreState::Failed(error)),
            }
            // Nothing on screen depends on the answer until Einstellungen is opened, so the request
            // waits until the store is open rather than competing with it.
            app.persistent.set(request_persistent_storage().await);
        });
        app
    }

    /// Whether opening the store has finished, successfully or not (tracked).
    pub fn opened(&self) -> bool {
        self.state.with(|state| !matches!(state, StoreState::Opening))
    }

    /// Whether the store is open and nobody is signed in on this tablet (tracked).
    pub fn signed_out(&self) -> bool {
        self.state.with(|state| matches!(state, StoreState::SignedOut(_)))
    }

    /// The open store, signed in or not (untracked; for sign-in).
    pub fn local_store(&self) -> Option<Rc<LocalStore>> {
        self.state.with_untracked(|state| match state {
            StoreState::Ready(signed_in) => Some(Rc::clone(&signed_in.store)),
            StoreState::SignedOut(store) => Some(Rc::clone(store)),
            _ => None,
        })
    }

    async fn preload_day(&self, signed_in: &SignedIn, day: NaiveDate) {
        let revision = self.revision.get_untracked();
        // A failed read is not a failed open: Heute reads again and shows the error itself.
        let read = signed_in.store.records_between(&signed_in.vault, RecordKind::TimeEntry, day, day).await;
        if let Ok(states) = read {
            self.preloaded_day.set_value(Some((day, revision, states)));
        }
    }

    /// The time entries of `day` read while the store opened, handed out once and only while nothing
    /// has been written (or another user signed in) since: a page that takes them later, after a sync
    /// or a save, reads the store instead.
    pub fn take_preloaded_day(&self, day: NaiveDate) -> Option<Vec<RecordState>> {
        let (date, revision, states) = self.preloaded_day.try_update_value(Option::take).flatten()?;
        (date == day && revision == self.revision.get_untracked()).then_some(states)
    }

    /// The signed-in user's partition if the store is open (tracked: a reactive caller reruns when it opens).
    pub fn signed_in(&self) -> Option<SignedIn> {
        self.state.with(|state| match state {
            StoreState::Ready(signed_in) => Some(signed_in.clone()),
            _ => None,
        })
    }

    pub fn error(&self) -> Option<StoreError> {
        self.state.with(|state| match state {
            StoreState::Failed(error) => Some(error.clone()),
            _ => None,
        })
    }

    /// Loads a page's data from the store when it opens and again after every write: `load` reads,
    /// `show` puts the result into the page's signals. Returns whether the first load has finished
    /// (also when the store cannot open, so the page can show why) and the last load error.
    pub fn load_on_change<T, Load, Fut>(
        &self,
        load: Load,
        show: impl Fn(T) + Copy + 'static,
    ) -> (RwSignal<bool>, RwSignal<Option<StoreError>>)
    where
        T: 'static,
        Load: Fn(SignedIn) -> Fut + Copy + 'static,
        Fut: std::future::Future<Output = Result<T, StoreError>> + 'static,
    {
        self.load_on_change_from(None, load, show)
    }

    /// [`AppStore::load_on_change`] for a page that may already have its data (`first`, read while the
    /// store opened): it is shown before the page renders, so the first render is complete, and
    /// loading starts with the first write.
    pub fn load_on_change_from<T, Load, Fut>(
        &self,
        first: Option<T>,
        load: Load,
        show: impl Fn(T) + Copy + 'static,
    ) -> (RwSignal<bool>, RwSignal<Option<StoreError>>)
    where
        T: 'static,
        Load: Fn(SignedIn) -> Fut + Copy + 'static,
        Fut: std::future::Future<Output = Result<T, StoreError>> + 'static,
    {
        let has_first = first.is_some();
        if let Some(value) = first {
            show(value);
        }
        let loaded = RwSignal::new(has_first);
        let load_error = RwSignal::new(None::<StoreError>);
        let app = *self;
        Effect::new(move |previous: Option<()>| {
            app.revision.track();
            if app.error().is_some() {
                loaded.set(true);
            }
            let Some(signed_in) = app.signed_in() else { return };
            if has_first && previous.is_none() {
                return;
            }
            // The load starts here, while the page is alive (it may read the page's route parameters);
            // its result is dropped if the page is gone by the time it arrives (saving a form navigates
            // away, and the write's reload lands after the form's signals were disposed).
            let loading = load(signed_in);
            spawn_local(async move {
                let result = loading.await;
                if loaded.is_disposed() {
                    return;
                }
                match result {
                    Ok(value) => {
                        show(value);
                        load_error.set(None);
                    }
                    Err(error) => load_error.set(Some(error)),
                }
                loaded.set(true);
            });
        });
        (loaded, load_error)
    }

    /// Call after every write: pages reload and the header recounts what waits for the server.
    pub fn changed(&self) {
        self.revision.update(|r| *r += 1);
        let app = *self;
        spawn_local(async move { app.refresh_pending().await });
    }

    pub(crate) async fn refresh_pending(&self) {
        let Some(signed_in) = self.state.with_untracked(|state| match state {
            StoreState::Ready(signed_in) => Some(signed_in.clone()),
            _ => None,
        }) else {
            return;
        };
        if let Ok(count) = signed_in.store.pending_count(signed_in.vault.user).await {
            self.status.pending.set(count);
        }
    }
}

async fn open_store(app: AppStore) -> Result<StoreState, StoreError> {
    let store = Rc::new(LocalStore::open().await?);
    store.watch_version_changes(move || app.reload_needed.set(true))?;
    Ok(match signed_in(&store).await? {
        Some((vault, account)) => {
            let pools = WritingPools::load(&store, &vault).await?;
            StoreState::Ready(SignedIn { store, vault, account, pools })
        }
        None => StoreState::SignedOut(store),
    })
}

/// The signed-in user the tablet shows, if anyone has signed in on it.
async fn signed_in(store: &LocalStore) -> Result<Option<(Vault, Account)>, StoreError> {
    let Some(user) = store.active_user().await? else { return Ok(None) };
    let vault = store.unlock(user).await?;
    let Some(account) = store.account(&vault).await? else { return Ok(None) };
    Ok(Some((vault, account)))
}

/// Asks the browser not to evict the data under storage pressure. Chromium grants it to installed apps
/// and sites the user engages with; the answer is shown in Einstellungen.
async fn request_persistent_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Sets a performance mark: the benchmarks (bench/cold-start.mjs, bench/first-pull.mjs) report the
/// time between the app's marks.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}
