use std::collections::BTreeMap;

use begleitbuch_domain::child::Child;
use begleitbuch_domain::duration::percent_share;
use begleitbuch_domain::ids::TimeEntryId;
use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::{week_approved, WeekReview};
use begleitbuch_domain::validate::Field;
use begleitbuch_domain::work::{GroupSession, Observation, TimeCategory, TimeEntry};
use begleitbuch_domain::worktime::validate_entry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;

use crate::editing::fields::FormError;
use crate::features::today::entry_form::TimeEntryDraft;
use crate::features::today::model::{DayOverview, TimelineItem};
use crate::features::today::timer_card::TimerCard;
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::io::store::new_id;
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages::{self, Problem};
use crate::ui::day::{day_link, shown_day};

/// What the live region last announced.
#[derive(Clone, Copy, PartialEq)]
enum Notice {
    Saved,
    Deleted,
}

/// Heute: the companion's day — record time, see the entries and the direct/indirect totals. An
/// earlier day opens with `?tag=YYYY-MM-DD` (from Woche or the day buttons), to add what was
/// forgotten; a day in an approved week is shown but not changed.
#[component]
pub fn TodayPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let today = crate::runtime::clock::today();
    let query = use_query_map();
    let shown = Memo::new(move |_| query.with(|q| shown_day(q.get("tag").as_deref(), today)));
    let date = Memo::new(move |_| shown.get().0);
    let tag_problem = Memo::new(move |_| shown.get().1);

    let entries = RwSignal::new(Vec::<TimeEntry>::new());
    // The stored records behind `entries`: an edit or delete is based on the version the user saw.
    let states = RwSignal::new(Vec::<RecordState>::new());
    let seen =
        move |id: TimeEntryId| states.with_untracked(|list| list.iter().find(|s| s.id == id.0).cloned());
    // When the app opened on Heute, today's entries were read while the store opened (see
    // `AppStore::start`): the page renders with them instead of rendering "loading" and then again.
    let (loaded, load_error) = app.load_on_change_from(
        app.take_preloaded_day(date.get_untracked()),
        move |signed_in| {
            let day = date.get();
            async move {
                // The shell renders without waiting for a store that opens slowly: then the entries
                // read while it opened arrive with its first load.
                if let Some(states) = app.take_preloaded_day(day) {
                    return Ok(states);
                }
                signed_in.store.records_between(&signed_in.vault, RecordKind::TimeEntry, day, day).await
            }
        },
        move |loaded_states: Vec<RecordState>| {
            let mut list: Vec<TimeEntry> = loaded_states.iter().filter_map(RecordState::decode).collect();
            list.sort_by_key(|entry| entry.start);
            entries.set(list);
            states.set(loaded_states);
        },
    );
    // The cold-start benchmark (bench/cold-start.mjs) measures up to this mark.
    Effect::new(move |marked: Option<bool>| {
        if marked == Some(true) || !loaded.get() {
            return marked.unwrap_or(false);
        }
        crate::runtime::state::mark("heute-ready");
        true
    });

    // What else the day holds: the sessions and observations of the day, and the names to show.
    let others = RwSignal::new(DayRecords::default());
    let (others_loaded, others_error) = app.load_on_change(
        move |signed_in| {
            let day = date.get();
            async move {
                let store = &signed_in.store;
                let vault = &signed_in.vault;
                Ok(DayRecords {
                    sessions: store.dated::<GroupSession>(vault, day, day).await?,
                    observations: store.dated::<Observation>(vault, day, day).await?,
                    children: store.all::<Child>(vault).await?,
                    reviews: store.all::<WeekReview>(vault).await?,
                    people: store
                        .pool_directory(vault)
                        .await?
                        .into_iter()
                        .flat_map(|pool| pool.people)
                        .map(|person| (person.id, person.display_name))
                        .collect(),
                })
            }
        },
        move |records| others.set(records),
    );
    let overview = Memo::new(move |_| {
        let Some(me) = app.signed_in().map(|s| s.user()) else { return DayOverview::default() };
        entries.with(|entries| {
            others
                .with(|o| DayOverview::of(me, date.get(), entries, &o.sessions, &o.observations, &o.children))
        })
    });
    let totals = Memo::new(move |_| overview.with(|o| o.totals));
    // The team lead approved the week of this day: its entries stay as they are.
    let locked = Memo::new(move |_| {
        let Some(me) = app.signed_in().map(|s| s.user()) else { return false };
        others.with(|o| week_approved(&o.reviews, me, date.get()))
    });

    // The form: what is typed stays until a save succeeds.
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<TimeEntry>);
    let new_entry_id = RwSignal::new(None::<TimeEntryId>);
    // A companion in several pools chooses where a new entry goes (the first is the default).
    let chosen_pool = RwSignal::new(None::<begleitbuch_domain::ids::PoolId>);
    let own_pools = move || app.signed_in().map(|s| s.pools.own).unwrap_or_default();
    let problem = RwSignal::new(None::<Problem>);
    let notice = RwSignal::new(None::<Notice>);
    let saving = RwSignal::new(false);
    let confirm_delete = RwSignal::new(None::<TimeEntryId>);

    let clear_form = move || {
        start.set(String::new());
        end.set(String::new());
        category.set(String::new());
        note.set(String::new());
        editing.set(None);
        new_entry_id.set(None);
        problem.set(None);
    };
    // What was typed for one day does not move to another.
    Effect::new(move |previous: Option<chrono::NaiveDate>| {
        let day = date.get();
        if previous.is_some_and(|previous| previous != day) {
            clear_form();
            confirm_delete.set(None);
        }
        day
    });
    let edit = move |entry: TimeEntry| {
        let draft = TimeEntryDraft::from_entry(&entry);
        start.set(draft.start);
        end.set(draft.end);
        category.set(draft.category);
        note.set(draft.note);
        editing.set(Some(entry));
        problem.set(None);
        notice.set(None);
        if let Some(field) = document().get_element_by_id("entry-start") {
            let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(field).focus();
        }
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let draft = TimeEntryDraft {
            start: start.get_untracked(),
            end: end.get_untracked(),
            category: category.get_untracked(),
            note: note.get_untracked(),
        };
        let previous = editing.get_untracked();
        // A new entry keeps its id across retries, so a save repeated after an error cannot create two.
        let id = match previous.as_ref().map(|entry| entry.id).or_else(|| new_entry_id.get_untracked()) {
            Some(id) => id,
            None => match new_id() {
                Ok(uuid) => {
                    new_entry_id.set(Some(TimeEntryId(uuid)));
                    TimeEntryId(uuid)
                }
                Err(error) => return problem.set(Some(Problem::Store(error))),
            },
        };
        let others = entries.get_untracked();
        let day = date.get_untracked();
        // An edited entry stays in its pool; a new one goes into the chosen (or only) own pool.
        let pool = match previous
            .as_ref()
            .map(|p| p.pool)
            .or_else(|| chosen_pool.get_untracked())
            .or(signed_in.pools.default_own())
        {
            Some(pool) => pool,
            None => return problem.set(Some(Problem::Form(FormError::NoPool))),
        };
        let entry = match draft.to_entry(id, pool, signed_in.user(), day, &others) {
            Ok(entry) => entry,
            Err(error) => return problem.set(Some(Problem::Form(error))),
        };
        let Some(change) = Change::between(previous.as_ref(), &entry) else {
            clear_form();
            return;
        };
        let base = previous.as_ref().and_then(|entry| seen(entry.id));
        saving.set(true);
        spawn_local(async move {
            let written = signed_in
                .store
                .write(&signed_in.vault, RecordKind::TimeEntry, entry.id.0, base.as_ref(), change)
                .await;
            match written {
                Ok(_) => {
                    clear_form();
                    notice.set(Some(Notice::Saved));
                    app.changed();
                }
                Err(error) => problem.set(Some(Problem::Store(error))),
            }
            saving.set(false);
        });
    };

    let delete = move |id: TimeEntryId| {
        let Some(signed_in) = app.signed_in() else { return };
        confirm_delete.set(None);
        let base = seen(id);
        spawn_local(async move {
            let written = signed_in
                .store
                .write(&signed_in.vault, RecordKind::TimeEntry, id.0, base.as_ref(), Change::Delete)
                .await;
            match written {
                Ok(_) => {
                    if editing.get_untracked().is_some_and(|entry| entry.id == id) {
                        clear_form();
                    }
                    notice.set(Some(Notice::Deleted));
                    app.changed();
                }
                Err(error) => problem.set(Some(Problem::Store(error))),
            }
        });
    };

    let problem_text = move || problem.get().map(|problem| messages::problem(i18n.get_locale(), &problem));
    let invalid_field = move || match problem.get() {
        Some(Problem::Form(error)) => messages::form_error_field(&error),
        _ => None,
    };
    let field_invalid = move |field: Field| move || invalid_field() == Some(field);

    view! {
        // Ready when the totals are complete: entries and the day's sessions are both read.
        <section class="page" data-testid="page-heute"
            data-ready=move || (loaded.get() && others_loaded.get()).to_string()>
            <header class="page-header">
                <h1 data-testid="day-title">{move || if date.get() == today {
                    t!(i18n, today_title).into_any()
                } else {
                    format::date(i18n.get_locale(), date.get()).into_any()
                }}</h1>
                <Show when=move || date.get() == today>
                    <p class="page-subtitle">{move || format::date(i18n.get_locale(), today)}</p>
                </Show>
                <nav class="day-nav" aria-label=move || td_string!(i18n.get_locale(), today_day_nav)>
                    <a class="button" data-testid="day-previous"
                        href=move || day_link("/heute", date.get() - chrono::Days::new(1), today)>{t!(i18n, today_previous_day)}</a>
                    <Show when=move || { date.get() < today }>
                        <a class="button" data-testid="day-next"
                            href=move || day_link("/heute", date.get() + chrono::Days::new(1), today)>{t!(i18n, today_next_day)}</a>
                        <a class="button" href="/heute" data-testid="day-today">{t!(i18n, today_back_to_today)}</a>
                    </Show>
                </nav>
            </header>
            <crate::ui::day::TagNotice problem=tag_problem/>
            <Show when=move || date.get() == today>
                <TimerCard/>
            </Show>
            <nav class="quick-actions" aria-label=move || td_string!(i18n.get_locale(), today_quick_actions)>
                <a class="button quick-action" href=move || day_link("/gruppenangebot", date.get(), today)
                    data-testid="add-session">{t!(i18n, today_add_session)}</a>
                <a class="button quick-action" href=move || day_link("/beobachtung", date.get(), today)
                    data-testid="add-observation">{t!(i18n, today_add_observation)}</a>
            </nav>
            <div class="totals" role="group" aria-label=move || td_string!(i18n.get_locale(), today_total)>
                <div class="total-card total-direct">
                    <span class="total-label">{t!(i18n, today_direct)}</span>
                    <span class="total-value" data-testid="total-direct">
                        {move || format::duration(i18n.get_locale(), totals.get().direct)}
                    </span>
                </div>
                <div class="total-card total-indirect">
                    <span class="total-label">{t!(i18n, today_indirect)}</span>
                    <span class="total-value" data-testid="total-indirect">
                        {move || format::duration(i18n.get_locale(), totals.get().indirect)}
                    </span>
                </div>
                <div class="total-card">
                    <span class="total-label">{t!(i18n, today_total)}</span>
                    <span class="total-value" data-testid="total-all">
                        {move || format::duration(i18n.get_locale(), totals.get().total())}
                    </span>
                    <span class="total-note">
                        {move || {
                            let percent = percent_share(totals.get().direct, totals.get().total());
                            td_string!(i18n.get_locale(), today_direct_share, percent).to_string()
                        }}
                    </span>
                </div>
            </div>

            <Show when=move || !locked.get() fallback=move || view! {
                <p class="notice notice-warn" role="status" data-testid="day-locked">{t!(i18n, week_locked_notice)}</p>
            }>
            <form class="card entry-form" on:submit=save novalidate=true data-testid="entry-form">
                <h2>{move || if editing.get().is_some() {
                    t!(i18n, today_form_edit).into_any()
                } else {
                    t!(i18n, today_form_new).into_any()
                }}</h2>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_start)}</span>
                        <input id="entry-start" type="time" required=true bind:value=start
                            aria-invalid=move || field_invalid(Field::Start)().to_string()
                            aria-describedby="entry-problem"/>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_end)}</span>
                        <input id="entry-end" type="time" required=true bind:value=end
                            aria-invalid=move || field_invalid(Field::End)().to_string()
                            aria-describedby="entry-problem"/>
                    </label>
                </div>
                <Show when=move || { own_pools().len() > 1 && editing.with(Option::is_none) }>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_pool)}</span>
                        <select id="entry-pool" data-testid="entry-pool"
                            on:change=move |ev| chosen_pool.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok().map(begleitbuch_domain::ids::PoolId))>
                            {move || own_pools().into_iter().map(|choice| {
                                let value = choice.pool.0.to_string();
                                let selected = chosen_pool.get() == Some(choice.pool);
                                view! { <option value=value selected=selected>{choice.institution}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <label class="field">
                    <span class="field-label">{t!(i18n, field_category)}</span>
                    <select id="entry-category" required=true
                        prop:value=move || category.get()
                        on:change=move |ev| category.set(event_target_value(&ev))
                        aria-invalid=move || matches!(problem.get(), Some(Problem::Form(FormError::NoCategory))).to_string()>
                        <option value="" selected=move || category.get().is_empty()>{t!(i18n, category_choose)}</option>
                        <optgroup label=move || td_string!(i18n.get_locale(), category_group_direct)>
                            {TimeCategory::ALL.into_iter().filter(|c| c.is_direct()).map(|c| category_option(i18n, category, c)).collect_view()}
                        </optgroup>
                        <optgroup label=move || td_string!(i18n.get_locale(), category_group_indirect)>
                            {TimeCategory::ALL.into_iter().filter(|c| !c.is_direct()).map(|c| category_option(i18n, category, c)).collect_view()}
                        </optgroup>
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{t!(i18n, field_note)}</span>
                    <input id="entry-note" type="text" bind:value=note maxlength="500" aria-describedby="entry-note-hint"/>
                    <span class="hint" id="entry-note-hint">{t!(i18n, field_note_hint)}</span>
                </label>
                <p id="entry-problem" class="form-problem" role="alert" data-testid="entry-problem">{problem_text}</p>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" disabled=move || saving.get() data-testid="entry-save">
                        {move || if editing.get().is_some() {
                            t!(i18n, action_save_changes).into_any()
                        } else {
                            t!(i18n, action_save).into_any()
                        }}
                    </button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button" on:click=move |_| clear_form()>{t!(i18n, action_cancel)}</button>
                    </Show>
                </div>
            </form>
            </Show>
            <p class="visually-hidden" role="status" data-testid="entry-notice">
                {move || notice.get().map(|n| match n {
                    Notice::Saved => t!(i18n, today_saved).into_any(),
                    Notice::Deleted => t!(i18n, today_deleted).into_any(),
                })}
            </p>

            <section class="card" aria-labelledby="entries-heading">
                <h2 id="entries-heading">{move || if date.get() == today { t!(i18n, today_entries_heading).into_any() } else { t!(i18n, day_entries_heading).into_any() }}</h2>
                {move || load_error.get().or_else(|| others_error.get()).map(|error| view! {
                    <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
                })}
                <Show when=move || loaded.get() fallback=move || view! { <p class="hint">{t!(i18n, today_loading)}</p> }>
                    <Show when=move || !overview.with(|o| o.timeline.is_empty())
                        fallback=move || view! { <p class="empty-state">{move || if date.get() == today { t!(i18n, today_empty).into_any() } else { t!(i18n, day_empty).into_any() }}</p> }>
                        <ul class="entry-list" data-testid="entry-list">
                            {move || {
                                // The rows are plain text in the current language, rendered again as a
                                // whole when it changes: a day's 200 rows with a reactive node for every
                                // label took most of the time Heute needed to render.
                                let locale = i18n.get_locale();
                                view! {
                                    <For each=move || overview.with(|o| timeline_rows(o, !locked.get())) key=|row| format!("{row:?}") let:row>
                                        {match row.item {
                                            TimelineItem::Entry(entry) => entry_row(locale, entry, row.shares_session_time, row.changeable, edit, delete, confirm_delete).into_any(),
                                            TimelineItem::Session(session) => {
                                                let me = app.signed_in().map(|s| s.user());
                                                others.with_untracked(|o| session_row(locale, &session, me, o, row.changeable)).into_any()
                                            }
                                        }}
                                    </For>
                                }
                            }}
                        </ul>
                    </Show>
                </Show>
            </section>
            <section class="card" aria-labelledby="children-today-heading">
                <h2 id="children-today-heading">{move || if date.get() == today { t!(i18n, today_children_heading).into_any() } else { t!(i18n, day_children_heading).into_any() }}</h2>
                <Show when=move || !overview.with(|o| o.children.is_empty())
                    fallback=move || view! { <p class="hint">{move || if date.get() == today { t!(i18n, today_children_empty).into_any() } else { t!(i18n, day_children_empty).into_any() }}</p> }>
                    <ul class="chips" data-testid="children-today">
                        {move || overview.with(|o| o.children.iter().map(|(id, name)| view! {
                            <li><a class="chip" href=format!("/kinder/{}", id.0)>{name.clone()}</a></li>
                        }).collect_view())}
                    </ul>
                </Show>
            </section>
        </section>
    }
}

/// The day's records besides time entries, and the names they need.
#[derive(Clone, Default)]
struct DayRecords {
    sessions: Vec<GroupSession>,
    observations: Vec<Observation>,
    children: Vec<Child>,
    reviews: Vec<WeekReview>,
    people: BTreeMap<UserId, String>,
}

fn category_option(
    i18n: leptos_i18n::I18nContext<Locale>,
    selected: RwSignal<String>,
    category: TimeCategory,
) -> impl IntoView {
    let code = category.code();
    view! {
        <option value=code selected=move || selected.get() == code>
            {move || format::category(i18n.get_locale(), category)}
        </option>
    }
}

fn session_row(
    locale: Locale,
    session: &GroupSession,
    me: Option<UserId>,
    names: &DayRecords,
    changeable: bool,
) -> impl IntoView {
    let end = session.start + chrono::Duration::minutes(i64::from(session.duration_minutes));
    let time = format::time_range(locale, session.start, end);
    let kind = format::session_kind(locale, session.kind);
    let duration = format::duration(locale, session.duration_minutes);
    let named = session.children.len();
    let unnamed = session.unnamed_participants;
    let participants = td_string!(locale, today_session_participants, named, unnamed).to_string();
    let colleagues: Vec<String> = session
        .companions
        .iter()
        .filter(|id| Some(**id) != me)
        .map(|id| {
            names
                .people
                .get(id)
                .cloned()
                .unwrap_or_else(|| td_string!(locale, today_session_colleague).to_string())
        })
        .collect();
    let with = (!colleagues.is_empty()).then(|| {
        let names = colleagues.join(", ");
        td_string!(locale, today_session_with, names).to_string()
    });
    let group = session.group.clone();
    let href = format!("/gruppenangebot/{}", session.id.0);
    view! {
        <li class="entry entry-direct entry-session" data-testid="session">
            <div class="entry-main">
                <span class="entry-time">{time}</span>
                <span class="entry-category">{kind} {(!group.is_empty()).then(|| format!(" · {group}"))}</span>
                <span class="entry-duration">{duration}</span>
                <span class="entry-note">{participants}</span>
                {with.map(|with| view! { <span class="entry-note" data-testid="session-with">{with}</span> })}
            </div>
            <div class="entry-actions">
                <a class="button" href=href data-testid="session-edit">{if changeable {
                    td_string!(locale, action_edit).to_string()
                } else {
                    td_string!(locale, action_view).to_string()
                }}</a>
            </div>
        </li>
    }
}

/// One line of the day's timeline, with what it shows besides the record.
#[derive(Debug, Clone, PartialEq)]
struct TimelineRow {
    item: TimelineItem,
    /// An entry that shares time with a session (counted once).
    shares_session_time: bool,
    /// The record can still be edited and deleted (its week is not approved).
    changeable: bool,
}

fn timeline_rows(overview: &DayOverview, changeable: bool) -> Vec<TimelineRow> {
    overview
        .timeline
        .iter()
        .map(|item| TimelineRow {
            shares_session_time: matches!(item, TimelineItem::Entry(e) if overview.overlapping_sessions.contains(&e.id)),
            item: item.clone(),
            changeable,
        })
        .collect()
}

fn entry_row(
    locale: Locale,
    entry: TimeEntry,
    shares_session_time: bool,
    changeable: bool,
    edit: impl Fn(TimeEntry) + Copy + Send + Sync + 'static,
    delete: impl Fn(TimeEntryId) + Copy + Send + Sync + 'static,
    confirm_delete: RwSignal<Option<TimeEntryId>>,
) -> impl IntoView {
    let id = entry.id;
    let minutes = validate_entry(&entry).unwrap_or(0);
    let direct = entry.category.is_direct();
    let (start, end) = (entry.start, entry.end);
    let note = entry.note.clone();
    let confirming = move || confirm_delete.get() == Some(id);
    let time = format::time_range(locale, start, end);
    let category = format::category(locale, entry.category);
    let duration = format::duration(locale, minutes);
    view! {
        <li class="entry" class:entry-direct=direct class:entry-indirect=!direct data-testid="entry">
            <div class="entry-main">
                <span class="entry-time">{time}</span>
                <span class="entry-category">{category}</span>
                <span class="entry-duration">{duration}</span>
                {(!note.is_empty()).then(|| view! { <span class="entry-note">{note.clone()}</span> })}
                {shares_session_time.then(|| view! {
                    <span class="entry-overlap" data-testid="entry-overlap">
                        {td_string!(locale, today_entry_overlaps_session).to_string()}
                    </span>
                })}
            </div>
            {changeable.then(|| view! {
            <div class="entry-actions">
                <Show when=move || !confirming() fallback=move || view! {
                    <button type="button" class="button button-danger" data-testid="entry-confirm-delete"
                        on:click=move |_| delete(id)>{td_string!(locale, action_confirm_delete).to_string()}</button>
                    <button type="button" class="button" on:click=move |_| confirm_delete.set(None)>
                        {td_string!(locale, action_keep).to_string()}
                    </button>
                }>
                    <button type="button" class="button" data-testid="entry-edit"
                        on:click={
                            let entry = entry.clone();
                            move |_| edit(entry.clone())
                        }>{td_string!(locale, action_edit).to_string()}</button>
                    <button type="button" class="button" data-testid="entry-delete"
                        on:click=move |_| confirm_delete.set(Some(id))>{td_string!(locale, action_delete).to_string()}</button>
                </Show>
            </div>
            })}
        </li>
    }
}
