use begleitbuch_domain::child::{Child, Goal};
use begleitbuch_domain::consent::Consent;
use begleitbuch_domain::ids::{ChildId, UserId};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::work::{GroupSession, Observation, Visibility};
use begleitbuch_domain::worktime::split_session;
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use crate::features::children::model::{child_rows, ChildRow};
use crate::features::children::page::child_card;
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages;

/// Everything about one child on this device.
#[derive(Clone, Default)]
struct ChildFile {
    row: Option<ChildRow>,
    goals: Vec<Goal>,
    /// Newest first, with the minutes credited to the child.
    sessions: Vec<(GroupSession, u32)>,
    /// Newest first.
    observations: Vec<Observation>,
    me: Option<UserId>,
}

/// One child: what was approved and delivered, the consents, the support-plan goals, the group
/// sessions they took part in and the observations about them.
#[component]
pub fn ChildPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let params = use_params_map();
    let child_id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()).map(ChildId));
    let today = crate::runtime::clock::today();
    let file = RwSignal::new(ChildFile::default());

    let (loaded, load_error) = app.load_on_change(
        move |signed_in| {
            let child = child_id();
            async move {
                let store = &signed_in.store;
                let vault = &signed_in.vault;
                let Some(id) = child else { return Ok(ChildFile::default()) };
                let Some(child) = store
                    .read(vault, RecordKind::Child, id.0)
                    .await?
                    .filter(|s| !s.deleted)
                    .and_then(|s| s.decode::<Child>())
                else {
                    return Ok(ChildFile::default());
                };
                let consents: Vec<Consent> = store.all::<Consent>(vault).await?;
                let goals: Vec<Goal> =
                    store.all::<Goal>(vault).await?.into_iter().filter(|goal| goal.child == id).collect();
                let all_sessions: Vec<GroupSession> = store.all::<GroupSession>(vault).await?;
                let sessions: Vec<GroupSession> =
                    all_sessions.into_iter().filter(|s| s.children.contains(&id)).collect();
                let mut observations: Vec<Observation> =
                    store.all::<Observation>(vault).await?.into_iter().filter(|o| o.child == id).collect();
                observations.sort_by_key(|o| std::cmp::Reverse(o.date));
                let row =
                    child_rows(std::slice::from_ref(&child), &sessions, &consents, today, Utc::now()).pop();
                let mut credited: Vec<(GroupSession, u32)> = sessions
                    .into_iter()
                    .map(|s| {
                        let minutes = split_session(&s).per_child.get(&id).copied().unwrap_or(0);
                        (s, minutes)
                    })
                    .collect();
                credited.sort_by_key(|(s, _)| std::cmp::Reverse((s.date, s.start)));
                Ok(ChildFile { row, goals, sessions: credited, observations, me: Some(signed_in.user()) })
            }
        },
        move |loaded_file| file.set(loaded_file),
    );

    view! {
        <section class="page" data-testid="page-kind" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{move || file.with(|f| f.row.as_ref().map(|r| r.child.display_name.clone()))}</h1>
                <a class="button" href="/kinder">{t!(i18n, action_back)}</a>
            </header>
            {move || load_error.get().map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            <Show when=move || file.with(|f| f.row.is_some()) fallback=move || view! {
                <Show when=move || loaded.get()>
                    <p class="empty-state" data-testid="child-missing">{t!(i18n, child_not_found)}</p>
                </Show>
            }>
                <ul class="child-list">
                    {move || file.with(|f| f.row.clone()).map(|row| child_card(i18n.get_locale(), row, false))}
                </ul>
                <nav class="quick-actions">
                    <a class="button quick-action" data-testid="child-add-observation"
                        href=move || format!("/beobachtung?child={}", child_id().map(|c| c.0.to_string()).unwrap_or_default())>
                        {t!(i18n, today_add_observation)}
                    </a>
                </nav>
                <section class="card" aria-labelledby="goals-heading">
                    <h2 id="goals-heading">{t!(i18n, child_goals)}</h2>
                    {move || {
                        let goals = file.with(|f| f.goals.clone());
                        if goals.is_empty() {
                            view! { <p class="hint">{t!(i18n, child_no_goals)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain-list" data-testid="child-goals">
                                    {goals.into_iter().map(|goal| view! {
                                        <li class:goal-inactive=!goal.active>{goal.title}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }
                    }}
                </section>
                <section class="card" aria-labelledby="observations-heading">
                    <h2 id="observations-heading">{t!(i18n, child_observations)}</h2>
                    {move || {
                        let locale = i18n.get_locale();
                        file.with(|f| {
                            if f.observations.is_empty() {
                                return view! { <p class="hint">{t!(i18n, child_no_observations)}</p> }.into_any();
                            }
                            view! {
                                <ul class="entry-list" data-testid="child-observations">
                                    {f.observations.iter().map(|o| observation_row(locale, o, &f.goals, f.me)).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    }}
                </section>
                <section class="card" aria-labelledby="sessions-heading">
                    <h2 id="sessions-heading">{t!(i18n, child_sessions)}</h2>
                    {move || {
                        let locale = i18n.get_locale();
                        file.with(|f| {
                            if f.sessions.is_empty() {
                                return view! { <p class="hint">{t!(i18n, child_no_sessions)}</p> }.into_any();
                            }
                            view! {
                                <ul class="entry-list" data-testid="child-sessions">
                                    {f.sessions.iter().map(|(s, minutes)| {
                                        let date = format::date(locale, s.date);
                                        let kind = format::session_kind(locale, s.kind);
                                        let length = format::duration(locale, s.duration_minutes);
                                        let credited = format::duration(locale, *minutes);
                                        let credited = td_string!(locale, child_session_credited, credited).to_string();
                                        view! {
                                            <li class="entry entry-direct" data-testid="child-session">
                                                <div class="entry-main">
                                                    <span class="entry-time">{date}</span>
                                                    <span class="entry-category">{kind}</span>
                                                    <span class="entry-duration">{length}</span>
                                                    <span class="entry-note" data-testid="child-session-credited">{credited}</span>
                                                </div>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        })
                    }}
                </section>
            </Show>
        </section>
    }
}

fn observation_row(
    locale: Locale,
    observation: &Observation,
    goals: &[Goal],
    me: Option<UserId>,
) -> impl IntoView {
    let date = format::date(locale, observation.date);
    let domains: Vec<String> =
        observation.domains.iter().map(|d| format::observation_domain(locale, *d)).collect();
    let goal = observation.goal.and_then(|id| goals.iter().find(|g| g.id == id)).map(|g| g.title.clone());
    let shared = observation.visibility == Visibility::Shareable;
    let visibility = if shared {
        td_string!(locale, observation_shareable).to_string()
    } else {
        td_string!(locale, observation_internal).to_string()
    };
    let mine = Some(observation.author) == me;
    let href = format!("/beobachtung/{}", observation.id.0);
    view! {
        <li class="entry observation" data-testid="child-observation">
            <div class="entry-main">
                <span class="entry-time">{date}</span>
                <span class="badge" class:badge-ok=shared>{visibility}</span>
                {(!domains.is_empty()).then(|| view! { <span class="entry-category">{domains.join(", ")}</span> })}
                {goal.map(|goal| view! { <span class="entry-note">{td_string!(locale, observation_goal_named, goal).to_string()}</span> })}
                <p class="observation-body">{observation.text.clone()}</p>
            </div>
            {mine.then(|| view! {
                <div class="entry-actions">
                    <a class="button" href=href data-testid="observation-edit">{td_string!(locale, action_edit).to_string()}</a>
                </div>
            })}
        </li>
    }
}
