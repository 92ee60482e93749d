use std::collections::BTreeMap;

use begleitbuch_domain::ids::{AbsenceId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{OfficeWrite, Outcome, RecordView};
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::Text;
use begleitbuch_web::ui::{error_text, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{board, end, grant, AbsenceCard, Board};
use crate::frame::{RoomPage, Writes};
use crate::texts;

/// What went wrong, beside the absence it is about (`None`: the page as a whole).
#[derive(Debug, Clone, PartialEq)]
enum Problem {
    Text(Text),
    Code(String),
}

#[component]
pub fn CoverPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let loaded = RwSignal::new(None::<Board>);
    let problem = RwSignal::new(None::<(Option<AbsenceId>, Problem)>);
    // One write at a time: a second tap must not make a second grant with fresh ids.
    let writes = Writes::in_room();
    // What the team lead chose and typed per absence, kept beside the cards so that a reload of the
    // board does not reset it.
    let chosen = RwSignal::new(BTreeMap::<AbsenceId, UserId>::new());
    let days = RwSignal::new(BTreeMap::<AbsenceId, (String, String)>::new());
    let signed_in = StoredValue::new(signed_in);
    let load = move || {
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let records =
                api::get::<Vec<RecordView>>(&format!("/office/records?kinds={}", super::KINDS), auth).await;
            let pools = api::get::<Vec<PoolDirectory>>("/office/pools", auth).await;
            match records.and_then(|records| pools.map(|pools| (records, pools))) {
                Ok((records, pools)) => loaded.set(Some(board(&records, &pools, format::today()))),
                Err(error) => problem.set(signed_in.problem(&error).map(|code| (None, Problem::Code(code)))),
            }
        });
    };
    load();
    let send = move |about: AbsenceId, write: OfficeWrite| {
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, Outcome>("/office/records", &write, auth).await {
                // The choice stays: a second tap on the same cover is then refused with its reason.
                Ok(Outcome::Applied { .. }) => problem.set(None),
                Ok(Outcome::Conflict { .. }) => {
                    problem.set(Some((Some(about), Problem::Text(texts::COVER_CHANGED_MEANWHILE))))
                }
                Ok(Outcome::Rejected(reason)) => {
                    problem.set(Some((Some(about), Problem::Text(texts::refusal(&reason)))))
                }
                Err(error) => {
                    problem.set(signed_in.problem(&error).map(|code| (Some(about), Problem::Code(code))))
                }
            }
            load();
        });
    };
    let new_ids = move |about: AbsenceId| match (api::new_id(), api::new_id()) {
        (Some(a), Some(b)) => Some((a, b)),
        _ => {
            problem.set(Some((Some(about), Problem::Code("unreadable".into()))));
            None
        }
    };
    let on_grant = move |card: AbsenceCard| {
        if writes.busy_now() {
            return;
        }
        let id = card.absence.id;
        let Some(ids) = new_ids(id) else { return };
        let (from, until) = days.with_untracked(|d| d.get(&id).cloned()).unwrap_or_else(|| typed_days(&card));
        let companion = chosen.with_untracked(|c| c.get(&id).copied());
        match grant(&card, companion, (&from, &until), ids) {
            Ok(write) => send(id, write),
            Err(text) => problem.set(Some((Some(id), Problem::Text(text)))),
        }
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <RoomPage lang=lang name="cover" testid="page-vertretung" title=texts::COVER_TITLE intro=texts::COVER_INTRO
            ready=Signal::derive(move || loaded.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            <p class="form-problem" role="alert">{move || problem.get().filter(|(about, _)| about.is_none()).map(|(_, p)| shown(lang.get(), &p))}</p>
            {move || match loaded.get() {
                None => view! { <p class="hint" role="status">{text(texts::COVER_LOADING)}</p> }.into_any(),
                Some(board) if board.absences.is_empty() => view! { <p class="empty-state">{text(texts::COVER_NONE)}</p> }.into_any(),
                Some(board) => {
                    let companions = board.companions.clone();
                    view! {
                        <ul class="card-list" data-testid="cover-absences">
                            {board.absences.into_iter().map(|card| {
                                let form = CardForm { problem, writes, chosen, days };
                                absence_card(lang, card, companions.clone(), form, on_grant, send)
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </RoomPage>
    }
}

fn shown(lang: begleitbuch_web::lang::Lang, problem: &Problem) -> String {
    match problem {
        Problem::Text(text) => text.get(lang).to_owned(),
        Problem::Code(code) => error_text(lang, code).to_owned(),
    }
}

/// The absence's own days, as date inputs show them.
fn typed_days(card: &AbsenceCard) -> (String, String) {
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    (day(card.absence.from), day(card.absence.until))
}

/// The page's form state the cards share.
#[derive(Clone, Copy)]
struct CardForm {
    problem: RwSignal<Option<(Option<AbsenceId>, Problem)>>,
    writes: Writes,
    chosen: RwSignal<BTreeMap<AbsenceId, UserId>>,
    days: RwSignal<BTreeMap<AbsenceId, (String, String)>>,
}

fn absence_card(
    lang: RwSignal<begleitbuch_web::lang::Lang>,
    card: AbsenceCard,
    companions: Vec<(UserId, String)>,
    form: CardForm,
    on_grant: impl Fn(AbsenceCard) + Copy + 'static,
    send: impl Fn(AbsenceId, OfficeWrite) + Copy + 'static,
) -> impl IntoView {
    let CardForm { problem, writes, chosen, days } = form;
    let id = card.absence.id;
    let reason = begleitbuch_web::texts::absence_reason(card.absence.reason);
    let range = card.absence.clone();
    let heading = {
        let who = card.who.clone();
        move || format!("{who} · {}", reason.get(lang.get()))
    };
    let affected = card.affected.join(", ");
    let own_days = StoredValue::new(typed_days(&card));
    let current = move || days.with(|d| d.get(&id).cloned()).unwrap_or_else(|| own_days.get_value());
    let set_day = move |first: bool, value: String| {
        let mut next = current();
        if first {
            next.0 = value
        } else {
            next.1 = value
        }
        days.update(|d| {
            d.insert(id, next);
        });
    };
    let candidates: Vec<(UserId, String)> =
        companions.into_iter().filter(|(user, _)| *user != card.absence.companion).collect();
    let select_id = format!("cover-companion-{}", id.0);
    let from_id = format!("cover-from-{}", id.0);
    let until_id = format!("cover-until-{}", id.0);
    let grants = card.grants.clone();
    let for_grant = card.clone();
    view! {
        <li class="card" data-testid="cover-absence">
            <h2>{heading}</h2>
            <p class="hint">{move || format!("{} · {}", card.institution, format::date_range(lang.get(), range.from, range.until))}</p>
            <p>
                <strong>{move || texts::COVER_AFFECTED.get(lang.get())}</strong>" "
                <span data-testid="cover-affected">{move || if affected.is_empty() { texts::COVER_NO_CHILDREN.get(lang.get()).to_owned() } else { affected.clone() }}</span>
            </p>
            <ul class="grant-list">
                {grants.into_iter().map(|line| {
                    let name = line.companion.clone();
                    let (from, until) = (line.grant.from, line.grant.until);
                    view! {
                        <li class="grant" data-testid="cover-grant">
                            <span>{move || texts::COVER_GRANTED_TO.fill(lang.get(), &[&name])}" · "{move || format::date_range(lang.get(), from, until)}</span>
                            <button type="button" class="button" data-testid="cover-end" disabled=move || writes.busy()
                                on:click=move |_| {
                                    if let Some(change) = api::new_id() {
                                        send(id, end(&line, change));
                                    }
                                }>
                                {move || texts::COVER_END.get(lang.get())}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="cover-form" novalidate=true on:submit=move |ev| {
                ev.prevent_default();
                on_grant(for_grant.clone());
            }>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{move || texts::COVER_COMPANION.get(lang.get())}</span>
                        <select id=select_id data-testid="cover-companion"
                            prop:value=move || chosen.with(|c| c.get(&id).map(|user| user.0.to_string()).unwrap_or_default())
                            on:change=move |ev| {
                            let user = Uuid::parse_str(&event_target_value(&ev)).ok().map(UserId);
                            chosen.update(|c| match user {
                                Some(user) => { c.insert(id, user); }
                                None => { c.remove(&id); }
                            });
                        }>
                            <option value="">{move || texts::COVER_CHOOSE.get(lang.get())}</option>
                            {candidates.into_iter().map(|(user, label)| {
                                let selected = move || chosen.with(|c| c.get(&id) == Some(&user));
                                view! { <option value=user.0.to_string() selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="field">
                        <span class="field-label">{move || texts::COVER_FROM.get(lang.get())}</span>
                        <input id=from_id type="date" prop:value=move || current().0
                            on:change=move |ev| set_day(true, event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span class="field-label">{move || texts::COVER_UNTIL.get(lang.get())}</span>
                        <input id=until_id type="date" prop:value=move || current().1
                            on:change=move |ev| set_day(false, event_target_value(&ev))/>
                    </label>
                </div>
                <p class="form-problem" role="alert" data-testid="cover-problem">
                    {move || problem.get().filter(|(about, _)| *about == Some(id)).map(|(_, p)| shown(lang.get(), &p))}
                </p>
                <button type="submit" class="button button-primary" data-testid="cover-grant-submit" disabled=move || writes.busy()>
                    {move || texts::COVER_GRANT.get(lang.get())}
                </button>
            </form>
        </li>
    }
}
