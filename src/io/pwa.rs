//! Service-worker registration and the "new version available" flow.
//!
//! The worker is registered from Rust rather than from an inline script so that the page can run under a
//! strict Content-Security-Policy. A new build's worker waits until the user agrees to reload: switching
//! the app under a companion's fingers mid-entry would be worse than running an old version a bit longer.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

const WORKER_URL: &str = "/sw.js";
/// How often a long-open app asks the server whether a new version exists.
const UPDATE_CHECK_INTERVAL_MS: i32 = 60 * 60 * 1000;

thread_local! {
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    let supported = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    supported.then(|| navigator.service_worker())
}

/// Registers the worker and sets `update_waiting` whenever a new version has been installed and waits.
pub fn register(update_waiting: RwSignal<bool>) {
    let Some(container) = container() else {
        leptos::logging::warn!("service workers are not available: the app will not work offline");
        return;
    };
    spawn_local(async move {
        let registration = match JsFuture::from(container.register(WORKER_URL)).await {
            Ok(registration) => registration.unchecked_into::<ServiceWorkerRegistration>(),
            Err(error) => {
                leptos::logging::warn!("service worker registration failed: {error:?}");
                return;
            }
        };
        watch_for_updates(&container, &registration, update_waiting);
        REGISTRATION.with(|slot| *slot.borrow_mut() = Some(registration));
    });
}

fn watch_for_updates(
    container: &ServiceWorkerContainer,
    registration: &ServiceWorkerRegistration,
    update_waiting: RwSignal<bool>,
) {
    // A worker that is already waiting (installed while the app was closed) counts only if an older
    // one controls this page; on a first visit there is nothing to update from.
    if registration.waiting().is_some() && container.controller().is_some() {
        update_waiting.set(true);
    }

    let on_update_found = {
        let registration = registration.clone();
        let container = container.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = registration.installing() else { return };
            let watched = installing.clone();
            let container = container.clone();
            let on_state_change = Closure::<dyn FnMut()>::new(move || {
                if watched.state() == ServiceWorkerState::Installed && container.controller().is_some() {
                    update_waiting.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
            // The worker object owns the handler from here on.
            on_state_change.forget();
        })
    };
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();

    let check = {
        let registration = registration.clone();
        move || {
            // Offline, the check fails; the next one (on visibility or the hour) tries again.
            if let Ok(checked) = registration.update() {
                spawn_local(async move {
                    let _ = JsFuture::from(checked).await;
                });
            }
        }
    };
    let on_visible = check.clone();
    let _ = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            on_visible();
        }
    });
    let hourly = Closure::<dyn FnMut()>::new(check);
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            hourly.as_ref().unchecked_ref(),
            UPDATE_CHECK_INTERVAL_MS,
        );
    }
    hourly.forget();
}

/// Activates the waiting worker and reloads the page once it has taken control.
pub fn apply_update() {
    let Some(container) = container() else { return };
    let waiting = REGISTRATION.with(|slot| slot.borrow().as_ref().and_then(|r| r.waiting()));
    let Some(waiting) = waiting else {
        // Another tab already activated it: this page only needs to reload.
        let _ = window().location().reload();
        return;
    };
    let reload = Closure::<dyn FnMut()>::new(|| {
        let _ = window().location().reload();
    });
    container.set_oncontrollerchange(Some(reload.as_ref().unchecked_ref()));
    reload.forget();

    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
    let _ = waiting.post_message(&message);
}
