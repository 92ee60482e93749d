use begleitbuch_domain::account::{AccountStatus, OneTimePassword, PersonView};
use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::people::Role;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::{Lang, Text};
use begleitbuch_web::texts as shared;
use begleitbuch_web::ui::SignedIn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{creatable_roles, rows, status_text, NewPersonForm};
use crate::frame::{RoomPage, Table, Writes};
use crate::texts;

/// A change to one account that waits for its confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Reset,
    Deactivate,
    Activate,
}

impl Action {
    fn path(self, user: UserId) -> String {
        let step = match self {
            Action::Reset => "password",
            Action::Deactivate => "deactivate",
            Action::Activate => "activate",
        };
        format!("/users/{}/{step}", user.0)
    }

    fn label(self) -> Text {
        match self {
            Action::Reset => texts::PEOPLE_RESET,
            Action::Deactivate => texts::PEOPLE_DEACTIVATE,
            Action::Activate => texts::PEOPLE_ACTIVATE,
        }
    }

    fn question(self) -> Text {
        match self {
            Action::Reset => texts::PEOPLE_RESET_QUESTION,
            Action::Deactivate => texts::PEOPLE_DEACTIVATE_QUESTION,
            Action::Activate => texts::PEOPLE_ACTIVATE_QUESTION,
        }
    }
}

/// A one-time password on screen, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    name: String,
    login: String,
    password: String,
}

#[component]
pub fn PeoplePage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let manager = signed_in.view.user.role;
    let people = RwSignal::new(None::<Vec<PersonView>>);
    let problem = RwSignal::new(None::<String>);
    let form = RwSignal::new(NewPersonForm::default());
    let form_problem = RwSignal::new(None::<String>);
    let shown = RwSignal::new(None::<Shown>);
    let pending = RwSignal::new(None::<(UserId, Action)>);
    let writes = Writes::in_room();
    let signed_in = StoredValue::new(signed_in);
    let load = move || {
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            match api::get::<Vec<PersonView>>("/users", Auth::Browser { csrf_token: signed_in.csrf_token() })
                .await
            {
                Ok(list) => people.set(Some(rows(list))),
                Err(error) => problem.set(signed_in.problem(&error)),
            }
        });
    };
    load();
    let create = move || {
        let typed = form.get_untracked();
        let request = match typed.request(manager) {
            Ok(request) => request,
            Err(text) => return form_problem.set(Some(text.get(lang.get_untracked()).to_owned())),
        };
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, OneTimePassword>("/users", &request, auth).await {
                Ok(answer) => {
                    form_problem.set(None);
                    form.set(NewPersonForm::default());
                    shown.set(Some(Shown {
                        name: request.display_name,
                        login: request.login,
                        password: answer.one_time_password,
                    }));
                    load();
                }
                Err(error) => form_problem
                    .set(signed_in.problem(&error).map(|code| shown_error(lang.get_untracked(), &code))),
            }
        });
    };
    let confirm = move |person: PersonView, action: Action| {
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let path = action.path(person.id);
            let done = match action {
                Action::Reset => api::post::<_, OneTimePassword>(&path, &(), auth).await.map(|answer| {
                    shown.set(Some(Shown {
                        name: person.display_name.clone(),
                        login: person.login.clone(),
                        password: answer.one_time_password,
                    }))
                }),
                Action::Deactivate | Action::Activate => api::post_empty(&path, &(), auth).await,
            };
            match done {
                Ok(()) => problem.set(None),
                Err(error) => problem
                    .set(signed_in.problem(&error).map(|code| shown_error(lang.get_untracked(), &code))),
            }
            pending.set(None);
            load();
        });
    };
    let text = move |text: Text| move || text.get(lang.get());
    let roles = creatable_roles(manager);
    view! {
        <RoomPage lang=lang name="people" testid="page-people" title=texts::PEOPLE_TITLE intro={if manager == Role::Admin { texts::PEOPLE_INTRO_ADMIN } else { texts::PEOPLE_INTRO_LEAD }}
            ready=Signal::derive(move || people.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            {move || shown.get().map(|shown_now| view! {
                <div class="one-time" role="status" data-testid="one-time-password">
                    <p>{move || texts::PEOPLE_ONE_TIME_FOR.fill(lang.get(), &[&shown_now.name, &shown_now.login])}</p>
                    <p class="one-time-password"><code data-testid="one-time-password-value">{shown_now.password.clone()}</code></p>
                    <p class="hint">{text(texts::PEOPLE_ONE_TIME_HINT)}</p>
                    <button type="button" class="button" data-testid="one-time-password-done" on:click=move |_| shown.set(None)>
                        {text(texts::PEOPLE_ONE_TIME_DONE)}
                    </button>
                </div>
            })}
            <p class="form-problem" role="alert" data-testid="people-problem">{move || problem.get()}</p>
            {(!roles.is_empty()).then(|| new_person_form(lang, roles, form, form_problem, writes, create))}
            {move || match people.get() {
                None => view! { <p class="hint" role="status">{text(texts::PEOPLE_LOADING)}</p> }.into_any(),
                Some(list) => view! {
                    <Table lang=lang testid="people" columns=vec![
                        texts::PEOPLE_COLUMN_NAME, shared::LOGIN, texts::PEOPLE_COLUMN_ROLE,
                        texts::COLUMN_STATUS, texts::PEOPLE_COLUMN_LAST_ACTIVE, texts::COLUMN_ACTIONS,
                    ]>
                        {list.into_iter().map(|person| person_row(lang, person, pending, writes, confirm)).collect_view()}
                    </Table>
                }.into_any(),
            }}
        </RoomPage>
    }
}

