use begleitbuch_domain::child::Child;
use begleitbuch_domain::consent::{ConsentPurpose, ConsentState};
use begleitbuch_domain::ids::GuardianId;
use begleitbuch_domain::protocol::{OfficeWrite, Outcome, RecordView};
use begleitbuch_domain::worktime::Delivered;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::Text;
use begleitbuch_web::texts as shared;
use begleitbuch_web::ui::SignedIn;
use leptos::prelude::*;
use uuid::Uuid;

use super::{
    delivered_text, goal_toggle, goal_write, link, ChildFile, DeclarationForm, GoalLine, GuardianForm,
};
use crate::frame::{choice, coded_choice, Table, Writes};
use crate::texts;

/// The panel of one child's guardians and consents, under the child's row; `on_written` reloads the
/// room after a write, `on_close` closes the panel.
#[component]
pub fn ChildFilePanel(
    signed_in: StoredValue<SignedIn>,
    child: Child,
    #[prop(into)] delivered: Signal<Option<Delivered>>,
    #[prop(into)] records: Signal<Vec<RecordView>>,
    writes: Writes,
    on_written: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let lang = signed_in.get_value().lang;
    let id = child.id;
    let file = Memo::new(move |_| records.with(|records| ChildFile::of(id, records)));
    let guardian_form = RwSignal::new(GuardianForm::default());
    let declaration = RwSignal::new(DeclarationForm::starting(format::today()));
    let problem = RwSignal::new(None::<Text>);
    let saved = RwSignal::new(None::<Text>);
    let text = move |text: Text| move || text.get(lang.get());
    // One write, answered in words; the form is emptied only once it is stored.
    // `reset` empties the form the write came from, once the server has taken it.
    let send = move |write: OfficeWrite, done: Text, reset: Box<dyn FnOnce()>| {
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, Outcome>("/office/records", &write, auth).await {
                Ok(Outcome::Applied { .. }) => {
                    problem.set(None);
                    saved.set(Some(done));
                    reset();
                }
                Ok(Outcome::Conflict { .. }) => problem.set(Some(texts::CHILDREN_CHANGED_MEANWHILE)),
                Ok(Outcome::Rejected(reason)) => problem.set(Some(texts::refusal(&reason))),
                Err(error) => {
                    if let Some(code) = signed_in.problem(&error) {
                        problem.set(Some(shared::error(&code)));
                    }
                }
            }
            on_written.run(());
        });
    };
    let ids = move || api::new_id().zip(api::new_id());
    let add_guardian = move || {
        let Some(ids) = ids() else { return problem.set(Some(shared::error("unreadable"))) };
        match guardian_form.get_untracked().write(id, ids) {
            Ok(write) => send(
                write,
                texts::GUARDIAN_SAVED,
                Box::new(move || guardian_form.set(GuardianForm::default())),
            ),
            Err(text) => problem.set(Some(text)),
        }
    };
    let record_declaration = move || {
        let Some(ids) = ids() else { return problem.set(Some(shared::error("unreadable"))) };
        match declaration.get_untracked().write(id, format::today(), format::now(), ids) {
            Ok(write) => send(
                write,
                texts::CONSENT_SAVED,
                Box::new(move || declaration.set(DeclarationForm::starting(format::today()))),
            ),
            Err(text) => problem.set(Some(text)),
        }
    };
    let goal_title = RwSignal::new(String::new());
    let goal_editing = RwSignal::new(None::<GoalLine>);
    let save_goal = move || {
        let Some(ids) = ids() else { return problem.set(Some(shared::error("unreadable"))) };
        match goal_editing
            .with_untracked(|editing| goal_write(&goal_title.get_untracked(), id, editing.as_ref(), ids))
        {
            Ok(write) => send(
                write,
                texts::GOAL_SAVED,
                Box::new(move || {
                    goal_title.set(String::new());
                    goal_editing.set(None);
                }),
            ),
            Err(text) => problem.set(Some(text)),
        }
    };
    let linked = RwSignal::new(None::<Uuid>);
    let link_guardian = move || {
        let chosen = linked.get_untracked();
        let line = file.with_untracked(|file| {
            file.others.iter().find(|line| Some(line.guardian.id.0) == chosen).cloned()
        });
        let (Some(line), Some(change_id)) = (line, api::new_id()) else {
            return problem.set(Some(texts::CONSENT_GUARDIAN_NEEDED));
        };
        if let Some(write) = link(&line, id, change_id) {
            send(write, texts::GUARDIAN_SAVED, Box::new(move || linked.set(None)));
        }
    };
    let (title_id, labelled_by) = (format!("file-{}", id.0), format!("file-{}", id.0));
    let name = child.display_name.clone();
    view! {
        <section class="card child-file" aria-labelledby=labelled_by data-testid="child-file">
            <div class="page-header">
                <h2 id=title_id>{move || texts::FILE_TITLE.fill(lang.get(), &[&name])}</h2>
                <button type="button" class="button" data-testid="file-close" on:click=move |_| on_close.run(())>{text(texts::CLOSE)}</button>
            </div>
            <p class="notice" role="status" data-testid="file-saved">{move || saved.get().map(|t| t.get(lang.get()))}</p>
            <p class="form-problem" role="alert" data-testid="file-problem">{move || problem.get().map(|t| t.get(lang.get()))}</p>
            <h3>{text(texts::FILE_DELIVERED)}</h3>
            <p data-testid="file-delivered">{move || delivered_text(lang.get(), child.approved_minutes_per_week, delivered.get())}</p>
            <h3>{text(texts::GOALS)}</h3>
            {move || {
                let goals = file.get().goals;
                if goals.is_empty() {
                    return view! { <p class="hint">{text(texts::GOALS_NONE)}</p> }.into_any();
                }
                view! {
                    <ul class="goals" data-testid="file-goals">
                        {goals.into_iter().map(|line| {
                            let title = line.goal.title.clone();
                            let active = line.goal.active;
                            let stored = StoredValue::new(line);
                            view! {
                                <li data-testid="file-goal" data-active=active.to_string()>
                                    <span>{title.clone()}</span>
                                    {(!active).then(|| view! { " · "<em>{text(texts::GOAL_CLOSED)}</em> })}
                                    " "
                                    <button type="button" class="button" data-testid="goal-edit"
                                        aria-label=move || format!("{}: {title}", texts::GOAL_EDIT.get(lang.get()))
                                        on:click=move |_| {
                                            let line = stored.get_value();
                                            goal_title.set(line.goal.title.clone());
                                            goal_editing.set(Some(line));
                                        }>{text(texts::GOAL_EDIT)}</button>
                                    " "
                                    <button type="button" class="button" data-testid="goal-toggle" disabled=move || writes.busy()
                                        on:click=move |_| {
                                            if let Some(write) = api::new_id().and_then(|id| goal_toggle(&stored.get_value(), id)) {
                                                send(write, texts::GOAL_SAVED, Box::new(|| {}));
                                            }
                                        }>{move || if active { texts::GOAL_CLOSE } else { texts::GOAL_REOPEN }.get(lang.get())}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <form class="form-row" novalidate=true data-testid="goal-form" on:submit=move |ev| { ev.prevent_default(); save_goal(); }>
                <label class="field">
                    <span class="field-label">{text(texts::GOAL_TITLE)}</span>
                    <input type="text" autocomplete="off" maxlength="200" data-testid="goal-title"
                        prop:value=move || goal_title.get()
                        on:input=move |ev| goal_title.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="button button-primary" data-testid="goal-save" disabled=move || writes.busy()>
                    {move || if goal_editing.with(Option::is_some) { texts::INSTITUTION_SAVE } else { texts::GOAL_ADD }.get(lang.get())}
                </button>
            </form>
            <h3>{text(texts::FILE_HOLDS)}</h3>
            <ul class="purposes" data-testid="file-purposes">
                {move || file.get().purposes.into_iter().map(|(purpose, granted)| view! {
                    <li data-testid="file-purpose" data-purpose=purpose.code() data-granted=granted.to_string()>
                        <span>{move || purpose_label(purpose).get(lang.get())}</span>": "
                        <strong>{move || if granted { texts::CONSENT_HOLDS } else { texts::CONSENT_MISSING }.get(lang.get())}</strong>
                    </li>
                }).collect_view()}
            </ul>
            <h3>{text(texts::GUARDIANS)}</h3>
            {move || {
                let guardians = file.get().guardians;
                if guardians.is_empty() {
                    view! { <p class="hint" data-testid="file-no-guardians">{text(texts::GUARDIANS_NONE)}</p> }.into_any()
                } else {
                    view! {
                        <ul data-testid="file-guardians">
                            {guardians.into_iter().map(|line| view! {
                                <li data-testid="file-guardian">{line.guardian.name.clone()}
                                    {(!line.guardian.contact.is_empty()).then(|| format!(" · {}", line.guardian.contact))}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <form class="form-row" novalidate=true data-testid="guardian-form" on:submit=move |ev| { ev.prevent_default(); add_guardian(); }>
                <label class="field">
                    <span class="field-label">{text(texts::GUARDIAN_NAME)}</span>
                    <input type="text" autocomplete="off" maxlength="80" data-testid="guardian-name"
                        prop:value=move || guardian_form.with(|f| f.name.clone())
                        on:input=move |ev| guardian_form.update(|f| f.name = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::GUARDIAN_CONTACT)}</span>
                    <input type="text" autocomplete="off" maxlength="120" data-testid="guardian-contact"
                        prop:value=move || guardian_form.with(|f| f.contact.clone())
                        on:input=move |ev| guardian_form.update(|f| f.contact = event_target_value(&ev))/>
                </label>
                <button type="submit" class="button button-primary" data-testid="guardian-save" disabled=move || writes.busy()>{text(texts::GUARDIAN_ADD)}</button>
            </form>
            {move || {
                let others: Vec<(Uuid, String)> = file.get().others.into_iter().map(|l| (l.guardian.id.0, l.guardian.name)).collect();
                (!others.is_empty()).then(|| view! {
                    <form class="form-row" novalidate=true on:submit=move |ev| { ev.prevent_default(); link_guardian(); }>
                        <label class="field">
                            <span class="field-label">{text(texts::GUARDIAN_LINK_WHO)}</span>
                            {choice(lang, others, linked.into(), Callback::new(move |id| linked.set(id)), "guardian-link-who")}
                        </label>
                        <button type="submit" class="button" data-testid="guardian-link" disabled=move || writes.busy()>{text(texts::GUARDIAN_LINK)}</button>
                    </form>
                })
            }}
            <h3>{text(texts::CONSENT_RECORD)}</h3>
            <form novalidate=true data-testid="consent-form" on:submit=move |ev| { ev.prevent_default(); record_declaration(); }>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{text(texts::CONSENT_GUARDIAN)}</span>
                        {move || {
                            let linked: Vec<(Uuid, String)> = file.get().guardians.into_iter().map(|l| (l.guardian.id.0, l.guardian.name)).collect();
                            choice(lang, linked, Signal::derive(move || declaration.with(|f| f.guardian.map(|g| g.0))),
                                Callback::new(move |id: Option<Uuid>| declaration.update(|f| f.guardian = id.map(GuardianId))), "consent-guardian")
                        }}
                    </label>
                    <label class="field">
                        <span class="field-label">{text(texts::CONSENT_PURPOSE)}</span>
                        {coded_choice(lang, ConsentPurpose::ALL.map(|purpose| (purpose.code(), purpose_label(purpose))).to_vec(),
                            Signal::derive(move || declaration.with(|f| f.purpose.code())),
                            Callback::new(move |code: String| declaration.update(|f| f.purpose = ConsentPurpose::from_code(&code).unwrap_or(f.purpose))), "consent-purpose")}
                    </label>
                    <label class="field">
                        <span class="field-label">{text(texts::CONSENT_STATE)}</span>
                        {coded_choice(lang, ConsentState::ALL.map(|state| (state.code(), state_label(state))).to_vec(),
                            Signal::derive(move || declaration.with(|f| f.state.code())),
                            Callback::new(move |code: String| declaration.update(|f| f.state = ConsentState::from_code(&code).unwrap_or(f.state))), "consent-state")}
                    </label>
                </div>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{text(texts::CONSENT_REFERENCE)}</span>
                        <input type="text" autocomplete="off" maxlength="60" data-testid="consent-reference"
                            prop:value=move || declaration.with(|f| f.reference.clone())
                            on:input=move |ev| declaration.update(|f| f.reference = event_target_value(&ev))/>
                    </label>
                    <label class="field">
                        <span class="field-label">{text(texts::CONSENT_SIGNED_ON)}</span>
                        <input type="date" data-testid="consent-signed-on"
                            prop:value=move || declaration.with(|f| f.signed_on.clone())
                            on:input=move |ev| declaration.update(|f| f.signed_on = event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button button-primary" data-testid="consent-save" disabled=move || writes.busy()>{text(texts::CONSENT_SAVE)}</button>
                </div>
            </form>
            <h3>{text(texts::CONSENT_HISTORY)}</h3>
            {move || {
                let declarations = file.get().declarations;
                (!declarations.is_empty()).then(|| view! {
                    <Table lang=lang testid="consent-history" columns=vec![
                        texts::CONSENT_SIGNED_ON, texts::CONSENT_PURPOSE, texts::CONSENT_STATE, texts::CONSENT_GUARDIAN, texts::CONSENT_REFERENCE,
                    ]>
                        {declarations.into_iter().map(|d| {
                            let consent = d.consent;
                            let day = consent.form.as_ref().map_or(consent.at.date_naive(), |form| form.signed_on);
                            let reference = consent.form.map(|form| form.reference).unwrap_or_else(|| "–".into());
                            view! {
                                <tr data-testid="consent-line">
                                    <td>{move || format::date(lang.get(), day)}</td>
                                    <td>{move || purpose_label(consent.purpose).get(lang.get())}</td>
                                    <td>{move || state_label(consent.state).get(lang.get())}</td>
                                    <td>{d.guardian.unwrap_or_else(|| "–".into())}</td>
                                    <td>{reference}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </Table>
                })
            }}
        </section>
    }
}

fn purpose_label(purpose: ConsentPurpose) -> Text {
    match purpose {
        ConsentPurpose::Documentation => texts::PURPOSE_DOCUMENTATION,
        ConsentPurpose::Naming => texts::PURPOSE_NAMING,
        ConsentPurpose::ParentSummary => texts::PURPOSE_PARENT_SUMMARY,
    }
}

fn state_label(state: ConsentState) -> Text {
    match state {
        ConsentState::Granted => texts::CONSENT_GRANTED,
        ConsentState::Withdrawn => texts::CONSENT_WITHDRAWN,
    }
}
