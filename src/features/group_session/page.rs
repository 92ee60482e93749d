use std::collections::BTreeSet;

use begleitbuch_domain::calendar;
use begleitbuch_domain::child::Child;
use begleitbuch_domain::consent::{is_granted, Consent, ConsentPurpose};
use begleitbuch_domain::ids::{ChildId, PoolId, SessionId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::WeekReview;
use begleitbuch_domain::validate::Field;
use begleitbuch_domain::work::{GroupSession, SessionKind};
use begleitbuch_domain::worktime::split_session;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::editing::change::first_seen;
use crate::editing::fields::FormError;
use crate::features::group_session::form::{suggested_start, SessionDraft};
use crate::features::today::timer::RunningTimer;
use crate::i18n::{t, td_string, use_i18n};
use crate::runtime::pools::PoolChoice;
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages::{self, Problem};
use crate::ui::day::day_link;
use crate::ui::record_form::{
    record_id, week_locked, write_change, FormStatus, RecordFormActions, RecordFormFrame,
};

/// What the form offers: the pool's children (with whether they may be named) and colleagues.
#[derive(Clone, Default)]
struct Choices {
    /// The pool the session goes into (`None` before the first sync), and the pools it may go into:
    /// the companion's own, and those they cover.
    pool: Option<PoolId>,
    pools: Vec<PoolChoice>,
    children: Vec<(Child, bool)>,
    colleagues: Vec<(UserId, String)>,
    reviews: Vec<WeekReview>,
    /// The session being edited, as stored.
    stored: Option<(GroupSession, RecordState)>,
    missing: bool,
}

/// Gruppenangebot: record a group session, or edit one (`/gruppenangebot/<id>`) until its week is
/// approved. The session is the direct time of every companion in it.
#[component]
pub fn GroupSessionPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let params = use_params_map();
    let editing_id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let query = use_query_map();
    let day = crate::ui::day::linked_day(query);

    let now = calendar::to_berlin(Utc::now()).time();
    let mut first = SessionDraft::new(day, suggested_start(now));
    // Opened by the group tile's timer when it stopped: its start and length; the timer is cleared
    // once the session is saved (until then it keeps running, so nothing is lost on the way).
    let from_timer = query.with_untracked(|q| {
        if let Some(start) = q.get("beginn") {
            first.start = start;
        }
        if let Some(minutes) = q.get("dauer") {
            first.duration = minutes;
        }
        q.get("zeitnehmer").is_some()
    });
    let draft = RwSignal::new(first);
    let choices = RwSignal::new(Choices::default());
    let problem = RwSignal::new(None::<Problem>);
    let saving = RwSignal::new(false);
    let status = FormStatus { busy: saving, problem };
    let new_id_kept = RwSignal::new(None::<Uuid>);
    // The pool chosen for a new session by a companion who also covers another pool.
    let chosen_pool = RwSignal::new(None::<PoolId>);
    // Kept in the arena so that the handlers stay `Copy`.
    let navigate = StoredValue::new_local(use_navigate());
    let go = move |path: &str| navigate.with_value(|navigate| navigate(path, Default::default()));
    // Saved or deleted, the session's day opens (Heute, or the earlier day it belongs to).
    let back_to_day = move |date: NaiveDate| go(&day_link("/heute", date, crate::runtime::clock::today()));

    let (loaded, load_error) = app.load_on_change(
        move |signed_in| {
            let editing = editing_id();
            let chosen = chosen_pool.get();
            async move {
                let store = &signed_in.store;
                let vault = &signed_in.vault;
                let children: Vec<Child> = store.all::<Child>(vault).await?;
                let consents: Vec<Consent> = store.all::<Consent>(vault).await?;
                let reviews: Vec<WeekReview> = store.all::<WeekReview>(vault).await?;
                let directory: Vec<PoolDirectory> = store.pool_directory(vault).await?;
                let stored = match editing {
                    Some(id) => store.read(vault, RecordKind::GroupSession, id).await?.filter(|s| !s.deleted),
                    None => None,
                };
                Ok((
                    signed_in.user(),
                    signed_in.pools.for_sessions(),
                    chosen,
                    children,
                    consents,
                    reviews,
                    directory,
                    stored,
                ))
            }
        },
        move |(me, pools, chosen, children, consents, reviews, directory, stored)| {
            let loaded: Option<(GroupSession, RecordState)> =
                stored.and_then(|state| state.decode().map(|session| (session, state)));
            let kept = choices.with_untracked(|c| c.stored.clone());
            let (stored, fresh) = first_seen(editing_id(), kept, loaded);
            // A session stays in its pool; a new one goes into the chosen pool, by default the own one.
            let pool = stored
                .as_ref()
                .map(|(session, _)| session.pool)
                .or(chosen)
                .or_else(|| pools.first().map(|choice| choice.pool));
            let now = Utc::now();
            let mut pool_children: Vec<(Child, bool)> = children
                .into_iter()
                .filter(|child| Some(child.pool) == pool)
                .map(|child| {
                    let nameable = is_granted(&consents, child.id, ConsentPurpose::Naming, now);
                    (child, nameable)
                })
                .collect();
            pool_children.sort_by_key(|(child, _)| child.display_name.to_lowercase());
            let colleagues = directory
                .iter()
                .filter(|entry| Some(entry.id) == pool)
                .flat_map(|entry| entry.people.iter())
                .filter(|person| person.id != me && matches!(person.role, Role::Companion | Role::TeamLead))
                .map(|person| (person.id, person.display_name.clone()))
                .collect();
            if let (Some((session, _)), true) = (&stored, fresh) {
                draft.set(SessionDraft::from_session(session, me));
            }
            let missing = editing_id().is_some() && stored.is_none();
            choices.set(Choices {
                pool,
                pools,
                children: pool_children,
                colleagues,
                reviews,
                stored,
                missing,
            });
        },
    );

    let locked = Memo::new(move |_| {
        let Some(me) = app.signed_in().map(|s| s.user()) else { return false };
        let stored = choices.with(|c| c.stored.as_ref().map(|(s, _)| s.date));
        draft.with(|d| choices.with(|c| week_locked(&c.reviews, me, &d.date, stored)))
    });
    let nameable = move || -> BTreeSet<ChildId> {
        choices.with(|c| c.children.iter().filter(|(_, ok)| *ok).map(|(child, _)| child.id).collect())
    };
    // The session as it would be saved now, for the split shown under the participants.
    let provisional = Memo::new(move |_| {
        let signed_in = app.signed_in()?;
        let previous = choices.with(|c| c.stored.as_ref().map(|(s, _)| s.clone()));
        let pool = choices.with(|c| c.pool)?;
        let me = signed_in.user();
        draft.with(|d| {
            d.to_session(
                SessionId(Uuid::nil()),
                pool,
                me,
                &nameable(),
                previous.as_ref(),
                crate::runtime::clock::today(),
            )
            .ok()
        })
    });

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || locked.get_untracked() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let previous = choices.with_untracked(|c| c.stored.clone());
        let existing = previous.as_ref().map(|(s, _)| s.id.0);
        let id = match record_id(existing, new_id_kept) {
            Ok(id) => id,
            Err(error) => return problem.set(Some(Problem::Store(error))),
        };
        let Some(pool) = choices.with_untracked(|c| c.pool) else {
            return problem.set(Some(Problem::Form(FormError::NoPool)));
        };
        let made = draft.with_untracked(|d| {
            d.to_session(
                SessionId(id),
                pool,
                signed_in.user(),
                &nameable(),
                previous.as_ref().map(|(s, _)| s),
                crate::runtime::clock::today(),
            )
        });
        let made = match made {
            Ok(made) => made,
            Err(error) => return problem.set(Some(Problem::Form(error))),
        };
        let Some(change) = Change::between(previous.as_ref().map(|(s, _)| s), &made) else {
            back_to_day(made.date);
            return;
        };
        let base = previous.map(|(_, state)| state);
        let date = made.date;
        write_change(app, status, RecordKind::GroupSession, id, base, change, move || {
            if from_timer {
                leptos::task::spawn_local(async move {
                    let timer: Option<RunningTimer> =
                        signed_in.store.running_timer(&signed_in.vault).await.ok().flatten();
                    if timer.is_some_and(|timer| timer.is_session()) {
                        // If this fails the timer still shows on Heute, to be discarded there.
                        let _ = signed_in.store.save_timer(&signed_in.vault, None::<&RunningTimer>).await;
                    }
                    app.changed();
                });
            }
            back_to_day(date);
        });
    };

    let delete = move || {
        let Some((stored, state)) = choices.with_untracked(|c| c.stored.clone()) else { return };
        let kind = RecordKind::GroupSession;
        let date = stored.date;
        write_change(app, status, kind, stored.id.0, Some(state), Change::Delete, move || back_to_day(date));
    };

    let problem_text = move || problem.get().map(|p| messages::problem(i18n.get_locale(), &p));
    let invalid = move |field: Field| status.invalid(field);
    let text_field = move |field: fn(&mut SessionDraft) -> &mut String| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            draft.update(|d| *field(d) = value);
        }
    };
    let unnamed_step = move |delta: i32| {
        draft.update(|d| {
            let current: i32 = d.unnamed.trim().parse().unwrap_or(0);
            d.unnamed = (current + delta).clamp(0, 99).to_string();
        })
    };

    view! {
        <section class="page" data-testid="page-gruppenangebot" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{move || if editing_id().is_some() { t!(i18n, session_title_edit).into_any() } else { t!(i18n, session_title_new).into_any() }}</h1>
                <a class="button" href="/heute">{t!(i18n, action_back)}</a>
            </header>
            <RecordFormFrame prefix="session" load_error=load_error missing=Signal::derive(move || choices.with(|c| c.missing))
                not_found=Signal::derive(move || td_string!(i18n.get_locale(), session_not_found).to_string())
                locked=locked>
            <form class="card entry-form" on:submit=save novalidate=true data-testid="session-form">
                // A companion covering another pool chooses where the session goes (its children and
                // colleagues follow); a session being edited stays where it is.
                <Show when=move || choices.with(|c| c.pools.len() > 1 && c.stored.is_none())>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_pool)}</span>
                        <select id="session-pool" data-testid="session-pool"
                            on:change=move |ev| {
                                let pool = Uuid::parse_str(&event_target_value(&ev)).ok().map(PoolId);
                                draft.update(|d| {
                                    d.children.clear();
                                    d.co_companions.clear();
                                });
                                chosen_pool.set(pool);
                            }>
                            {move || choices.with(|c| c.pools.iter().map(|choice| {
                                let selected = c.pool == Some(choice.pool);
                                view! { <option value=choice.pool.0.to_string() selected=selected>{choice.institution.clone()}</option> }
                            }).collect_view())}
                        </select>
                    </label>
                </Show>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_date)}</span>
                        <input id="session-date" type="date" required=true aria-invalid=invalid(Field::Date)
                            aria-describedby="session-problem"
                            prop:value=move || draft.with(|d| d.date.clone()) on:change=text_field(|d| &mut d.date)/>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_start)}</span>
                        <input id="session-start" type="time" required=true aria-invalid=invalid(Field::Start)
                            aria-describedby="session-problem"
                            prop:value=move || draft.with(|d| d.start.clone()) on:input=text_field(|d| &mut d.start)/>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_duration)}</span>
                        <input id="session-duration" type="number" inputmode="numeric" min="1" max="600" required=true
                            aria-invalid=invalid(Field::Duration) aria-describedby="session-problem"
                            prop:value=move || draft.with(|d| d.duration.clone()) on:input=text_field(|d| &mut d.duration)/>
                    </label>
                </div>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_session_kind)}</span>
                        <select id="session-kind" required=true
                            aria-invalid=move || matches!(problem.get(), Some(Problem::Form(crate::editing::fields::FormError::NoKind))).to_string()
                            on:change=text_field(|d| &mut d.kind)>
                            <option value="" selected=move || draft.with(|d| d.kind.is_empty())>{t!(i18n, category_choose)}</option>
                            {SessionKind::ALL.into_iter().map(|kind| {
                                let code = kind.code();
                                view! {
                                    <option value=code selected=move || draft.with(|d| d.kind == code)>
                                        {move || format::session_kind(i18n.get_locale(), kind)}
                                    </option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_group)}</span>
                        <input id="session-group" type="text" maxlength="40" aria-invalid=invalid(Field::Group)
                            placeholder=move || td_string!(i18n.get_locale(), field_group_placeholder)
                            prop:value=move || draft.with(|d| d.group.clone()) on:input=text_field(|d| &mut d.group)/>
                    </label>
                </div>

                <fieldset class="field chips-field" aria-describedby="session-children-hint">
                    <legend class="field-label">{t!(i18n, session_children)}</legend>
                    <p class="hint" id="session-children-hint">{t!(i18n, session_children_hint)}</p>
                    <div class="chips" data-testid="session-children">
                        {move || choices.with(|c| c.children.iter().filter(|(_, ok)| *ok).map(|(child, _)| {
                            let id = child.id;
                            let name = child.display_name.clone();
                            let pressed = move || draft.with(|d| d.children.contains(&id));
                            view! {
                                <button type="button" class="chip" aria-pressed=move || pressed().to_string()
                                    data-testid="session-child"
                                    on:click=move |_| draft.update(|d| { if !d.children.remove(&id) { d.children.insert(id); } })>
                                    {name}
                                </button>
                            }
                        }).collect_view())}
                    </div>
                    {move || {
                        let without = choices.with(|c| c.children.iter().filter(|(_, ok)| !*ok).count());
                        (without > 0).then(|| view! {
                            <p class="hint" data-testid="session-unnameable">{td_string!(i18n.get_locale(), session_children_without_consent, count = without).to_string()}</p>
                        })
                    }}
                    <Show when=move || loaded.get() && choices.with(|c| c.children.is_empty())>
                        <p class="hint">{t!(i18n, session_no_children)}</p>
                    </Show>
                </fieldset>

                <div class="field">
                    <label class="field-label" for="session-unnamed">{t!(i18n, session_unnamed)}</label>
                    <div class="stepper">
                        <button type="button" class="button stepper-button" on:click=move |_| unnamed_step(-1)
                            aria-label=move || td_string!(i18n.get_locale(), session_unnamed_less)>"−"</button>
                        <input id="session-unnamed" type="number" inputmode="numeric" min="0" max="99"
                            aria-invalid=invalid(Field::Participants) aria-describedby="session-problem"
                            prop:value=move || draft.with(|d| d.unnamed.clone()) on:input=text_field(|d| &mut d.unnamed)/>
                        <button type="button" class="button stepper-button" on:click=move |_| unnamed_step(1)
                            aria-label=move || td_string!(i18n.get_locale(), session_unnamed_more)>"+"</button>
                    </div>
                </div>

                <fieldset class="field chips-field" aria-describedby="session-companions-hint">
                    <legend class="field-label">{t!(i18n, session_companions)}</legend>
                    <p class="hint" id="session-companions-hint">{t!(i18n, session_companions_hint)}</p>
                    <div class="chips" data-testid="session-companions">
                        {move || choices.with(|c| c.colleagues.iter().map(|(id, name)| {
                            let id = *id;
                            let pressed = move || draft.with(|d| d.co_companions.contains(&id));
                            view! {
                                <button type="button" class="chip" aria-pressed=move || pressed().to_string()
                                    data-testid="session-companion"
                                    on:click=move |_| draft.update(|d| { if !d.co_companions.remove(&id) { d.co_companions.insert(id); } })>
                                    {name.clone()}
                                </button>
                            }
                        }).collect_view())}
                    </div>
                    <Show when=move || loaded.get() && choices.with(|c| c.colleagues.is_empty())>
                        <p class="hint">{t!(i18n, session_no_colleagues)}</p>
                    </Show>
                </fieldset>

                <label class="field">
                    <span class="field-label">{t!(i18n, field_note)}</span>
                    <textarea id="session-note" rows="2" maxlength="500" aria-describedby="session-note-hint"
                        prop:value=move || draft.with(|d| d.note.clone()) on:input=text_field(|d| &mut d.note)></textarea>
                    <span class="hint" id="session-note-hint">{t!(i18n, field_note_hint)}</span>
                </label>

                <p class="session-split" data-testid="session-split" aria-live="polite">
                    {move || provisional.get().map(|session| {
                        let split = split_session(&session);
                        let locale = i18n.get_locale();
                        let direct = format::duration(locale, session.duration_minutes);
                        let companions = session.companions.len();
                        // The split rule in words: the companions' minutes shared among everyone taking
                        // part; minutes that do not divide evenly go one each to the named children.
                        let fewest = split.per_child.values().copied().min().unwrap_or(0);
                        let most = split.per_child.values().copied().max().unwrap_or(0);
                        let per_child = if fewest == most {
                            format::duration(locale, most)
                        } else {
                            format!("{}–{}", format::duration(locale, fewest), format::duration(locale, most))
                        };
                        let total = format::duration(
                            locale,
                            session.duration_minutes.saturating_mul(u32::try_from(companions).unwrap_or(u32::MAX)),
                        );
                        let participants = session.children.len() + usize::from(session.unnamed_participants);
                        if split.per_child.is_empty() {
                            td_string!(locale, session_split_unnamed, direct, companions).to_string()
                        } else {
                            td_string!(locale, session_split, direct, companions, per_child, total, participants).to_string()
                        }
                    })}
                </p>
                <p id="session-problem" class="form-problem" role="alert" data-testid="session-problem">{problem_text}</p>
                <RecordFormActions prefix="session" disabled=Signal::derive(move || saving.get() || locked.get())
                    deletable=Signal::derive(move || choices.with(|c| c.stored.is_some()) && !locked.get()) delete=delete/>
            </form>
            </RecordFormFrame>
        </section>
    }
}
