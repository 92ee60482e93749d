use begleitbuch_domain::account::PersonView;
use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::{InstitutionId, MembershipId, PoolId, UserId};
use begleitbuch_domain::org::{EndMembership, Institution, Membership, NewPool, PoolDirectory};
use begleitbuch_web::api::{self, ApiError, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::{Lang, Text};
use begleitbuch_web::texts as shared;
use begleitbuch_web::ui::SignedIn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{
    candidates, cards, end_request, first_day_offered, hours, without_pool, years, JoinForm, PoolCard,
};
use crate::frame::{choice, RoomPage, Table, Writes};
use crate::institutions::page::year_select;
use crate::texts;

/// What the room shows, read together so that the pools, their people and the choices agree (the
/// first start's guide reads the same).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Loaded {
    pub pools: Vec<PoolDirectory>,
    pub memberships: Vec<Membership>,
    pub people: Vec<PersonView>,
    pub institutions: Vec<Institution>,
}

pub(crate) async fn load_all(auth: Auth<'_>) -> Result<Loaded, ApiError> {
    Ok(Loaded {
        pools: api::get("/office/pools", auth).await?,
        memberships: api::get("/office/memberships", auth).await?,
        people: api::get("/users", auth).await?,
        institutions: api::get("/institutions", auth).await?,
    })
}

/// The server's refusal in the room's words: its own codes first, then the shared ones.
fn refusal(code: &str) -> Text {
    texts::pools_error(code).unwrap_or_else(|| shared::error(code))
}