fn new_person_form(
    lang: RwSignal<Lang>,
    roles: Vec<Role>,
    form: RwSignal<NewPersonForm>,
    form_problem: RwSignal<Option<String>>,
    writes: Writes,
    create: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <form class="card person-form" novalidate=true data-testid="person-form" aria-labelledby="person-form-title"
            on:submit=move |ev| { ev.prevent_default(); create(); }>
            <h2 id="person-form-title">{text(texts::PEOPLE_NEW)}</h2>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{text(texts::PEOPLE_COLUMN_NAME)}</span>
                    <input type="text" autocomplete="off" data-testid="person-name" maxlength="80"
                        prop:value=move || form.with(|f| f.display_name.clone())
                        on:input=move |ev| form.update(|f| f.display_name = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{text(shared::LOGIN)}</span>
                    <input type="text" autocomplete="off" autocapitalize="none" spellcheck="false" data-testid="person-login" maxlength="64"
                        prop:value=move || form.with(|f| f.login.clone())
                        on:input=move |ev| form.update(|f| f.login = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::PEOPLE_COLUMN_ROLE)}</span>
                    <select data-testid="person-role" prop:value=move || form.with(|f| f.role.map_or("", |role| role.code())) on:change=move |ev| {
                        let code = event_target_value(&ev);
                        form.update(|f| f.role = Role::ALL.into_iter().find(|role| role.code() == code));
                    }>
                        <option value="" selected=move || form.with(|f| f.role.is_none())>{text(texts::COVER_CHOOSE)}</option>
                        {roles.into_iter().map(|role| view! {
                            <option value=role.code() selected=move || form.with(|f| f.role == Some(role))>
                                {move || shared::role(role).get(lang.get())}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <p class="form-problem" role="alert" data-testid="person-problem">{move || form_problem.get()}</p>
            <button type="submit" class="button button-primary" data-testid="person-create" disabled=move || writes.busy()>
                {text(texts::PEOPLE_CREATE)}
            </button>
        </form>
    }
}

fn person_row(
    lang: RwSignal<Lang>,
    person: PersonView,
    pending: RwSignal<Option<(UserId, Action)>>,
    writes: Writes,
    confirm: impl Fn(PersonView, Action) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = person.id;
    let status = status_text(person.status);
    let role = shared::role(person.role);
    let last = person.last_active_at;
    let actions: Vec<Action> = if !person.manageable {
        Vec::new()
    } else if person.status == AccountStatus::Deactivated {
        vec![Action::Activate]
    } else {
        vec![Action::Reset, Action::Deactivate]
    };
    let badge = match person.status {
        AccountStatus::Active => "badge badge-ok",
        AccountStatus::FirstPasswordPending => "badge",
        AccountStatus::Deactivated => "badge badge-warn",
    };
    let name = person.display_name.clone();
    let asked = move || pending.get().filter(|(user, _)| *user == id).map(|(_, action)| action);
    let for_confirm = StoredValue::new(person.clone());
    view! {
        <tr data-testid="person">
            <th scope="row">{name.clone()}</th>
            <td>{person.login.clone()}</td>
            <td>{move || role.get(lang.get())}</td>
            <td><span class=badge data-testid="person-status">{move || status.get(lang.get())}</span></td>
            <td>{move || match last {
                Some(at) => format::date_time(lang.get(), at),
                None => texts::PEOPLE_NEVER.get(lang.get()).to_owned(),
            }}</td>
            <td class="row-actions">
                {move || match asked() {
                    Some(action) => {
                        let name = name.clone();
                        view! {
                            <span class="confirm" role="group" aria-label=move || action.label().get(lang.get())>
                                <span>{move || action.question().fill(lang.get(), &[&name])}</span>
                                <button type="button" class="button button-primary" data-testid="person-confirm" disabled=move || writes.busy()
                                    on:click=move |_| confirm(for_confirm.get_value(), action)>
                                    {move || action.label().get(lang.get())}
                                </button>
                                <button type="button" class="button" data-testid="person-cancel" on:click=move |_| pending.set(None)>
                                    {move || texts::CANCEL.get(lang.get())}
                                </button>
                            </span>
                        }.into_any()
                    }
                    None => actions.iter().map(|&action| {
                        let label = {
                            let name = name.clone();
                            move || format!("{}: {name}", action.label().get(lang.get()))
                        };
                        view! {
                            <button type="button" class="button" data-testid=format!("person-{}", action_code(action)) aria-label=label
                                on:click=move |_| pending.set(Some((id, action)))>
                                {move || action.label().get(lang.get())}
                            </button>
                        }
                    }).collect_view().into_any(),
                }}
            </td>
        </tr>
    }
}

fn action_code(action: Action) -> &'static str {
    match action {
        Action::Reset => "reset",
        Action::Deactivate => "deactivate",
        Action::Activate => "activate",
    }
}

/// The server's refusal as the manager reads it: the People room's own codes first, then the shared
/// ones.
fn shown_error(lang: Lang, code: &str) -> String {
    texts::people_error(code)
        .map(|text| text.get(lang).to_owned())
        .unwrap_or_else(|| begleitbuch_web::ui::error_text(lang, code).to_owned())
}
