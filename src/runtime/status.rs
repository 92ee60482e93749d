//! What the header shows about the connection and about changes that have not reached the server.

use begleitbuch_web::api::ApiError;
use leptos::prelude::*;

use crate::io::store::StoreError;

/// Shared through the Leptos context. `pending` counts outbox entries; the local store (see
/// ARCHITECTURE.md) updates it whenever it writes or acknowledges a mutation.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub online: RwSignal<bool>,
    pub pending: RwSignal<u32>,
    /// A sync run is under way.
    pub syncing: RwSignal<bool>,
    /// A change was saved while a run was under way (which may have read the outbox before it);
    /// another run follows at once instead of at the next tick.
    pub again: RwSignal<bool>,
    /// When the last run finished without error (Unix milliseconds).
    pub last_synced: RwSignal<Option<f64>>,
    /// Why the last run failed, if it did.
    pub last_error: RwSignal<Option<SyncError>, LocalStorage>,
    /// Changes the server refused in the last run; they stay on the device.
    pub rejected: RwSignal<usize>,
    /// Changes waiting in "Zu klären" for the user's decision.
    pub attention: RwSignal<u32>,
    /// Failed runs in a row, and when the next automatic run is due (Unix milliseconds).
    pub failures: RwSignal<u32>,
    pub next_attempt: RwSignal<f64>,
}

impl SyncStatus {
    /// Creates the status from `navigator.onLine` and keeps it current from the `online`/`offline`
    /// events for the lifetime of the app.
    pub fn track() -> Self {
        let initially_online = web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true);
        let online = RwSignal::new(initially_online);
        // The app lives as long as the page, so the listeners are never removed.
        let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
        let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
        SyncStatus {
            online,
            pending: RwSignal::new(0),
            syncing: RwSignal::new(false),
            again: RwSignal::new(false),
            last_synced: RwSignal::new(None),
            last_error: RwSignal::new_local(None),
            rejected: RwSignal::new(0),
            attention: RwSignal::new(0),
            failures: RwSignal::new(0),
            next_attempt: RwSignal::new(0.0),
        }
    }
}

/// Why a sync run failed: the server's answer (or none), or the local store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    Api(ApiError),
    Store(StoreError),
}

impl From<ApiError> for SyncError {
    fn from(error: ApiError) -> Self {
        SyncError::Api(error)
    }
}

impl From<StoreError> for SyncError {
    fn from(error: StoreError) -> Self {
        SyncError::Store(error)
    }
}
