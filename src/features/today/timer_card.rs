//! The one-tap timer at the top of Heute: a button per activity starts it (and closes the running
//! one), "Beenden" turns it into time entries. The running timer lives in the store (`timer.rs`), so
//! the card only shows it: closing the tab or the tablet sleeping does not stop it.

use std::collections::BTreeMap;
use std::time::Duration;

use begleitbuch_domain::record::{Change, RecordKind, RecordState};
use begleitbuch_domain::work::{TimeCategory, TimeEntry};
use begleitbuch_domain::worktime::timer_blocks;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::editing::fields::FormError;
use crate::features::today::timer::RunningTimer;
use crate::i18n::{t, td_string, use_i18n};
use crate::io::store::new_id;
use crate::runtime::state::{AppStore, SignedIn};
use crate::text::format;
use crate::text::messages::{self, Problem};

/// What the card's live region last announced.
#[derive(Clone, Copy, PartialEq)]
enum Notice {
    Started,
    Stopped,
    TooShort,
    Discarded,
}

/// Turns the running timer into time entries (checked against the other entries of each day it ran)
/// and clears it. Nothing changes if a check or a write fails: the timer keeps running.
async fn stop(signed_in: &SignedIn, timer: &RunningTimer, now: DateTime<Utc>) -> Result<usize, Problem> {
    let mut others: BTreeMap<chrono::NaiveDate, Vec<TimeEntry>> = BTreeMap::new();
    for block in timer_blocks(timer.started_at, now) {
        let states = signed_in
            .store
            .records_between(&signed_in.vault, RecordKind::TimeEntry, block.date, block.date)
            .await
            .map_err(Problem::Store)?;
        others.insert(block.date, states.iter().filter_map(RecordState::decode).collect());
    }
    // The timer's entries are the companion's own work: they go into an own pool, never a covered one.
    let pool = signed_in.pools.default_own().ok_or(Problem::Form(FormError::NoPool))?;
    let mut id_error = None;
    let entries = timer
        .entries(
            now,
            pool,
            signed_in.user(),
            || {
                new_id().unwrap_or_else(|error| {
                    id_error = Some(error);
                    uuid::Uuid::nil()
                })
            },
            |date| others.get(&date).cloned().unwrap_or_default(),
        )
        .map_err(Problem::Form)?;
    if let Some(error) = id_error {
        return Err(Problem::Store(error));
    }
    for entry in &entries {
        let Some(change) = Change::between(None, entry) else { continue };
        signed_in
            .store
            .write(&signed_in.vault, RecordKind::TimeEntry, entry.id.0, None, change)
            .await
            .map_err(Problem::Store)?;
    }
    signed_in.store.save_timer(&signed_in.vault, None::<&RunningTimer>).await.map_err(Problem::Store)?;
    Ok(entries.len())
}

