use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::runtime::state::AppStore;
use crate::text::messages;

/// Says so, prominently, when nothing can be stored on this device, or when another tab updated the
/// database and this one has to reload.
#[component]
pub fn StoreBanner() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <Show when=move || app.reload_needed.get()>
            <div class="store-banner" role="alert" data-testid="store-outdated">
                <p>{move || messages::store_error(i18n.get_locale(), &crate::io::store::StoreError::Outdated)}</p>
                <button type="button" class="button button-primary" on:click=reload>{t!(i18n, action_reload)}</button>
            </div>
        </Show>
        {move || app.error().map(|error| {
            let code = error.code();
            view! {
            <div class="store-banner" role="alert" data-testid="store-error" data-code=code>
                <p>{move || messages::store_error(i18n.get_locale(), &error)}</p>
            </div>
        }})}
    }
}
