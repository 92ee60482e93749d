//! Browser tests of the pieces that need real browser APIs (run with wasm-bindgen-test in Chromium).
#![cfg(target_arch = "wasm32")]

use begleitbuch::i18n::Locale;
use begleitbuch::io::preferences;
use begleitbuch::runtime::status::SyncStatus;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn language_choice_survives_in_local_storage() {
    preferences::save_locale(Locale::en);
    assert_eq!(preferences::load_locale(), Locale::en);
    preferences::save_locale(Locale::de);
    assert_eq!(preferences::load_locale(), Locale::de);
}

#[wasm_bindgen_test]
fn sync_status_follows_online_and_offline_events() {
    use leptos::prelude::{Get, GetUntracked};
    let window = web_sys::window().unwrap();
    let status = SyncStatus::track();
    assert_eq!(status.online.get_untracked(), window.navigator().on_line());

    window.dispatch_event(&web_sys::Event::new("offline").unwrap()).unwrap();
    assert!(!status.online.get());
    window.dispatch_event(&web_sys::Event::new("online").unwrap()).unwrap();
    assert!(status.online.get());
    assert_eq!(status.pending.get(), 0);
}
