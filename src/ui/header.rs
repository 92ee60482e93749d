use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::runtime::state::AppStore;
use crate::runtime::status::SyncStatus;
use crate::ui::sync_button::last_sync_text;

/// App name, connection state and the number of changes still waiting for the server.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let status = expect_context::<SyncStatus>();
    let online = status.online;
    let pending = status.pending;
    let app = expect_context::<AppStore>();
    // Without an account nothing is recorded, and nothing can be "synchronised" either.
    let signed_in = move || app.signed_in().is_some();

    view! {
        <header class="app-header">
            <div class="brand">
                <img class="brand-mark" src="/icons/icon.svg" alt="" width="32" height="32"/>
                <span class="brand-name">{t!(i18n, app_name)}</span>
            </div>
            <div class="status" role="status" aria-live="polite">
                <span class="pill" class:pill-online=move || online.get() class:pill-offline=move || !online.get()
                    data-testid="connection">
                    <span class="dot" aria-hidden="true"></span>
                    {move || if online.get() { t!(i18n, status_online).into_any() } else { t!(i18n, status_offline).into_any() }}
                </span>
                <Show when=signed_in fallback=move || view! {
                    <span class="pill" data-testid="signed-out">{t!(i18n, status_signed_out)}</span>
                }>
                    <span class="pill" class:pill-pending=move || { pending.get() > 0 } data-testid="pending">
                        {move || {
                            let count = pending.get();
                            if count == 0 {
                                t!(i18n, status_all_synced).into_any()
                            } else {
                                t!(i18n, status_unsynced, count).into_any()
                            }
                        }}
                    </span>
                </Show>
                {move || (status.attention.get() > 0).then(|| {
                    let count = status.attention.get();
                    view! {
                        <a class="pill pill-attention" href="/klaeren" data-testid="attention-count">
                            {t!(i18n, status_attention, count)}
                        </a>
                    }
                })}
                {move || status.last_synced.get().map(|_| view! {
                    <span class="sync-last" data-testid="header-last-sync">{last_sync_text(i18n.get_locale())}</span>
                })}
                {move || status.syncing.get().then(|| view! {
                    <span class="pill" data-testid="syncing">{t!(i18n, sync_running)}</span>
                })}
            </div>
        </header>
    }
}
