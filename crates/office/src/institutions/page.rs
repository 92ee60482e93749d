use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::InstitutionId;
use begleitbuch_domain::org::{AllocationPlan, AllocationUpload, Institution, InstitutionKind};
use begleitbuch_domain::people::Role;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::browser::chosen_file_text;
use begleitbuch_web::format;
use begleitbuch_web::lang::{Lang, Text};
use begleitbuch_web::ui::{error_text, SignedIn};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{change_text, counts, fte, problem_text, rows, total, years, InstitutionForm};
use crate::frame::{RoomPage, Table, Writes};
use crate::texts;

/// Where the import stands: nothing yet, a preview waiting to be imported, or done.
#[derive(Debug, Clone, PartialEq)]
enum Import {
    Idle,
    Previewed { upload: AllocationUpload, plan: AllocationPlan },
    Done { year: SchoolYear, plan: AllocationPlan },
}

#[component]
pub fn InstitutionsPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let admin = signed_in.view.user.role == Role::Admin;
    let today = SchoolYear::of(format::today());
    let institutions = RwSignal::new(None::<Vec<Institution>>);
    let year = RwSignal::new(today);
    let import_year = RwSignal::new(today);
    let import = RwSignal::new(Import::Idle);
    let problem = RwSignal::new(None::<String>);
    let writes = Writes::in_room();
    let file = NodeRef::<html::Input>::new();
    // The hand-entry form: a new institution, or the one being corrected.
    let form = RwSignal::new(InstitutionForm::default());
    let editing = RwSignal::new(None::<(InstitutionId, String)>);
    let form_problem = RwSignal::new(None::<Text>);
    let saved = RwSignal::new(None::<String>);
    let name_input = NodeRef::<html::Input>::new();
    let signed_in = StoredValue::new(signed_in);
    let load = move || {
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            match api::get::<Vec<Institution>>(
                "/institutions",
                Auth::Browser { csrf_token: signed_in.csrf_token() },
            )
            .await
            {
                Ok(list) => institutions.set(Some(list)),
                Err(error) => problem.set(
                    signed_in.problem(&error).map(|code| error_text(lang.get_untracked(), &code).to_owned()),
                ),
            }
        });
    };
    load();
    let send = move |path: &'static str, upload: AllocationUpload| {
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, AllocationPlan>(path, &upload, auth).await {
                Ok(plan) if path.ends_with("preview") => import.set(Import::Previewed { upload, plan }),
                Ok(plan) => {
                    year.set(SchoolYear { start_year: upload.school_year });
                    import.set(Import::Done { year: SchoolYear { start_year: upload.school_year }, plan });
                    load();
                }
                Err(error) => problem.set(
                    signed_in.problem(&error).map(|code| error_text(lang.get_untracked(), &code).to_owned()),
                ),
            }
        });
    };
    let preview = move || {
        problem.set(None);
        let Some(input) = file.get_untracked() else { return };
        let school_year = import_year.get_untracked().start_year;
        spawn_local(async move {
            match chosen_file_text(&input).await {
                Ok(Some(csv)) => send("/office/allocation/preview", AllocationUpload { school_year, csv }),
                Ok(None) => problem.set(Some(texts::IMPORT_NO_FILE.get(lang.get_untracked()).to_owned())),
                Err(()) => problem.set(Some(texts::IMPORT_UNREADABLE.get(lang.get_untracked()).to_owned())),
            }
        });
    };
    let save = move || {
        let request = match form.get_untracked().request() {
            Ok(request) => request,
            Err(text) => return form_problem.set(Some(text)),
        };
        let which = editing.get_untracked().map(|(id, _)| id);
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let answer = match which {
                None => api::post::<_, Institution>("/office/institutions", &request, auth).await,
                Some(id) => {
                    api::put::<_, Institution>(&format!("/office/institutions/{}", id.0), &request, auth)
                        .await
                }
            };
            match answer {
                Ok(stored) => {
                    form_problem.set(None);
                    form.set(InstitutionForm::default());
                    editing.set(None);
                    saved.set(Some(stored.name));
                }
                Err(error) => form_problem.set(signed_in.problem(&error).map(|code| {
                    texts::institution_error(&code).unwrap_or_else(|| begleitbuch_web::texts::error(&code))
                })),
            }
            load();
        });
    };
    let edit = move |institution: Institution| {
        form.set(InstitutionForm::of(&institution));
        editing.set(Some((institution.id, institution.name)));
        form_problem.set(None);
        saved.set(None);
        if let Some(input) = name_input.get_untracked() {
            let _ = input.focus();
        }
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <RoomPage lang=lang name="institutions" testid="page-institutions" title=texts::INSTITUTIONS_TITLE intro=texts::INSTITUTIONS_INTRO
            ready=Signal::derive(move || institutions.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            <p class="form-problem" role="alert" data-testid="institutions-problem">{move || problem.get()}</p>
            {admin.then(|| view! {
                <form class="card person-form" novalidate=true aria-labelledby="import-title" data-testid="import-form"
                    on:submit=move |ev| { ev.prevent_default(); preview(); }>
                    <h2 id="import-title">{text(texts::IMPORT_TITLE)}</h2>
                    <p class="hint">{text(texts::IMPORT_INTRO)}</p>
                    <div class="form-row">
                        <label class="field">
                            <span class="field-label">{text(texts::IMPORT_FILE)}</span>
                            <input type="file" accept=".csv,text/csv" node_ref=file data-testid="import-file"
                                on:change=move |_| import.set(Import::Idle)/>
                        </label>
                        <label class="field">
                            <span class="field-label">{text(texts::IMPORT_FOR_YEAR)}</span>
                            {move || year_select(years(today, &institutions.get().unwrap_or_default()), import_year, "import-year")}
                        </label>
                    </div>
                    <button type="submit" class="button" data-testid="import-preview" disabled=move || writes.busy()>{text(texts::IMPORT_PREVIEW)}</button>
                </form>
            })}
            {move || import_view(lang, import.get(), writes, send)}
            {admin.then(|| institution_form(lang, InstitutionFormState { form, editing, form_problem, saved, name_input }, writes, save))}
            {move || match institutions.get() {
                None => view! { <p class="hint" role="status">{text(texts::INSTITUTIONS_LOADING)}</p> }.into_any(),
                Some(list) if list.is_empty() => view! { <p class="empty-state">{text(texts::INSTITUTIONS_NONE)}</p> }.into_any(),
                Some(list) => {
                    let shown = rows(&list, year.get());
                    let (with_fte, sum) = total(&shown);
                    let count = shown.len();
                    view! {
                        <div class="form-row">
                            <label class="field">
                                <span class="field-label">{text(texts::SCHOOL_YEAR)}</span>
                                {year_select(years(today, &list), year, "institutions-year")}
                            </label>
                        </div>
                        <p data-testid="institutions-count">{move || texts::INSTITUTIONS_COUNT.fill(lang.get(), &[&count.to_string(), &with_fte.to_string(), &year.get().label(), &fte(lang.get(), sum)])}</p>
                        <Table lang=lang testid="institutions" columns={
                            let mut columns = vec![texts::COLUMN_INSTITUTION, texts::COLUMN_REGION, texts::COLUMN_LEVELS, texts::COLUMN_FTE];
                            if admin { columns.push(texts::COLUMN_ACTIONS); }
                            columns
                        }>
                            {shown.into_iter().map(|row| {
                                let institution = StoredValue::new(row.institution);
                                let label = row.name.clone();
                                view! {
                                    <tr data-testid="institution">
                                        <th scope="row">{row.name}</th>
                                        <td>{row.region}</td>
                                        <td>{row.served}</td>
                                        <td>{move || row.fte.map(|value| fte(lang.get(), value)).unwrap_or_else(|| "–".into())}</td>
                                        {admin.then(|| view! {
                                            <td class="row-actions">
                                                <button type="button" class="button" data-testid="institution-edit"
                                                    aria-label=move || format!("{}: {label}", texts::INSTITUTION_EDIT_ONE.get(lang.get()))
                                                    on:click=move |_| edit(institution.get_value())>
                                                    {move || texts::INSTITUTION_EDIT_ONE.get(lang.get())}
                                                </button>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </Table>
                    }.into_any()
                }
            }}
        </RoomPage>
    }
}

/// The hand-entry form's state, shared with the page.
#[derive(Clone, Copy)]
struct InstitutionFormState {
    form: RwSignal<InstitutionForm>,
    editing: RwSignal<Option<(InstitutionId, String)>>,
    form_problem: RwSignal<Option<Text>>,
    saved: RwSignal<Option<String>>,
    name_input: NodeRef<html::Input>,
}

fn institution_form(
    lang: RwSignal<Lang>,
    state: InstitutionFormState,
    writes: Writes,
    save: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let InstitutionFormState { form, editing, form_problem, saved, name_input } = state;
    let text = move |text: Text| move || text.get(lang.get());
    let school = move || form.with(|f| f.kind == InstitutionKind::School);
    view! {
        <form class="card person-form" novalidate=true aria-labelledby="institution-form-title" data-testid="institution-form"
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h2 id="institution-form-title">{move || match editing.get() {
                Some((_, name)) => texts::INSTITUTION_EDIT.fill(lang.get(), &[&name]),
                None => texts::INSTITUTION_NEW.get(lang.get()).to_owned(),
            }}</h2>
            <p class="notice" role="status" data-testid="institution-saved">{move || saved.get().map(|name| texts::INSTITUTION_SAVED.fill(lang.get(), &[&name]))}</p>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{text(texts::COLUMN_INSTITUTION)}</span>
                    <input type="text" autocomplete="off" data-testid="institution-name" maxlength="200" node_ref=name_input
                        prop:value=move || form.with(|f| f.name.clone())
                        on:input=move |ev| form.update(|f| f.name = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::INSTITUTION_KIND)}</span>
                    <select data-testid="institution-kind" prop:value=move || form.with(|f| f.kind.code()) on:change=move |ev| {
                        let code = event_target_value(&ev);
                        form.update(|f| f.kind = InstitutionKind::from_code(&code).unwrap_or(InstitutionKind::School));
                    }>
                        {[(InstitutionKind::School, texts::INSTITUTION_SCHOOL), (InstitutionKind::DayCare, texts::INSTITUTION_DAY_CARE)].into_iter().map(|(kind, label)| view! {
                            <option value=kind.code() selected=move || form.with(|f| f.kind == kind)>{text(label)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::COLUMN_REGION)}</span>
                    <input type="text" autocomplete="off" data-testid="institution-region" maxlength="200"
                        prop:value=move || form.with(|f| f.region.clone())
                        on:input=move |ev| form.update(|f| f.region = event_target_value(&ev))/>
                </label>
            </div>
            {move || if school() {
                view! {
                    <label class="field">
                        <span class="field-label">{text(texts::INSTITUTION_LEVELS)}</span>
                        <input type="text" autocomplete="off" data-testid="institution-levels" maxlength="60"
                            prop:value=move || form.with(|f| f.year_levels.clone())
                            on:input=move |ev| form.update(|f| f.year_levels = event_target_value(&ev))/>
                    </label>
                }.into_any()
            } else {
                view! {
                    <label class="field">
                        <span class="field-label">{text(texts::INSTITUTION_GROUPS)}</span>
                        <textarea data-testid="institution-groups" rows="4"
                            prop:value=move || form.with(|f| f.groups.clone())
                            on:input=move |ev| form.update(|f| f.groups = event_target_value(&ev))></textarea>
                    </label>
                }.into_any()
            }}
            <p class="form-problem" role="alert" data-testid="institution-problem">{move || form_problem.get().map(|t| t.get(lang.get()))}</p>
            <div class="form-row">
                <button type="submit" class="button button-primary" data-testid="institution-save" disabled=move || writes.busy()>
                    {move || if editing.with(Option::is_some) { texts::INSTITUTION_SAVE.get(lang.get()) } else { texts::INSTITUTION_CREATE.get(lang.get()) }}
                </button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" class="button" data-testid="institution-cancel" on:click=move |_| {
                        editing.set(None);
                        form.set(InstitutionForm::default());
                        form_problem.set(None);
                    }>{text(texts::CANCEL)}</button>
                })}
            </div>
        </form>
    }
}

pub(crate) fn year_select(
    years: Vec<SchoolYear>,
    chosen: RwSignal<SchoolYear>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <select data-testid=testid prop:value=move || chosen.get().start_year.to_string() on:change=move |ev| {
            if let Ok(start_year) = event_target_value(&ev).parse() {
                chosen.set(SchoolYear { start_year });
            }
        }>
            {years.into_iter().map(|each| view! {
                <option value=each.start_year.to_string() selected=move || chosen.get() == each>{each.label()}</option>
            }).collect_view()}
        </select>
    }
}

/// The preview (its bad lines, or what each line would change, and the import button), or what the
/// import did.
fn import_view(
    lang: RwSignal<Lang>,
    import: Import,
    writes: Writes,
    send: impl Fn(&'static str, AllocationUpload) + Copy + Send + Sync + 'static,
) -> AnyView {
    let text = move |text: Text| move || text.get(lang.get());
    let summary = move |template: Text, plan: &AllocationPlan, year: Option<SchoolYear>| {
        let (new, changed, unchanged) = counts(plan);
        let numbers = [new, changed, unchanged].map(|n| n.to_string());
        let total = plan.lines.len().to_string();
        let first = year.map(SchoolYear::label).unwrap_or(total);
        move || template.fill(lang.get(), &[&first, &numbers[0], &numbers[1], &numbers[2]])
    };
    match import {
        Import::Idle => ().into_any(),
        Import::Previewed { plan, .. } if !plan.errors.is_empty() => {
            let count = plan.errors.len().to_string();
            view! {
                <div class="card import-result" data-testid="import-errors">
                    <p class="form-problem" role="alert">{move || texts::IMPORT_REFUSED.fill(lang.get(), &[&count])}</p>
                    <ul>
                        {plan.errors.into_iter().map(|error| view! { <li data-testid="import-error">{move || problem_text(lang.get(), &error)}</li> }).collect_view()}
                    </ul>
                </div>
            }.into_any()
        }
        Import::Previewed { upload, plan } => {
            let upload = StoredValue::new(upload);
            view! {
                <div class="card import-result" data-testid="import-plan">
                    <p role="status">{summary(texts::IMPORT_PLAN, &plan, None)}</p>
                    <Table lang=lang testid="import-lines" columns=vec![texts::COLUMN_LINE, texts::COLUMN_INSTITUTION, texts::COLUMN_FTE, texts::COLUMN_CHANGE]>
                        {plan.lines.into_iter().map(|line| {
                            let value = line.row.fte;
                            view! {
                                <tr data-testid="import-line">
                                    <td>{line.row.line}</td>
                                    <th scope="row">{line.row.school.clone()}</th>
                                    <td>{move || fte(lang.get(), value)}</td>
                                    <td>{move || change_text(lang.get(), &line)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </Table>
                    <button type="button" class="button button-primary" data-testid="import-do" disabled=move || writes.busy()
                        on:click=move |_| send("/office/allocation", upload.get_value())>
                        {text(texts::IMPORT_DO)}
                    </button>
                </div>
            }.into_any()
        }
        Import::Done { year, plan } => view! {
            <p class="notice" role="status" data-testid="import-done">{summary(texts::IMPORT_DONE, &plan, Some(year))}</p>
        }.into_any(),
    }
}
