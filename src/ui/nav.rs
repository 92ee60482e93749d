use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, t_string, use_i18n};

/// The companion's four destinations. A bottom tab bar in portrait, a side rail in landscape (see
/// style/main.css). Only companions sign in on a tablet; team leads work in the office.
#[component]
pub fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav_label)>
            <A href="/heute" attr:class="tab" attr:data-testid="nav-heute">
                <span class="tab-icon icon-today" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_today)}</span>
            </A>
            <A href="/woche" attr:class="tab" attr:data-testid="nav-woche">
                <span class="tab-icon icon-week" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_week)}</span>
            </A>
            <A href="/kinder" attr:class="tab" attr:data-testid="nav-kinder">
                <span class="tab-icon icon-children" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_children)}</span>
            </A>
            <A href="/einstellungen" attr:class="tab" attr:data-testid="nav-einstellungen">
                <span class="tab-icon icon-settings" aria-hidden="true"></span>
                <span class="tab-label">{t!(i18n, nav_settings)}</span>
            </A>
        </nav>
    }
}
