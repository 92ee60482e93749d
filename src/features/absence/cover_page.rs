use std::collections::BTreeMap;

use begleitbuch_domain::child::Child;
use begleitbuch_domain::ids::{AbsenceId, CoverGrantId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::{Absence, CoverGrant};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::editing::change::change_between;
use crate::features::absence::form::{affected_children, cover, DaysDraft};
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::io::store::new_id;
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages::{self, Problem};

#[derive(Clone, Default)]
struct Board {
    /// Current and coming absences, soonest first.
    absences: Vec<Absence>,
    children: Vec<Child>,
    grants: Vec<(CoverGrant, RecordState)>,
    /// Every companion of the provider, with the institution of their (first) pool.
    companions: Vec<(UserId, String)>,
    names: BTreeMap<UserId, String>,
}

/// Vertretung: the team lead sees who is absent, which children go without their companion, and
/// grants another companion cover for those days; ending a grant takes the pool off their tablet.
#[component]
pub fn CoverPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let today = crate::runtime::clock::today();
    let board = RwSignal::new(Board::default());
    let problem = RwSignal::new(None::<(Option<AbsenceId>, Problem)>);
    // A grant is being written: a second tap must not write a second grant with a fresh id.
    let granting = RwSignal::new(false);
    // What the team lead chose per absence, kept here rather than in each card: a sync that arrives
    // while they choose re-renders the cards, and must not reset the choice under their finger.
    let chosen = RwSignal::new(BTreeMap::<AbsenceId, UserId>::new());
    let days = RwSignal::new(BTreeMap::<AbsenceId, DaysDraft>::new());

    let (loaded, load_error) = app.load_on_change(
        move |signed_in| async move {
            let store = &signed_in.store;
            let vault = &signed_in.vault;
            let absences: Vec<Absence> = store.all::<Absence>(vault).await?;
            let children: Vec<Child> = store.all::<Child>(vault).await?;
            let grants = store.all_with_state::<CoverGrant>(vault).await?;
            let directory: Vec<PoolDirectory> = store.pool_directory(vault).await?;
            Ok((absences, children, grants, directory))
        },
        move |(absences, children, grants, directory)| {
            let mut absences: Vec<Absence> = absences.into_iter().filter(|a| a.until >= today).collect();
            absences.sort_by_key(|a| (a.from, a.until));
            let mut names = BTreeMap::new();
            let mut companions = Vec::new();
            for pool in &directory {
                for person in &pool.people {
                    names.entry(person.id).or_insert_with(|| person.display_name.clone());
                    if person.role == Role::Companion && !companions.iter().any(|(id, _)| *id == person.id) {
                        companions
                            .push((person.id, format!("{} · {}", person.display_name, pool.institution)));
                    }
                }
            }
            companions.sort_by(|a, b| a.1.cmp(&b.1));
            board.set(Board { absences, children, grants, companions, names });
        },
    );

    let grant = move |absence: Absence, companion: Option<UserId>, days: DaysDraft| {
        if granting.get_untracked() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let id = match new_id() {
            Ok(id) => CoverGrantId(id),
            Err(error) => return problem.set(Some((Some(absence.id), Problem::Store(error)))),
        };
        let existing: Vec<CoverGrant> =
            board.with_untracked(|b| b.grants.iter().map(|(g, _)| g.clone()).collect());
        let made = match cover(id, &absence, companion, &days, &existing) {
            Ok(made) => made,
            Err(error) => return problem.set(Some((Some(absence.id), Problem::Form(error)))),
        };
        let Some(change) = change_between(RecordKind::CoverGrant, None, &made) else { return };
        granting.set(true);
        spawn_local(async move {
            match signed_in.store.write(&signed_in.vault, RecordKind::CoverGrant, id.0, None, change).await {
                Ok(_) => {
                    problem.set(None);
                    app.changed();
                }
                Err(error) => problem.set(Some((Some(absence.id), Problem::Store(error)))),
            }
            granting.set(false);
        });
    };
    let end = move |state: RecordState| {
        let Some(signed_in) = app.signed_in() else { return };
        spawn_local(async move {
            let written = signed_in
                .store
                .write(&signed_in.vault, RecordKind::CoverGrant, state.id, Some(&state), Change::Delete)
                .await;
            match written {
                Ok(_) => app.changed(),
                Err(error) => problem.set(Some((None, Problem::Store(error)))),
            }
        });
    };

    view! {
        <section class="page" data-testid="page-vertretung" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{t!(i18n, cover_heading)}</h1>
            </header>
            <p class="hint">{t!(i18n, cover_hint)}</p>
            {move || load_error.get().map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            <Show when=move || !board.with(|b| b.absences.is_empty()) fallback=move || view! {
                <p class="empty-state">{t!(i18n, cover_no_absences)}</p>
            }>
                <ul class="child-list" data-testid="cover-absences">
                    {move || {
                        let locale = i18n.get_locale();
                        let form = CardForm { problem, granting, chosen, days };
                        board.with(|b| b.absences.iter().map(|absent| absence_card(locale, absent, b, form, grant, end)).collect_view())
                    }}
                </ul>
            </Show>
        </section>
    }
}

/// The page's form state the absence cards share.
#[derive(Clone, Copy)]
struct CardForm {
    problem: RwSignal<Option<(Option<AbsenceId>, Problem)>>,
    granting: RwSignal<bool>,
    chosen: RwSignal<BTreeMap<AbsenceId, UserId>>,
    days: RwSignal<BTreeMap<AbsenceId, DaysDraft>>,
}

fn absence_card(
    locale: Locale,
    absent: &Absence,
    board: &Board,
    form: CardForm,
    grant: impl Fn(Absence, Option<UserId>, DaysDraft) + Copy + 'static,
    end: impl Fn(RecordState) + Copy + 'static,
) -> impl IntoView {
    let who = board
        .names
        .get(&absent.companion)
        .cloned()
        .unwrap_or_else(|| td_string!(locale, today_session_colleague).to_string());
    let range = format::date_range(locale, absent.from, absent.until);
    let why = format::absence_reason(locale, absent.reason);
    let affected: Vec<String> =
        affected_children(absent, &board.children).iter().map(|c| c.display_name.clone()).collect();
    let affected_text = if affected.is_empty() {
        td_string!(locale, cover_no_children).to_string()
    } else {
        affected.join(", ")
    };
    let grants: Vec<(CoverGrant, RecordState)> =
        board.grants.iter().filter(|(g, _)| g.absence == Some(absent.id)).cloned().collect();
    let candidates: Vec<(UserId, String)> =
        board.companions.iter().filter(|(id, _)| *id != absent.companion).cloned().collect();
    let CardForm { problem, granting, chosen, days } = form;
    let id = absent.id;
    let absence_days = DaysDraft {
        from: absent.from.format("%Y-%m-%d").to_string(),
        until: absent.until.format("%Y-%m-%d").to_string(),
    };
    let current_days = move || days.with(|d| d.get(&id).cloned()).unwrap_or_else(|| absence_days.clone());
    let current_days_for_change = current_days.clone();
    let change_days = move |change: &dyn Fn(&mut DaysDraft)| {
        let mut next = current_days_for_change();
        change(&mut next);
        days.update(|d| {
            d.insert(id, next);
        });
    };
    let change_from = change_days.clone();
    let absence = absent.clone();
    let select_id = format!("cover-companion-{}", id.0);
    view! {
        <li class="card" data-testid="cover-absence">
            <h2>{format!("{who} · {why}")}</h2>
            <p class="child-facts">{range}</p>
            <p><strong>{td_string!(locale, cover_affected).to_string()}</strong> " " <span data-testid="cover-affected">{affected_text}</span></p>
            <ul class="entry-list">
                {grants.into_iter().map(|(grant_record, state)| {
                    let name = board.names.get(&grant_record.companion).cloned().unwrap_or_default();
                    let range = format::date_range(locale, grant_record.from, grant_record.until);
                    view! {
                        <li class="entry" data-testid="cover-grant">
                            <div class="entry-main">
                                <span class="entry-category">{td_string!(locale, cover_granted_to, name).to_string()}</span>
                                <span class="entry-note">{range}</span>
                            </div>
                            <div class="entry-actions">
                                <button type="button" class="button" data-testid="cover-end" on:click=move |_| end(state.clone())>
                                    {td_string!(locale, cover_end).to_string()}
                                </button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="entry-form" novalidate=true on:submit=move |ev| {
                ev.prevent_default();
                grant(absence.clone(), chosen.with_untracked(|c| c.get(&id).copied()), current_days());
            }>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{td_string!(locale, cover_companion).to_string()}</span>
                        <select id=select_id data-testid="cover-companion"
                            on:change=move |ev| {
                                let user = Uuid::parse_str(&event_target_value(&ev)).ok().map(UserId);
                                chosen.update(|c| match user {
                                    Some(user) => { c.insert(id, user); }
                                    None => { c.remove(&id); }
                                });
                            }>
                            <option value="">{td_string!(locale, category_choose).to_string()}</option>
                            {candidates.into_iter().map(|(user, label)| {
                                let selected = move || chosen.with(|c| c.get(&id) == Some(&user));
                                view! { <option value=user.0.to_string() selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field-label">{td_string!(locale, field_from).to_string()}</span>
                        <input type="date" prop:value={ let shown = current_days.clone(); move || shown().from }
                            on:change=move |ev| { let value = event_target_value(&ev); change_from(&|d| d.from = value.clone()); }/>
                    </label>
                    <label class="field">
                        <span class="field-label">{td_string!(locale, field_until).to_string()}</span>
                        <input type="date" prop:value={ let shown = current_days.clone(); move || shown().until }
                            on:change=move |ev| { let value = event_target_value(&ev); change_days(&|d| d.until = value.clone()); }/>
                    </label>
                </div>
                <p class="form-problem" role="alert" data-testid="cover-problem">
                    {move || problem.get().filter(|(about, _)| *about == Some(id) || about.is_none()).map(|(_, p)| messages::problem(locale, &p))}
                </p>
                <button type="submit" class="button button-primary" data-testid="cover-grant-submit"
                    disabled=move || granting.get()>
                    {td_string!(locale, cover_grant).to_string()}
                </button>
            </form>
        </li>
    }
}
