use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::record::RecordState;
use begleitbuch_domain::work::{GroupSession, TimeEntry};
use begleitbuch_domain::worktime::{day_totals, DayTotals};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::i18n::{t, td_string, use_i18n};
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages;
use crate::ui::day::{day_link, shown_day};

/// The companion's week added up per day and for the whole week: time entries, and the group sessions
/// they took part in as direct time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekSummary {
    pub days: Vec<(NaiveDate, DayTotals, usize)>,
    pub week: DayTotals,
}

impl WeekSummary {
    pub fn of(week: Week, me: UserId, entries: &[TimeEntry], sessions: &[GroupSession]) -> Self {
        let mut summary = WeekSummary::default();
        for day in week.days() {
            let totals = day_totals(me, day, entries, sessions);
            let count = entries.iter().filter(|e| e.date == day && e.companion == me).count()
                + sessions.iter().filter(|s| s.date == day && s.companions.contains(&me)).count();
            summary.week.direct += totals.direct;
            summary.week.indirect += totals.indirect;
            summary.days.push((day, totals, count));
        }
        summary
    }
}

/// Woche: an ISO week, Monday to Sunday, the unit the team lead reviews: the current one, or an
/// earlier one with `?tag=` (any day of it). Each day up to today opens on Heute.
#[component]
pub fn WeekPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let today = crate::runtime::clock::today();
    let query = use_query_map();
    let shown = Memo::new(move |_| query.with(|q| shown_day(q.get("tag").as_deref(), today)));
    let week = Memo::new(move |_| Week::of(shown.get().0));
    let tag_problem = Memo::new(move |_| shown.get().1);
    let monday = move || week.get().monday();
    let title = move || {
        let locale = i18n.get_locale();
        let week = week.get();
        let days = week.days();
        let first = format::date(locale, days[0]);
        let last = format::date(locale, days[6]);
        td_string!(locale, week_title, number = week.number, first, last).to_string()
    };

    let summary = RwSignal::new(WeekSummary::default());
    let (loaded, load_error) = app.load_on_change(
        move |signed_in| {
            let week = week.get();
            async move {
                let states = signed_in.store.records_in_week(&signed_in.vault, week).await?;
                Ok((week, signed_in.user(), states))
            }
        },
        move |(week, me, states): (Week, UserId, Vec<RecordState>)| {
            // Each record decodes only as its own kind.
            let entries: Vec<TimeEntry> = states.iter().filter_map(RecordState::decode).collect();
            let sessions: Vec<GroupSession> = states.iter().filter_map(RecordState::decode).collect();
            summary.set(WeekSummary::of(week, me, &entries, &sessions));
        },
    );

    view! {
        <section class="page" data-testid="page-woche" data-week=move || week.get().key()
            data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{t!(i18n, week_heading)}</h1>
                <p class="page-subtitle">{title}</p>
                <nav class="day-nav" aria-label=move || td_string!(i18n.get_locale(), week_nav)>
                    <a class="button" data-testid="week-previous"
                        href=move || day_link("/woche", monday() - chrono::Days::new(7), today)>{t!(i18n, week_previous)}</a>
                    <Show when=move || { week.get() < Week::of(today) }>
                        <a class="button" data-testid="week-next"
                            href=move || day_link("/woche", monday() + chrono::Days::new(7), today)>{t!(i18n, week_next)}</a>
                        <a class="button" href="/woche" data-testid="week-current">{t!(i18n, week_current)}</a>
                    </Show>
                </nav>
                <a class="button" href="/abwesenheit" data-testid="report-absence">{t!(i18n, week_report_absence)}</a>
            </header>
            <crate::ui::day::TagNotice problem=tag_problem/>
            {move || load_error.get().map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            <p class="week-total" data-testid="week-total">
                {move || {
                    let locale = i18n.get_locale();
                    let totals = summary.get().week;
                    let direct = format::duration(locale, totals.direct);
                    let indirect = format::duration(locale, totals.indirect);
                    td_string!(locale, week_totals, direct, indirect).to_string()
                }}
            </p>
            <ol class="day-list">
                {move || summary.get().days.into_iter().map(|(day, totals, count)| view! {
                    <li class="day" class:day-today=day == today data-testid="week-day">
                        {if day <= today {
                            view! {
                                <a class="day-date" href=day_link("/heute", day, today) data-testid="week-day-link">
                                    {move || format::date(i18n.get_locale(), day)}
                                </a>
                            }.into_any()
                        } else {
                            view! { <span class="day-date">{move || format::date(i18n.get_locale(), day)}</span> }.into_any()
                        }}
                        {if count == 0 {
                            view! { <span class="day-empty">{t!(i18n, week_day_empty)}</span> }.into_any()
                        } else {
                            view! {
                                <span class="day-totals">{move || {
                                    let locale = i18n.get_locale();
                                    let direct = format::duration(locale, totals.direct);
                                    let indirect = format::duration(locale, totals.indirect);
                                    td_string!(locale, week_totals, direct, indirect).to_string()
                                }}</span>
                            }.into_any()
                        }}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::today::entry_form::TimeEntryDraft;
    use begleitbuch_domain::ids::{PoolId, SessionId, TimeEntryId};
    use begleitbuch_domain::work::SessionKind;
    use uuid::Uuid;

    fn entry(n: u128, date: NaiveDate, start: &str, end: &str, category: &str) -> TimeEntry {
        let draft = TimeEntryDraft {
            start: start.into(),
            end: end.into(),
            category: category.into(),
            note: String::new(),
        };
        draft
            .to_entry(TimeEntryId(Uuid::from_u128(n)), PoolId(Uuid::nil()), UserId(Uuid::nil()), date, &[])
            .unwrap()
    }

    #[test]
    fn a_week_adds_up_per_day_and_in_total() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let week = Week::of(monday);
        let wednesday = monday + chrono::Days::new(2);
        let entries = [
            entry(1, monday, "08:00", "09:30", "individual"),
            entry(2, monday, "10:00", "10:30", "team_meeting"),
            entry(3, wednesday, "08:00", "12:00", "class"),
        ];
        // A colleague's session with me in it is my direct time too.
        let session = GroupSession {
            id: SessionId(Uuid::from_u128(9)),
            pool: PoolId(Uuid::nil()),
            date: monday,
            start: chrono::NaiveTime::from_hms_opt(11, 0, 0).unwrap(),
            duration_minutes: 45,
            kind: SessionKind::ClassSupport,
            group: "2b".into(),
            children: Default::default(),
            unnamed_participants: 4,
            companions: [UserId(Uuid::nil()), UserId(Uuid::from_u128(5))].into(),
            note: String::new(),
        };
        let summary = WeekSummary::of(week, UserId(Uuid::nil()), &entries, &[session]);
        assert_eq!(summary.days.len(), 7);
        assert_eq!(summary.days[0], (monday, DayTotals { direct: 90 + 45, indirect: 30 }, 3));
        assert_eq!(summary.days[1].2, 0);
        assert_eq!(summary.days[2].1, DayTotals { direct: 240, indirect: 0 });
        assert_eq!(summary.week, DayTotals { direct: 375, indirect: 30 });
    }
}
