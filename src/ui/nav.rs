use leptos::prelude::*;
use leptos_router::components::A;

use begleitbuch_domain::people::Role;

use crate::i18n::{t, t_string, use_i18n};
use crate::runtime::state::AppStore;

/// The companion's four destinations; for team leads Kinder, Vertretung and Einstellungen. A bottom tab bar in portrait, a side rail in
/// landscape (see style/main.css).
#[component]
pub fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    // Only a convenience: the server decides on every request what the user may do. A team lead on a
    // tablet arranges cover; the day and the week are the companions'.
    let role = move || app.signed_in().map(|s| s.account.user.role);
    let manages_cover = move || matches!(role(), Some(Role::TeamLead | Role::Admin));
    let records_own_day = move || !manages_cover();
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav_label)>
            <Show when=records_own_day>
                <A href="/heute" attr:class="tab" attr:data-testid="nav-heute">
                    <span class="tab-icon icon-today" aria-hidden="true"></span>
                    <span class="tab-label">{t!(i18n, nav_today)}</span>
                </A>
                <A href="/woche" attr:class="tab" attr:data-testid="nav-woche">
                    <span class="tab-icon icon-week" aria-hidden="true"></span>
                    <span class="tab-label">{t!(i18n, nav_week)}</span>
                </A>
            </Show>
            <A href="/kinder" attr:class="tab" attr:data-testid="nav-kinder">
                <span class="tab-icon icon-children" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_children)}</span>
            </A>
            <Show when=manages_cover>
                <A href="/vertretung" attr:class="tab" attr:data-testid="nav-vertretung">
                    <span class="tab-icon icon-cover" aria-hidden="true"></span>
                    <span class="tab-label">{t!(i18n, nav_cover)}</span>
                </A>
            </Show>
            <A href="/einstellungen" attr:class="tab" attr:data-testid="nav-einstellungen">
                <span class="tab-icon icon-settings" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_settings)}</span>
            </A>
        </nav>
    }
}
