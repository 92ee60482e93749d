//! The app's connection to the local store, shared through the Leptos context: opened once at start,
//! with the user's partition unlocked, and a revision that pages watch to reload after a write.

use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::connectivity::SyncStatus;
use crate::store::sync::Account;
use crate::store::{LocalProfile, LocalStore, StoreError, Vault};

/// An open store with the current user's partition unlocked.
#[derive(Clone)]
pub struct Session {
    pub store: Rc<LocalStore>,
    pub vault: Vault,
    pub profile: LocalProfile,
    /// The signed-in account whose partition this is; `None` for the local profile used before anyone
    /// signed in on this device.
    pub account: Option<Account>,
}

#[derive(Clone)]
pub enum StoreState {
    Opening,
    Ready(Session),
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
    pub(crate) status: SyncStatus,
}

impl AppStore {
    /// Opens the store in the background and keeps the header's pending count current.
    pub fn start(status: SyncStatus) -> Self {
        let app = AppStore {
            state: RwSignal::new_local(StoreState::Opening),
            revision: RwSignal::new(0),
            reload_needed: RwSignal::new(false),
            persistent: RwSignal::new(None),
            status,
        };
        spawn_local(async move {
            match open_session(app).await {
                Ok(session) => {
                    app.state.set(StoreState::Ready(session));
                    app.refresh_pending().await;
                }
                Err(error) => app.state.set(StoreState::Failed(error)),
            }
        });
        spawn_local(async move {
            app.persistent.set(request_persistent_storage().await);
        });
        app
    }

    /// The session if the store is open (tracked: a reactive caller reruns when it opens).
    pub fn session(&self) -> Option<Session> {
        self.state.with(|state| match state {
            StoreState::Ready(session) => Some(session.clone()),
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
        Load: Fn(Session) -> Fut + Copy + 'static,
        Fut: std::future::Future<Output = Result<T, StoreError>> + 'static,
    {
        let loaded = RwSignal::new(false);
        let load_error = RwSignal::new(None::<StoreError>);
        let app = *self;
        Effect::new(move |_| {
            app.revision.track();
            if app.error().is_some() {
                loaded.set(true);
            }
            let Some(session) = app.session() else { return };
            spawn_local(async move {
                match load(session).await {
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
        let Some(session) = self.state.with_untracked(|state| match state {
            StoreState::Ready(session) => Some(session.clone()),
            _ => None,
        }) else {
            return;
        };
        if let Ok(count) = session.store.pending_count(session.vault.user).await {
            self.status.pending.set(count);
        }
    }
}

async fn open_session(app: AppStore) -> Result<Session, StoreError> {
    let store = LocalStore::open().await?;
    store.watch_version_changes(move || app.reload_needed.set(true))?;
    let (local, local_vault) = store.local_profile().await?;
    let session = match crate::account::signed_in(&store).await? {
        Some((vault, account, pool)) => {
            let profile = crate::account::profile_of(&account, pool, local);
            Session { store: Rc::new(store), vault, profile, account: Some(account) }
        }
        None => Session { store: Rc::new(store), vault: local_vault, profile: local, account: None },
    };
    Ok(session)
}

/// Asks the browser not to evict the data under storage pressure. Chromium grants it to installed apps
/// and sites the user engages with; the answer is shown in Einstellungen.
async fn request_persistent_storage() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}