#[component]
pub fn PoolsPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let today = format::today();
    let loaded = RwSignal::new(None::<Loaded>);
    let year = RwSignal::new(SchoolYear::of(today));
    let problem = RwSignal::new(None::<Text>);
    let new_pool = RwSignal::new(None::<InstitutionId>);
    let form = RwSignal::new(JoinForm::default());
    let form_problem = RwSignal::new(None::<Text>);
    // The membership being ended, with the last day typed so far.
    let ending = RwSignal::new(None::<(MembershipId, String)>);
    let writes = Writes::in_room();
    let signed_in = StoredValue::new(signed_in);
    let fail = move |target: RwSignal<Option<Text>>, error: ApiError| {
        target.set(signed_in.get_value().problem(&error).map(|code| refusal(&code)))
    };
    let load = move || {
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            match load_all(Auth::Browser { csrf_token: signed_in.csrf_token() }).await {
                Ok(all) => loaded.set(Some(all)),
                Err(error) => fail(problem, error),
            }
        });
    };
    load();
    // A new school year starts the form afresh, on a day of that year.
    Effect::new(move |_| {
        let chosen = year.get();
        form.set(JoinForm { first_day: first_day_offered(chosen, today).to_string(), ..JoinForm::default() });
        new_pool.set(None);
    });
    let create_pool = move || {
        let Some(institution) = new_pool.get_untracked() else {
            return problem.set(Some(texts::POOLS_INSTITUTION_NEEDED));
        };
        let request = NewPool { institution, school_year: year.get_untracked().start_year };
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, PoolDirectory>("/office/pools", &request, auth).await {
                Ok(created) => {
                    problem.set(None);
                    new_pool.set(None);
                    form.update(|f| f.pool = Some(created.id));
                }
                Err(error) => fail(problem, error),
            }
            load();
        });
    };
    let join = move || {
        let Some(all) = loaded.get_untracked() else { return };
        let request = match form.get_untracked().request(year.get_untracked(), &all.people, &all.memberships)
        {
            Ok(request) => request,
            Err(text) => return form_problem.set(Some(text)),
        };
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, Membership>("/office/memberships", &request, auth).await {
                Ok(_) => {
                    form_problem.set(None);
                    form.update(|f| {
                        f.person = None;
                        f.hours.clear();
                    });
                }
                Err(error) => fail(form_problem, error),
            }
            load();
        });
    };
    let end = move |membership: Membership| {
        let typed = ending.get_untracked().map(|(_, typed)| typed).unwrap_or_default();
        let last_day = match end_request(&membership, year.get_untracked(), &typed) {
            Ok(day) => day,
            Err(text) => return problem.set(Some(text)),
        };
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let path = format!("/office/memberships/{}/end", membership.id.0);
            match api::post::<_, Membership>(&path, &EndMembership { last_day }, auth).await {
                Ok(_) => {
                    problem.set(None);
                    ending.set(None);
                }
                Err(error) => fail(problem, error),
            }
            load();
        });
    };
    let text = move |text: Text| move || text.get(lang.get());
    let shown_problem = move |signal: RwSignal<Option<Text>>| move || signal.get().map(|t| t.get(lang.get()));
    view! {
        <RoomPage lang=lang name="pools" testid="page-pools" title=texts::POOLS_TITLE intro=texts::POOLS_INTRO
            ready=Signal::derive(move || loaded.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            <p class="form-problem" role="alert" data-testid="pools-problem">{shown_problem(problem)}</p>
            {move || match loaded.get() {
                None => view! { <p class="hint" role="status">{text(texts::POOLS_LOADING)}</p> }.into_any(),
                Some(all) => {
                    let chosen = year.get();
                    let shown = cards(&all.pools, &all.memberships, chosen);
                    let free = without_pool(&all.institutions, &all.pools, chosen);
                    let people = candidates(&all.people);
                    let pool_choices: Vec<(PoolId, String)> = shown.iter().map(|c| (c.id, c.institution.clone())).collect();
                    view! {
                        <div class="form-row">
                            <label class="field">
                                <span class="field-label">{text(texts::SCHOOL_YEAR)}</span>
                                {year_select(years(SchoolYear::of(today), &all.pools), year, "pools-year")}
                            </label>
                        </div>
                        <form class="card person-form" novalidate=true aria-labelledby="pool-form-title" data-testid="pool-form"
                            on:submit=move |ev| { ev.prevent_default(); create_pool(); }>
                            <h2 id="pool-form-title">{text(texts::POOLS_NEW)}</h2>
                            {if free.is_empty() {
                                view! { <p class="hint">{text(texts::POOLS_NO_INSTITUTIONS)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="form-row">
                                        <label class="field">
                                            <span class="field-label">{text(texts::COLUMN_INSTITUTION)}</span>
                                            {choice(lang, free.into_iter().map(|(id, name)| (id.0, name)).collect(), Signal::derive(move || new_pool.get().map(|id| id.0)),
                                                Callback::new(move |id: Option<Uuid>| new_pool.set(id.map(InstitutionId))), "pool-institution")}
                                        </label>
                                    </div>
                                    <button type="submit" class="button button-primary" data-testid="pool-create" disabled=move || writes.busy()>
                                        {text(texts::POOLS_CREATE)}
                                    </button>
                                }.into_any()
                            }}
                        </form>
                        {(!shown.is_empty()).then(|| join_form(lang, pool_choices, people, form, form_problem, writes, join))}
                        {if shown.is_empty() {
                            let label = chosen.label();
                            view! { <p class="empty-state" data-testid="pools-none">{move || texts::POOLS_NONE.fill(lang.get(), &[&label])}</p> }.into_any()
                        } else {
                            shown.into_iter().map(|card| pool_card(lang, card, today, ending, writes, end)).collect_view().into_any()
                        }}
                    }.into_any()
                }
            }}
        </RoomPage>
    }
}

fn join_form(
    lang: RwSignal<Lang>,
    pools: Vec<(PoolId, String)>,
    people: Vec<(UserId, String)>,
    form: RwSignal<JoinForm>,
    form_problem: RwSignal<Option<Text>>,
    writes: Writes,
    join: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <form class="card person-form" novalidate=true aria-labelledby="join-form-title" data-testid="join-form"
            on:submit=move |ev| { ev.prevent_default(); join(); }>
            <h2 id="join-form-title">{text(texts::POOLS_JOIN)}</h2>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{text(texts::POOLS_POOL)}</span>
                    {choice(lang, pools.into_iter().map(|(id, name)| (id.0, name)).collect(), Signal::derive(move || form.with(|f| f.pool.map(|id| id.0))),
                        Callback::new(move |id: Option<Uuid>| form.update(|f| f.pool = id.map(PoolId))), "join-pool")}
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::POOLS_PERSON)}</span>
                    {choice(lang, people.into_iter().map(|(id, name)| (id.0, name)).collect(), Signal::derive(move || form.with(|f| f.person.map(|id| id.0))),
                        Callback::new(move |id: Option<Uuid>| form.update(|f| f.person = id.map(UserId))), "join-person")}
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::POOLS_HOURS)}</span>
                    <input type="text" inputmode="decimal" autocomplete="off" data-testid="join-hours" maxlength="6"
                        prop:value=move || form.with(|f| f.hours.clone())
                        on:input=move |ev| form.update(|f| f.hours = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::POOLS_FIRST_DAY)}</span>
                    <input type="date" data-testid="join-first-day"
                        prop:value=move || form.with(|f| f.first_day.clone())
                        on:change=move |ev| form.update(|f| f.first_day = event_target_value(&ev))/>
                </label>
            </div>
            <p class="form-problem" role="alert" data-testid="join-problem">{move || form_problem.get().map(|t| t.get(lang.get()))}</p>
            <button type="submit" class="button button-primary" data-testid="join-add" disabled=move || writes.busy()>
                {text(texts::POOLS_ADD)}
            </button>
        </form>
    }
}

