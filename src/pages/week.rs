use begleitbuch_domain::calendar::Week;
use leptos::prelude::*;

use crate::format;
use crate::i18n::{t, use_i18n};

/// Woche: the current ISO week, Monday to Sunday, the unit the team lead reviews.
#[component]
pub fn WeekPage() -> impl IntoView {
    let i18n = use_i18n();
    let today = super::today();
    let week = Week::of(today);
    let days = week.days();
    let title = move || {
        let locale = i18n.get_locale();
        let first = format::date(locale, days[0]);
        let last = format::date(locale, days[6]);
        crate::i18n::td_string!(locale, week_title, number = week.number, first, last).to_string()
    };

    view! {
        <section class="page" data-testid="page-woche" data-week=week.key()>
            <header class="page-header">
                <h1>{t!(i18n, week_heading)}</h1>
                <p class="page-subtitle">{title}</p>
            </header>
            <ol class="day-list">
                {days.into_iter().map(|day| view! {
                    <li class="day" class:day-today=day == today>
                        <span class="day-date">{move || format::date(i18n.get_locale(), day)}</span>
                        <span class="day-empty">{t!(i18n, week_day_empty)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}
