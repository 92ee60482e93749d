use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::child::{Child, LegalBasis, SupportStatus};
use std::collections::BTreeMap;

use begleitbuch_domain::ids::{ChildId, PoolId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{Outcome, RecordView};
use begleitbuch_domain::worktime::Delivered;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::{Lang, Text};
use begleitbuch_web::texts as shared;
use begleitbuch_web::ui::SignedIn;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{approved, by_pool, ChildForm, ChildLine, PoolChildren};
use crate::child_file::page::ChildFilePanel;
use crate::frame::{choice, coded_choice, RoomPage, Table, Writes};
use crate::institutions::page::year_select;
use crate::pools::years;
use crate::texts;

/// What the room shows: the provider's children and its pools.
#[derive(Debug, Clone, PartialEq)]
struct Loaded {
    records: Vec<RecordView>,
    pools: Vec<PoolDirectory>,
    /// What each child received this week and month, counted by the server.
    delivered: BTreeMap<ChildId, Delivered>,
}

#[component]
pub fn ChildrenPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let today = format::today();
    let loaded = RwSignal::new(None::<Loaded>);
    let year = RwSignal::new(SchoolYear::of(today));
    let problem = RwSignal::new(None::<Text>);
    let form = RwSignal::new(ChildForm::starting(today));
    let editing = RwSignal::new(None::<ChildLine>);
    let saved = RwSignal::new(None::<String>);
    let name_input = NodeRef::<html::Input>::new();
    // The child whose guardians and consents are open.
    let open = RwSignal::new(None::<Child>);
    let writes = Writes::in_room();
    let signed_in = StoredValue::new(signed_in);
    let fail = move |code: String| problem.set(Some(shared::error(&code)));
    let load = move || {
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let records =
                api::get::<Vec<RecordView>>(&format!("/office/records?kinds={}", super::KINDS), auth).await;
            let pools = api::get::<Vec<PoolDirectory>>("/office/pools", auth).await;
            let delivered = api::get::<BTreeMap<ChildId, Delivered>>("/office/delivered", auth).await;
            let all = records.and_then(|records| {
                pools.and_then(|pools| delivered.map(|delivered| Loaded { records, pools, delivered }))
            });
            match all {
                Ok(all) => loaded.set(Some(all)),
                Err(error) => {
                    if let Some(code) = signed_in.problem(&error) {
                        fail(code)
                    }
                }
            }
        });
    };
    load();
    let save = move || {
        let (Some(record_id), Some(change_id)) = (api::new_id(), api::new_id()) else {
            return fail("unreadable".into());
        };
        let current = editing.get_untracked();
        let write = match form.get_untracked().write(current.as_ref(), (record_id, change_id)) {
            Ok(write) => write,
            Err(text) => return problem.set(Some(text)),
        };
        let name = form.with_untracked(|f| f.display_name.trim().to_owned());
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            match api::post::<_, Outcome>("/office/records", &write, auth).await {
                Ok(Outcome::Applied { .. }) => {
                    problem.set(None);
                    editing.set(None);
                    form.set(ChildForm::starting(today));
                    saved.set(Some(name));
                }
                Ok(Outcome::Conflict { .. }) => problem.set(Some(texts::CHILDREN_CHANGED_MEANWHILE)),
                Ok(Outcome::Rejected(reason)) => problem.set(Some(texts::refusal(&reason))),
                Err(error) => {
                    if let Some(code) = signed_in.problem(&error) {
                        fail(code)
                    }
                }
            }
            load();
        });
    };
    let edit = move |line: ChildLine| {
        form.set(ChildForm::of(&line.child, lang.get_untracked()));
        editing.set(Some(line));
        problem.set(None);
        saved.set(None);
        if let Some(input) = name_input.get_untracked() {
            let _ = input.focus();
        }
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <RoomPage lang=lang name="children" testid="page-children" title=texts::CHILDREN_TITLE intro=texts::CHILDREN_INTRO
            ready=Signal::derive(move || loaded.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            {move || match loaded.get() {
                None => view! { <p class="hint" role="status">{text(texts::CHILDREN_LOADING)}</p> }.into_any(),
                Some(all) => {
                    let chosen = year.get();
                    let shown = by_pool(&all.records, &all.pools, chosen);
                    let pools: Vec<(Uuid, String)> = shown.iter().map(|p| (p.pool.0, p.institution.clone())).collect();
                    view! {
                        <div class="form-row">
                            <label class="field">
                                <span class="field-label">{text(texts::SCHOOL_YEAR)}</span>
                                {year_select(years(SchoolYear::of(today), &all.pools), year, "children-year")}
                            </label>
                        </div>
                        {if shown.is_empty() {
                            let label = chosen.label();
                            view! { <p class="empty-state" data-testid="children-no-pools">{move || texts::CHILDREN_NO_POOLS.fill(lang.get(), &[&label])}</p> }.into_any()
                        } else {
                            view! {
                                {move || open.get().map(|child| view! {
                                    <ChildFilePanel signed_in=signed_in child=child.clone()
                                        delivered=Signal::derive(move || loaded.with(|all| all.as_ref().and_then(|all| all.delivered.get(&child.id).copied())))
                                        records=Signal::derive(move || loaded.with(|all| all.as_ref().map(|all| all.records.clone()).unwrap_or_default()))
                                        writes=writes on_written=Callback::new(move |_| load()) on_close=Callback::new(move |_| open.set(None))/>
                                })}
                                {child_form(lang, pools, ChildFormState { form, editing, problem, saved, name_input }, writes, save)}
                                {shown.into_iter().map(|pool| pool_children(lang, pool, edit, move |child| open.set(Some(child)))).collect_view()}
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </RoomPage>
    }
}

/// The form's state, shared with the page.
#[derive(Clone, Copy)]
struct ChildFormState {
    form: RwSignal<ChildForm>,
    editing: RwSignal<Option<ChildLine>>,
    problem: RwSignal<Option<Text>>,
    saved: RwSignal<Option<String>>,
    name_input: NodeRef<html::Input>,
}

fn child_form(
    lang: RwSignal<Lang>,
    pools: Vec<(Uuid, String)>,
    state: ChildFormState,
    writes: Writes,
    save: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let ChildFormState { form, editing, problem, saved, name_input } = state;
    let text = move |text: Text| move || text.get(lang.get());
    let individual = move || form.with(|f| f.legal_basis != LegalBasis::SystemicOnly);
    let input = move |label: Text,
                      testid: &'static str,
                      kind: &'static str,
                      get: fn(&ChildForm) -> String,
                      set: fn(&mut ChildForm, String)| {
        view! {
            <label class="field">
                <span class="field-label">{text(label)}</span>
                <input type=kind autocomplete="off" data-testid=testid
                    prop:value=move || form.with(get)
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))/>
            </label>
        }
    };
    view! {
        <form class="card person-form" novalidate=true aria-labelledby="child-form-title" data-testid="child-form"
            on:submit=move |ev| { ev.prevent_default(); save(); }>
            <h2 id="child-form-title">{move || match editing.get() {
                Some(line) => texts::CHILDREN_EDIT.fill(lang.get(), &[&line.child.display_name]),
                None => texts::CHILDREN_NEW.get(lang.get()).to_owned(),
            }}</h2>
            <p class="notice" role="status" data-testid="child-saved">{move || saved.get().map(|name| texts::CHILDREN_SAVED.fill(lang.get(), &[&name]))}</p>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{text(texts::POOLS_POOL)}</span>
                    {choice(lang, pools, Signal::derive(move || form.with(|f| f.pool.map(|id| id.0))),
                        Callback::new(move |id: Option<Uuid>| form.update(|f| f.pool = id.map(PoolId))), "child-pool")}
                </label>
                <label class="field">
                    <span class="field-label">{text(texts::CHILDREN_NAME)}</span>
                    <input type="text" autocomplete="off" data-testid="child-name" maxlength="60" node_ref=name_input
                        prop:value=move || form.with(|f| f.display_name.clone())
                        on:input=move |ev| form.update(|f| f.display_name = event_target_value(&ev))/>
                </label>
                {input(texts::CHILDREN_GROUP, "child-group", "text", |f| f.group.clone(), |f, v| f.group = v)}
            </div>
            <div class="form-row">
                <label class="field">
                    <span class="field-label">{text(texts::CHILDREN_BASIS)}</span>
                    {coded_choice(lang, LegalBasis::ALL.map(|basis| (basis.code(), shared::legal_basis(basis))).to_vec(),
                        Signal::derive(move || form.with(|f| f.legal_basis.code())),
                        Callback::new(move |code: String| form.update(|f| f.legal_basis = LegalBasis::from_code(&code).unwrap_or(f.legal_basis))), "child-basis")}
                </label>
                {move || individual().then(|| input(texts::CHILDREN_APPROVED, "child-hours", "text", |f| f.approved_hours.clone(), |f, v| f.approved_hours = v))}
                <label class="field">
                    <span class="field-label">{text(texts::CHILDREN_STATUS)}</span>
                    {coded_choice(lang, SupportStatus::ALL.map(|status| (status.code(), shared::support_status(status))).to_vec(),
                        Signal::derive(move || form.with(|f| f.status.code())),
                        Callback::new(move |code: String| form.update(|f| f.status = SupportStatus::from_code(&code).unwrap_or(f.status))), "child-status")}
                </label>
                {input(texts::CHILDREN_APPROVED_ON, "child-approved-on", "date", |f| f.approved_on.clone(), |f, v| f.approved_on = v)}
                {input(texts::CHILDREN_SINCE, "child-since", "date", |f| f.since.clone(), |f, v| f.since = v)}
                {input(texts::CHILDREN_UNTIL, "child-until", "date", |f| f.until.clone(), |f, v| f.until = v)}
            </div>
            <p class="form-problem" role="alert" data-testid="child-problem">{move || problem.get().map(|t| t.get(lang.get()))}</p>
            <div class="form-row">
                <button type="submit" class="button button-primary" data-testid="child-save" disabled=move || writes.busy()>
                    {move || if editing.with(Option::is_some) { texts::INSTITUTION_SAVE.get(lang.get()) } else { texts::CHILDREN_CREATE.get(lang.get()) }}
                </button>
                {move || editing.with(Option::is_some).then(|| view! {
                    <button type="button" class="button" data-testid="child-cancel" on:click=move |_| {
                        editing.set(None);
                        form.set(ChildForm::starting(format::today()));
                        problem.set(None);
                    }>{text(texts::CANCEL)}</button>
                })}
            </div>
        </form>
    }
}

fn pool_children(
    lang: RwSignal<Lang>,
    pool: PoolChildren,
    edit: impl Fn(ChildLine) + Copy + Send + Sync + 'static,
    open: impl Fn(Child) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (title_id, labelled_by) = (format!("children-{}", pool.pool.0), format!("children-{}", pool.pool.0));
    view! {
        <section class="card pool-card" aria-labelledby=labelled_by data-testid="children-pool">
            <h2 id=title_id>{pool.institution.clone()}</h2>
            {if pool.children.is_empty() {
                view! { <p class="hint">{move || texts::CHILDREN_NONE.get(lang.get())}</p> }.into_any()
            } else {
                view! {
                    <Table lang=lang testid="children" columns=vec![
                        texts::CHILDREN_NAME, texts::CHILDREN_GROUP, texts::CHILDREN_BASIS, texts::CHILDREN_APPROVED,
                        texts::CHILDREN_STATUS, texts::CHILDREN_SINCE, texts::COLUMN_ACTIONS,
                    ]>
                        {pool.children.into_iter().map(|line| {
                            let child = line.child.clone();
                            let name = child.display_name.clone();
                            let file_name = name.clone();
                            let stored = StoredValue::new(line);
                            view! {
                                <tr data-testid="child">
                                    <th scope="row">{child.display_name.clone()}</th>
                                    <td>{child.group.clone()}</td>
                                    <td>{move || shared::legal_basis(child.legal_basis).get(lang.get())}</td>
                                    <td>{let child = child.clone(); move || approved(lang.get(), &child)}</td>
                                    <td>{move || shared::support_status(child.status).get(lang.get())}</td>
                                    <td>{move || match child.until {
                                        Some(until) => format::date_range(lang.get(), child.since, until),
                                        None => format::date(lang.get(), child.since),
                                    }}</td>
                                    <td class="row-actions">
                                        <button type="button" class="button" data-testid="child-edit"
                                            aria-label=move || format!("{}: {name}", texts::INSTITUTION_EDIT_ONE.get(lang.get()))
                                            on:click=move |_| edit(stored.get_value())>
                                            {move || texts::INSTITUTION_EDIT_ONE.get(lang.get())}
                                        </button>
                                        <button type="button" class="button" data-testid="child-open-file"
                                            aria-label=move || format!("{}: {file_name}", texts::CHILDREN_FILE.get(lang.get()))
                                            on:click=move |_| open(stored.get_value().child)>
                                            {move || texts::CHILDREN_FILE.get(lang.get())}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </Table>
                }.into_any()
            }}
        </section>
    }
}
