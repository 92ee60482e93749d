use leptos::prelude::*;

use crate::format;
use crate::i18n::{t, use_i18n};

/// Heute: the companion's day with direct and indirect totals.
#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let date = super::today();
    // The day's minutes come from the local store once time entries exist (issue 3); until then the
    // day is genuinely empty.
    let direct_minutes = 0u32;
    let indirect_minutes = 0u32;
    let total = direct_minutes + indirect_minutes;
    let share = begleitbuch_domain::duration::percent_share(direct_minutes, total);

    view! {
        <section class="page" data-testid="page-heute" data-ready="true">
            <header class="page-header">
                <h1>{t!(i18n, today_title)}</h1>
                <p class="page-subtitle">{move || format::date(i18n.get_locale(), date)}</p>
            </header>
            <div class="totals" role="group">
                <div class="total-card total-direct">
                    <span class="total-label">{t!(i18n, today_direct)}</span>
                    <span class="total-value">{move || format::duration(i18n.get_locale(), direct_minutes)}</span>
                </div>
                <div class="total-card total-indirect">
                    <span class="total-label">{t!(i18n, today_indirect)}</span>
                    <span class="total-value">{move || format::duration(i18n.get_locale(), indirect_minutes)}</span>
                </div>
                <div class="total-card">
                    <span class="total-label">{t!(i18n, today_total)}</span>
                    <span class="total-value">{move || format::duration(i18n.get_locale(), total)}</span>
                    <span class="total-note">{t!(i18n, today_direct_share, percent = share)}</span>
                </div>
            </div>
            <p class="empty-state">{t!(i18n, today_empty)}</p>
        </section>
    }
}
