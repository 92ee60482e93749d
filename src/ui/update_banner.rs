use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::io::pwa;

/// Offers the new version once its service worker is installed and waiting.
#[component]
pub fn UpdateBanner(visible: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || visible.get()>
            <div class="update-banner" role="alert">
                <button type="button" class="button button-primary" data-testid="update-reload"
                    on:click=move |_| pwa::apply_update()>
                    {t!(i18n, update_available)}
                </button>
            </div>
        </Show>
    }
}