#[component]
pub fn TimerCard() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let running = RwSignal::new(None::<RunningTimer>);
    let problem = RwSignal::new(None::<Problem>);
    let notice = RwSignal::new(None::<Notice>);
    let busy = RwSignal::new(false);
    let confirm_discard = RwSignal::new(false);
    // For a timer left running since an earlier day: when it ended, as the companion says.
    let forgotten_end = RwSignal::new(String::new());
    let now = RwSignal::new(Utc::now());
    // The elapsed time is worked out from the stored start, so a coarse tick is enough; it also
    // catches up at once when the tablet wakes, since the next tick reads the clock again.
    if let Ok(tick) = set_interval_with_handle(move || now.set(Utc::now()), Duration::from_secs(15)) {
        on_cleanup(move || tick.clear());
    }
    let (loaded, load_error) = app.load_on_change(
        move |signed_in| async move { signed_in.store.running_timer(&signed_in.vault).await },
        move |timer| running.set(timer),
    );

    // A timer still running from an earlier day was forgotten: recording every hour since would be
    // wrong, so the card asks when it ended, and nothing else starts until that is answered.
    let forgotten =
        move || running.with(|timer| timer.as_ref().is_some_and(|t| t.from_an_earlier_day(now.get())));

    // Starts `category` now; a timer already running is stopped at the same instant first.
    let start = move |category: TimeCategory| {
        if busy.get_untracked() || forgotten() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let previous = running.get_untracked();
        if previous.as_ref().is_some_and(|timer| timer.category == category) {
            return;
        }
        // A group session is finished in its form (who took part), not switched away from.
        if previous.as_ref().is_some_and(RunningTimer::is_session) {
            return problem.set(Some(Problem::Form(FormError::SessionTimerRunning)));
        }
        busy.set(true);
        spawn_local(async move {
            let at = Utc::now();
            let result = async {
                if let Some(previous) = &previous {
                    stop(&signed_in, previous, at).await?;
                }
                let timer =
                    RunningTimer { category, started_at: at, entry: new_id().map_err(Problem::Store)? };
                signed_in.store.save_timer(&signed_in.vault, Some(&timer)).await.map_err(Problem::Store)?;
                Ok::<_, Problem>(timer)
            }
            .await;
            match result {
                Ok(timer) => {
                    running.set(Some(timer));
                    problem.set(None);
                    notice.set(Some(Notice::Started));
                }
                Err(error) => problem.set(Some(error)),
            }
            now.set(at);
            busy.set(false);
            app.changed();
        });
    };
    let navigate = StoredValue::new_local(use_navigate());
    let open_session_form = move |timer: &RunningTimer, end| {
        let link = timer.session_link(end);
        navigate.with_value(|navigate| navigate(&link, Default::default()));
    };
    let stop_now = move |_| {
        let (Some(signed_in), Some(timer)) = (app.signed_in(), running.get_untracked()) else { return };
        if busy.get_untracked() {
            return;
        }
        if timer.is_session() {
            return open_session_form(&timer, Utc::now());
        }
        busy.set(true);
        spawn_local(async move {
            match stop(&signed_in, &timer, Utc::now()).await {
                Ok(written) => {
                    running.set(None);
                    problem.set(None);
                    notice.set(Some(if written == 0 { Notice::TooShort } else { Notice::Stopped }));
                }
                Err(error) => problem.set(Some(error)),
            }
            busy.set(false);
            app.changed();
        });
    };
    let stop_at = move |_| {
        let (Some(signed_in), Some(timer)) = (app.signed_in(), running.get_untracked()) else { return };
        if busy.get_untracked() {
            return;
        }
        let at = match timer.ended_at(&forgotten_end.get_untracked(), Utc::now()) {
            Ok(at) => at,
            Err(error) => return problem.set(Some(Problem::Form(error))),
        };
        if timer.is_session() {
            return open_session_form(&timer, at);
        }
        busy.set(true);
        spawn_local(async move {
            match stop(&signed_in, &timer, at).await {
                Ok(written) => {
                    running.set(None);
                    problem.set(None);
                    forgotten_end.set(String::new());
                    notice.set(Some(if written == 0 { Notice::TooShort } else { Notice::Stopped }));
                }
                Err(error) => problem.set(Some(error)),
            }
            busy.set(false);
            app.changed();
        });
    };
    let discard = move |_| {
        let Some(signed_in) = app.signed_in() else { return };
        confirm_discard.set(false);
        spawn_local(async move {
            match signed_in.store.save_timer(&signed_in.vault, None::<&RunningTimer>).await {
                Ok(()) => {
                    running.set(None);
                    problem.set(None);
                    notice.set(Some(Notice::Discarded));
                }
                Err(error) => problem.set(Some(Problem::Store(error))),
            }
            app.changed();
        });
    };

    let button = move |category: TimeCategory| {
        let code = category.code();
        let active = move || running.with(|timer| timer.as_ref().is_some_and(|t| t.category == category));
        view! {
            <button type="button" class="button timer-choice" class:timer-direct=category.is_direct()
                aria-pressed=move || active().to_string() disabled=move || busy.get() || forgotten()
                data-testid=format!("timer-{code}") on:click=move |_| start(category)>
                {move || format::category(i18n.get_locale(), category)}
            </button>
        }
    };

    view! {
        <section class="card timer-card" aria-labelledby="timer-heading" data-testid="timer"
            data-ready=move || loaded.get().to_string()>
            <h2 id="timer-heading">{t!(i18n, timer_heading)}</h2>
            {move || load_error.get().map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            {move || running.get().map(|timer| {
                let locale = i18n.get_locale();
                let category = format::category(locale, timer.category);
                let started = begleitbuch_domain::calendar::to_berlin(timer.started_at);
                let since = format::time(locale, started.time());
                let day = format::date(locale, started.date());
                let elapsed = timer.clone();
                let (category_shown, since_shown) = (category.clone(), since.clone());
                view! {
                    <div class="timer-running" data-testid="timer-running">
                        <Show when=forgotten fallback=move || view! {
                            <p class="timer-status">
                                <span class="timer-category">{category_shown.clone()}</span>
                                <span class="timer-since">{td_string!(i18n.get_locale(), timer_since, since = since_shown.clone()).to_string()}</span>
                            </p>
                            <p class="timer-elapsed" data-testid="timer-elapsed">
                                {let timer = elapsed.clone(); move || format::duration(i18n.get_locale(), timer.elapsed_minutes(now.get()))}
                            </p>
                        }>
                            <p class="notice notice-warn" data-testid="timer-forgotten">
                                {td_string!(i18n.get_locale(), timer_forgotten, category = category.clone(), day = day.clone(), since = since.clone()).to_string()}
                            </p>
                            <label class="field">
                                <span class="field-label">{t!(i18n, timer_forgotten_end)}</span>
                                <input id="timer-end" type="time" required=true data-testid="timer-end"
                                    aria-describedby="timer-problem" bind:value=forgotten_end/>
                            </label>
                        </Show>
                        <div class="form-actions">
                            <Show when=forgotten fallback=move || view! {
                                <button type="button" class="button button-primary" data-testid="timer-stop"
                                    disabled=move || busy.get() on:click=stop_now>{t!(i18n, action_stop_timer)}</button>
                            }>
                                <button type="button" class="button button-primary" data-testid="timer-stop-at"
                                    disabled=move || busy.get() on:click=stop_at>{t!(i18n, action_stop_timer_at)}</button>
                            </Show>
                            <Show when=move || confirm_discard.get() fallback=move || view! {
                                <button type="button" class="button" data-testid="timer-discard"
                                    on:click=move |_| confirm_discard.set(true)>{t!(i18n, action_discard_timer)}</button>
                            }>
                                <button type="button" class="button button-danger" data-testid="timer-confirm-discard"
                                    on:click=discard>{t!(i18n, action_confirm_discard_timer)}</button>
                                <button type="button" class="button" on:click=move |_| confirm_discard.set(false)>
                                    {t!(i18n, action_keep)}
                                </button>
                            </Show>
                        </div>
                    </div>
                }
            })}
            <p class="hint" id="timer-hint">{move || if running.with(Option::is_some) {
                t!(i18n, timer_switch_hint).into_any()
            } else {
                t!(i18n, timer_start_hint).into_any()
            }}</p>
            <div class="timer-choices" role="group" aria-label=move || td_string!(i18n.get_locale(), category_group_direct)>
                {TimeCategory::ALL.into_iter().filter(|c| c.is_direct()).map(button).collect_view()}
            </div>
            <div class="timer-choices" role="group" aria-label=move || td_string!(i18n.get_locale(), category_group_indirect)>
                {TimeCategory::ALL.into_iter().filter(|c| !c.is_direct()).map(button).collect_view()}
            </div>
            <p class="form-problem" role="alert" id="timer-problem" data-testid="timer-problem">
                {move || problem.get().map(|problem| messages::problem(i18n.get_locale(), &problem))}
            </p>
            <p class="visually-hidden" role="status" data-testid="timer-notice">
                {move || notice.get().map(|n| match n {
                    Notice::Started => t!(i18n, timer_started).into_any(),
                    Notice::Stopped => t!(i18n, timer_stopped).into_any(),
                    Notice::TooShort => t!(i18n, timer_too_short).into_any(),
                    Notice::Discarded => t!(i18n, timer_discarded).into_any(),
                })}
            </p>
        </section>
    }
}
