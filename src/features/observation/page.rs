use std::collections::BTreeSet;

use begleitbuch_domain::child::{Child, Goal};
use begleitbuch_domain::consent::{is_granted, Consent, ConsentPurpose};
use begleitbuch_domain::ids::{ChildId, GoalId, ObservationId};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::WeekReview;
use begleitbuch_domain::validate::Field;
use begleitbuch_domain::work::{Observation, ObservationDomain};
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use uuid::Uuid;

use crate::editing::fields::FormError;
use crate::i18n::{t, td_string, use_i18n};
use crate::text::format;
use crate::text::messages::Problem;
use crate::ui::record_form::{
    record_id, week_locked, write_change, FormStatus, RecordFormActions, RecordFormFrame,
};
use begleitbuch_domain::worktime::MAX_OBSERVATION_CHARS;

use crate::editing::change::first_seen;
use crate::features::observation::form::ObservationDraft;
use crate::runtime::state::AppStore;

#[derive(Clone, Default)]
struct Choices {
    /// The children of the user's pools, with whether their parents consented to documentation.
    children: Vec<(Child, bool)>,
    goals: Vec<Goal>,
    reviews: Vec<WeekReview>,
    stored: Option<(Observation, RecordState)>,
    missing: bool,
}

/// Beobachtung: note what a child did, tagged by development area and support-plan goal, shareable with
/// the parents or internal. Only for children whose parents consented to documentation.
#[component]
pub fn ObservationPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let params = use_params_map();
    let query = use_query_map();
    let editing_id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    let preselected =
        query.with_untracked(|q| q.get("child").and_then(|id| Uuid::parse_str(&id).ok()).map(ChildId));
    let draft = RwSignal::new(ObservationDraft::new(crate::ui::day::linked_day(query), preselected));
    let choices = RwSignal::new(Choices::default());
    let problem = RwSignal::new(None::<Problem>);
    let saving = RwSignal::new(false);
    let status = FormStatus { busy: saving, problem };
    let new_id_kept = RwSignal::new(None::<Uuid>);
    let navigate = StoredValue::new_local(use_navigate());
    let go = move |path: String| navigate.with_value(|navigate| navigate(&path, Default::default()));

    let (loaded, load_error) = app.load_on_change(
        move |signed_in| {
            let editing = editing_id();
            async move {
                let store = &signed_in.store;
                let vault = &signed_in.vault;
                let children: Vec<Child> = store.all::<Child>(vault).await?;
                let consents: Vec<Consent> = store.all::<Consent>(vault).await?;
                let goals: Vec<Goal> = store.all::<Goal>(vault).await?;
                let reviews: Vec<WeekReview> = store.all::<WeekReview>(vault).await?;
                let stored = match editing {
                    Some(id) => store.read(vault, RecordKind::Observation, id).await?.filter(|s| !s.deleted),
                    None => None,
                };
                Ok((children, consents, goals, reviews, stored))
            }
        },
        move |(children, consents, goals, reviews, stored)| {
            let loaded: Option<(Observation, RecordState)> =
                stored.and_then(|state| state.decode().map(|observation| (observation, state)));
            let kept = choices.with_untracked(|c| c.stored.clone());
            let (stored, fresh) = first_seen(editing_id(), kept, loaded);
            let now = Utc::now();
            let mut children: Vec<(Child, bool)> = children
                .into_iter()
                .map(|child| {
                    let documentable = is_granted(&consents, child.id, ConsentPurpose::Documentation, now);
                    (child, documentable)
                })
                .collect();
            children.sort_by_key(|(child, _)| child.display_name.to_lowercase());
            if let (Some((observation, _)), true) = (&stored, fresh) {
                draft.set(ObservationDraft::from_observation(observation));
            }
            let missing = editing_id().is_some() && stored.is_none();
            choices.set(Choices { children, goals, reviews, stored, missing });
            // A child chosen on the child page whose parents did not consent: say so at once.
            if let Some(child) = draft.with_untracked(|d| d.child) {
                let refused =
                    choices.with_untracked(|c| c.children.iter().any(|(k, ok)| k.id == child && !ok));
                if refused {
                    problem.set(Some(Problem::Form(FormError::ConsentMissing(
                        child,
                        ConsentPurpose::Documentation,
                    ))));
                }
            }
        },
    );

    let locked = Memo::new(move |_| {
        let Some(me) = app.signed_in().map(|s| s.user()) else { return false };
        let stored = choices.with(|c| c.stored.as_ref().map(|(o, _)| o.date));
        draft.with(|d| choices.with(|c| week_locked(&c.reviews, me, &d.date, stored)))
    });
    let choose_child = move |child: ChildId, documentable: bool| {
        if documentable {
            draft.update(|d| {
                if d.child != Some(child) {
                    d.goal = None;
                }
                d.child = Some(child);
            });
            problem.set(None);
        } else {
            problem.set(Some(Problem::Form(FormError::ConsentMissing(child, ConsentPurpose::Documentation))));
        }
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || locked.get_untracked() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let previous = choices.with_untracked(|c| c.stored.clone());
        let existing = previous.as_ref().map(|(o, _)| o.id.0);
        let id = match record_id(existing, new_id_kept) {
            Ok(id) => id,
            Err(error) => return problem.set(Some(Problem::Store(error))),
        };
        let (documentable, pool) = choices.with_untracked(|c| {
            let documentable: BTreeSet<ChildId> =
                c.children.iter().filter(|(_, ok)| *ok).map(|(k, _)| k.id).collect();
            let chosen = draft.with_untracked(|d| d.child);
            let pool = c.children.iter().find(|(k, _)| Some(k.id) == chosen).map(|(k, _)| k.pool);
            (documentable, pool)
        });
        // An observation belongs to its child's pool (own or covered).
        let Some(pool) = pool else { return problem.set(Some(Problem::Form(FormError::NoChild))) };
        let author = previous.as_ref().map_or(signed_in.user(), |(o, _)| o.author);
        let made = draft.with_untracked(|d| {
            d.to_observation(ObservationId(id), pool, author, &documentable, crate::runtime::clock::today())
        });
        let made = match made {
            Ok(made) => made,
            Err(error) => return problem.set(Some(Problem::Form(error))),
        };
        let child = made.child;
        let Some(change) = Change::between(previous.as_ref().map(|(o, _)| o), &made) else {
            go(format!("/kinder/{}", child.0));
            return;
        };
        let base = previous.map(|(_, state)| state);
        let back = move || go(format!("/kinder/{}", child.0));
        write_change(app, status, RecordKind::Observation, id, base, change, back);
    };

    let delete = move || {
        let Some((stored, state)) = choices.with_untracked(|c| c.stored.clone()) else { return };
        let back = move || go(format!("/kinder/{}", stored.child.0));
        write_change(app, status, RecordKind::Observation, stored.id.0, Some(state), Change::Delete, back);
    };

    // A child without documentation consent is refused beside the children, where it was tapped.
    let problem_text = move || status.text_unless_beside(i18n.get_locale(), &[Field::Child]);
    let child_problem = move || status.text_about(i18n.get_locale(), Field::Child);
    let invalid = move |field: Field| status.invalid(field);
    let child_goals = move || {
        let child = draft.with(|d| d.child);
        choices.with(|c| {
            c.goals.iter().filter(|g| Some(g.child) == child && g.active).cloned().collect::<Vec<_>>()
        })
    };
    let text_length = move || draft.with(|d| d.text.chars().count());

    view! {
        <section class="page" data-testid="page-beobachtung" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{move || if editing_id().is_some() { t!(i18n, observation_title_edit).into_any() } else { t!(i18n, observation_title_new).into_any() }}</h1>
                <a class="button" href="/heute">{t!(i18n, action_back)}</a>
            </header>
            <RecordFormFrame prefix="observation" load_error=load_error missing=Signal::derive(move || choices.with(|c| c.missing))
                not_found=Signal::derive(move || td_string!(i18n.get_locale(), observation_not_found).to_string())
                locked=locked>
            <form class="card entry-form" on:submit=save novalidate=true data-testid="observation-form">
                <fieldset class="field chips-field" aria-describedby="observation-child-problem">
                    <legend class="field-label">{t!(i18n, observation_child)}</legend>
                    <div class="chips" data-testid="observation-children" aria-invalid=invalid(Field::Child)>
                        {move || {
                            let editing = choices.with(|c| c.stored.is_some());
                            choices.with(|c| c.children.iter().map(|(child, documentable)| {
                                let (id, documentable) = (child.id, *documentable);
                                let name = child.display_name.clone();
                                let pressed = move || draft.with(|d| d.child == Some(id));
                                view! {
                                    <button type="button" class="chip" class:chip-refused=!documentable
                                        aria-pressed=move || pressed().to_string()
                                        disabled=editing
                                        data-testid="observation-child"
                                        on:click=move |_| choose_child(id, documentable)>
                                        {name}
                                        {(!documentable).then(|| view! {
                                            <span class="chip-note">{t!(i18n, observation_no_consent_short)}</span>
                                        })}
                                    </button>
                                }
                            }).collect_view())
                        }}
                    </div>
                    <Show when=move || loaded.get() && choices.with(|c| c.children.is_empty())>
                        <p class="hint">{t!(i18n, session_no_children)}</p>
                    </Show>
                    <p id="observation-child-problem" class="form-problem" role="alert"
                        data-testid="observation-child-problem">{child_problem}</p>
                </fieldset>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_date)}</span>
                        <input id="observation-date" type="date" required=true aria-invalid=invalid(Field::Date)
                            aria-describedby="observation-problem"
                            prop:value=move || draft.with(|d| d.date.clone())
                            on:change=move |ev| { let value = event_target_value(&ev); draft.update(|d| d.date = value); }/>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, observation_goal)}</span>
                        <select id="observation-goal"
                            on:change=move |ev| {
                                let value = event_target_value(&ev);
                                draft.update(|d| d.goal = Uuid::parse_str(&value).ok().map(GoalId));
                            }>
                            <option value="" selected=move || draft.with(|d| d.goal.is_none())>{t!(i18n, observation_no_goal)}</option>
                            {move || child_goals().into_iter().map(|goal| {
                                let id = goal.id;
                                view! {
                                    <option value=id.0.to_string() selected=move || draft.with(|d| d.goal == Some(id))>{goal.title.clone()}</option>
                                }
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <fieldset class="field chips-field">
                    <legend class="field-label">{t!(i18n, observation_domains)}</legend>
                    <div class="chips" data-testid="observation-domains">
                        {ObservationDomain::ALL.into_iter().map(|domain| {
                            let code = domain.code();
                            let pressed = move || draft.with(|d| d.domains.contains(&domain));
                            view! {
                                <button type="button" class="chip" aria-pressed=move || pressed().to_string()
                                    data-testid=format!("observation-domain-{code}")
                                    on:click=move |_| draft.update(|d| { if !d.domains.remove(&domain) { d.domains.insert(domain); } })>
                                    {move || format::observation_domain(i18n.get_locale(), domain)}
                                </button>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="field">
                    <label class="field-label" for="observation-text">{t!(i18n, observation_text)}</label>
                    // Dictation works in any text field: the tablet's keyboard has a microphone key.
                    <textarea id="observation-text" class="observation-text" rows="8" maxlength=MAX_OBSERVATION_CHARS.to_string()
                        lang=move || crate::io::preferences::locale_code(i18n.get_locale()) spellcheck="true"
                        aria-invalid=invalid(Field::Text) aria-describedby="observation-text-hint observation-problem"
                        prop:value=move || draft.with(|d| d.text.clone())
                        on:input=move |ev| { let value = event_target_value(&ev); draft.update(|d| d.text = value); }></textarea>
                    <span class="hint" id="observation-text-hint">
                        {move || td_string!(i18n.get_locale(), observation_text_hint, used = text_length(), max = MAX_OBSERVATION_CHARS).to_string()}
                    </span>
                </div>
                <fieldset class="field">
                    <legend class="field-label">{t!(i18n, observation_visibility)}</legend>
                    <div class="choice-row">
                        <label class="choice">
                            <input type="radio" name="observation-visibility" data-testid="observation-internal"
                                prop:checked=move || draft.with(|d| !d.shareable)
                                on:change=move |_| draft.update(|d| d.shareable = false)/>
                            <span>{t!(i18n, observation_internal)}</span>
                        </label>
                        <label class="choice">
                            <input type="radio" name="observation-visibility" data-testid="observation-shareable"
                                prop:checked=move || draft.with(|d| d.shareable)
                                on:change=move |_| draft.update(|d| d.shareable = true)/>
                            <span>{t!(i18n, observation_shareable)}</span>
                        </label>
                    </div>
                </fieldset>
                <p id="observation-problem" class="form-problem" role="alert" data-testid="observation-problem">{problem_text}</p>
                <RecordFormActions prefix="observation" disabled=Signal::derive(move || saving.get() || locked.get())
                    deletable=Signal::derive(move || choices.with(|c| c.stored.is_some()) && !locked.get()) delete=delete/>
            </form>
            </RecordFormFrame>
        </section>
    }
}
