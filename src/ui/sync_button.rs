use leptos::prelude::*;

use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::runtime::state::AppStore;
use crate::runtime::status::SyncStatus;
use crate::text::messages;

/// "Sync now", with the run's progress; shown once someone is signed in on this device.
#[component]
pub fn SyncButton() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let status = expect_context::<SyncStatus>();
    let signed_in = move || app.signed_in().is_some();

    view! {
        <Show when=signed_in>
            <button type="button" class="button sync-button" data-testid="sync-now"
                aria-busy=move || status.syncing.get().to_string()
                disabled=move || status.syncing.get()
                on:click=move |_| app.sync_now()>
                {move || if status.syncing.get() { t!(i18n, sync_running).into_any() } else { t!(i18n, sync_now).into_any() }}
            </button>
            {move || status.last_error.get().map(|error| view! {
                <p class="form-problem" role="alert" data-testid="sync-error">
                    {sync_failed_text(i18n.get_locale(), &error)}
                </p>
            })}
            {move || (status.rejected.get() > 0).then(|| {
                let count = status.rejected.get();
                view! { <p class="form-problem" data-testid="sync-rejected">{t!(i18n, sync_rejected, count)}</p> }
            })}
        </Show>
    }
}

fn sync_failed_text(locale: Locale, error: &crate::runtime::status::SyncError) -> String {
    let reason = match error {
        crate::runtime::status::SyncError::Api(error) => messages::api_error(locale, error),
        crate::runtime::status::SyncError::Store(error) => messages::store_error(locale, error),
    };
    td_string!(locale, sync_failed, reason).to_string()
}

/// "Last synced: 09:14", in Europe/Berlin, or "not synced yet".
pub fn last_sync_text(locale: Locale) -> String {
    let status = expect_context::<SyncStatus>();
    match status.last_synced.get().and_then(|millis| chrono::DateTime::from_timestamp_millis(millis as i64)) {
        Some(at) => {
            let time = crate::text::format::time(locale, begleitbuch_domain::calendar::to_berlin(at).time());
            td_string!(locale, sync_last, time).to_string()
        }
        None => td_string!(locale, sync_never).to_string(),
    }
}