fn pool_card(
    lang: RwSignal<Lang>,
    card: PoolCard,
    today: chrono::NaiveDate,
    ending: RwSignal<Option<(MembershipId, String)>>,
    writes: Writes,
    end: impl Fn(Membership) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let open: Vec<&Membership> = card.members.iter().filter(|m| m.last_day.is_none()).collect();
    let (count, minutes) = (open.len(), open.iter().map(|m| m.contract_minutes_per_week).sum::<u32>());
    let (title_id, labelled_by) = (format!("pool-{}", card.id.0), format!("pool-{}", card.id.0));
    view! {
        <section class="card pool-card" aria-labelledby=labelled_by data-testid="pool">
            <h2 id=title_id>{card.institution.clone()}</h2>
            <p data-testid="pool-summary">{move || {
                let total = hours(lang.get(), minutes);
                match count {
                    1 => texts::POOLS_SUMMARY_ONE.fill(lang.get(), &[&total]),
                    n => texts::POOLS_SUMMARY.fill(lang.get(), &[&n.to_string(), &total]),
                }
            }}</p>
            {if card.members.is_empty() {
                view! { <p class="hint">{move || texts::POOLS_NO_MEMBERS.get(lang.get())}</p> }.into_any()
            } else {
                view! {
                    <Table lang=lang testid="memberships" columns=vec![
                        texts::PEOPLE_COLUMN_NAME, texts::PEOPLE_COLUMN_ROLE, texts::POOLS_HOURS,
                        texts::POOLS_FIRST_DAY, texts::POOLS_LAST_DAY, texts::COLUMN_ACTIONS,
                    ]>
                        {card.members.into_iter().map(|m| membership_row(lang, m, today, ending, writes, end)).collect_view()}
                    </Table>
                }.into_any()
            }}
        </section>
    }
}

fn membership_row(
    lang: RwSignal<Lang>,
    membership: Membership,
    today: chrono::NaiveDate,
    ending: RwSignal<Option<(MembershipId, String)>>,
    writes: Writes,
    end: impl Fn(Membership) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = membership.id;
    let name = membership.display_name.clone();
    let role = shared::role(membership.role);
    let (minutes, first, last) =
        (membership.contract_minutes_per_week, membership.first_day, membership.last_day);
    // The last day offered: today, or the first day when the membership starts later.
    let offered = today.max(first).to_string();
    let stored = StoredValue::new(membership);
    let asked =
        move || ending.with(|e| e.as_ref().filter(|(which, _)| *which == id).map(|(_, typed)| typed.clone()));
    view! {
        <tr data-testid="membership">
            <th scope="row">{name.clone()}</th>
            <td>{move || role.get(lang.get())}</td>
            <td>{move || hours(lang.get(), minutes)}</td>
            <td>{move || format::date(lang.get(), first)}</td>
            <td data-testid="membership-last-day">{move || last.map(|day| format::date(lang.get(), day)).unwrap_or_else(|| "–".into())}</td>
            <td class="row-actions">
                {move || match (last, asked()) {
                    (Some(_), _) => ().into_any(),
                    (None, Some(typed)) => {
                        let name = name.clone();
                        view! {
                            <span class="confirm" role="group" aria-label=move || texts::POOLS_END_CONFIRM.get(lang.get())>
                                <span>{move || texts::POOLS_END_QUESTION.fill(lang.get(), &[&name])}</span>
                                <label class="field">
                                    <span class="field-label">{move || texts::POOLS_LAST_DAY.get(lang.get())}</span>
                                    <input type="date" data-testid="membership-end-day" prop:value=typed
                                        on:change=move |ev| ending.set(Some((id, event_target_value(&ev))))/>
                                </label>
                                <button type="button" class="button button-primary" data-testid="membership-end-confirm" disabled=move || writes.busy()
                                    on:click=move |_| end(stored.get_value())>
                                    {move || texts::POOLS_END_CONFIRM.get(lang.get())}
                                </button>
                                <button type="button" class="button" data-testid="membership-end-cancel" on:click=move |_| ending.set(None)>
                                    {move || texts::CANCEL.get(lang.get())}
                                </button>
                            </span>
                        }.into_any()
                    }
                    (None, None) => {
                        let (name, offered) = (name.clone(), offered.clone());
                        view! {
                            <button type="button" class="button" data-testid="membership-end"
                                aria-label=move || format!("{}: {name}", texts::POOLS_END.get(lang.get()))
                                on:click=move |_| ending.set(Some((id, offered.clone())))>
                                {move || texts::POOLS_END.get(lang.get())}
                            </button>
                        }.into_any()
                    }
                }}
            </td>
        </tr>
    }
}
