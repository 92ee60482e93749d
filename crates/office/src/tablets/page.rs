use begleitbuch_domain::account::TabletView;
use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::DeviceId;
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::{Lang, Text};
use begleitbuch_web::ui::{error_text, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{filtered, holding_line, people, reported_at, revoke_question, rows, Filter, TabletRow};
use crate::frame::{RoomPage, Table, Writes};
use crate::texts;

#[component]
pub fn TabletsPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let tablets = RwSignal::new(None::<Vec<TabletRow>>);
    let pools = RwSignal::new(Vec::<PoolDirectory>::new());
    let filter = RwSignal::new(Filter::All);
    let problem = RwSignal::new(None::<String>);
    let asked = RwSignal::new(None::<DeviceId>);
    let writes = Writes::in_room();
    let signed_in = StoredValue::new(signed_in);
    let load = move || {
        problem.set(None);
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let listed = api::get::<Vec<TabletView>>("/devices", auth).await;
            let directory = api::get::<Vec<PoolDirectory>>("/office/pools", auth).await;
            match listed.and_then(|listed| directory.map(|directory| (listed, directory))) {
                Ok((listed, directory)) => {
                    pools.set(directory);
                    tablets.set(Some(rows(listed)));
                }
                Err(error) => problem.set(signed_in.problem(&error)),
            }
        });
    };
    load();
    let revoke = move |device: DeviceId| {
        writes.run(async move {
            let signed_in = signed_in.get_value();
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            if let Err(error) = api::post_empty(&format!("/devices/{}/revoke", device.0), &(), auth).await {
                problem.set(signed_in.problem(&error));
            }
            asked.set(None);
            load();
        });
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <RoomPage lang=lang name="tablets" testid="page-tablets" title=texts::TABLETS_TITLE intro=texts::TABLETS_INTRO
            ready=Signal::derive(move || tablets.with(Option::is_some)) on_reload=Callback::new(move |_| load())>
            <p class="form-problem" role="alert">{move || problem.get().map(|code| error_text(lang.get(), &code))}</p>
            {move || match tablets.get() {
                None => view! { <p class="hint" role="status">{text(texts::LOADING)}</p> }.into_any(),
                Some(all) if all.is_empty() => view! { <p class="empty-state">{text(texts::NONE_YET)}</p> }.into_any(),
                Some(all) => {
                    let revoked = all.iter().filter(|row| row.revoked).count().to_string();
                    let count = all.len();
                    let total = count.to_string();
                    let everyone = people(&all);
                    let shown = filtered(&all, filter.get(), &pools.get());
                    view! {
                        <div class="form-row">
                            <label class="field">
                                <span class="field-label">{text(texts::FILTER_LABEL)}</span>
                                <select data-testid="tablets-filter" on:change=move |ev| filter.set(Filter::parse(&event_target_value(&ev)))>
                                    <option value="" selected=move || filter.get() == Filter::All>{text(texts::FILTER_ALL)}</option>
                                    <optgroup label=move || texts::FILTER_POOLS.get(lang.get())>
                                        {pools.get().into_iter().map(|pool| {
                                            let choice = Filter::Pool(pool.id);
                                            view! {
                                                <option value=choice.code() selected=move || filter.get() == choice>
                                                    {format!("{} · {}", pool.institution, SchoolYear { start_year: pool.school_year }.label())}
                                                </option>
                                            }
                                        }).collect_view()}
                                    </optgroup>
                                    <optgroup label=move || texts::FILTER_PEOPLE.get(lang.get())>
                                        {everyone.into_iter().map(|(user, name)| {
                                            let choice = Filter::Person(user);
                                            view! { <option value=choice.code() selected=move || filter.get() == choice>{name}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                </select>
                            </label>
                        </div>
                        <p data-testid="tablets-count">{move || match count {
                            1 => texts::COUNT_ONE.fill(lang.get(), &[&revoked]),
                            _ => texts::COUNT.fill(lang.get(), &[&total, &revoked]),
                        }}</p>
                        {if shown.is_empty() {
                            view! { <p class="empty-state">{text(texts::FILTER_NONE)}</p> }.into_any()
                        } else {
                            view! {
                                <Table lang=lang testid="tablets" columns=vec![
                                    texts::COLUMN_LABEL, texts::COLUMN_LAST_SEEN, texts::COLUMN_PEOPLE,
                                    texts::COLUMN_APP, texts::COLUMN_STATUS, texts::COLUMN_ACTIONS,
                                ]>
                                    {shown.into_iter().map(|row| tablet_row(lang, row, asked, writes, revoke)).collect_view()}
                                </Table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </RoomPage>
    }
}

fn tablet_row(
    lang: RwSignal<Lang>,
    row: TabletRow,
    asked: RwSignal<Option<DeviceId>>,
    writes: Writes,
    revoke: impl Fn(DeviceId) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = row.id;
    let since = move |at: Option<i64>| at.map(|at| format::day_of(lang.get(), at, format::today()));
    let summary = {
        let row = row.clone();
        move || holding_line(lang.get(), row.unsent, row.unresolved, since(row.oldest_at), row.reported)
    };
    let question = {
        let row = row.clone();
        move || revoke_question(lang.get(), &row, since(reported_at(&row)))
    };
    let label = row.label.clone();
    let revoke_label = move || format!("{}: {}", texts::REVOKE.get(lang.get()), label);
    view! {
        <tr data-testid="tablet">
            <th scope="row">{row.label.clone()}</th>
            <td>{move || format::date_time(lang.get(), row.last_seen_at)}</td>
            <td>
                <p class="tablet-summary" data-testid="tablet-holding">{summary}</p>
                <ul class="tablet-people">
                    {row.people.into_iter().map(|person| {
                        let holding = person.holding.clone();
                        let line = move || {
                            let (unsent, unresolved, oldest) = holding.as_ref().map_or((0, 0, None), |h| (h.unsent, h.unresolved, h.oldest_at));
                            let mut line = format!("{}: {}", person.display_name, holding_line(lang.get(), unsent, unresolved, since(oldest), holding.is_some()));
                            if let Some(at) = person.reported_at {
                                line.push_str(&format!(" ({})", texts::REPORTED_AT.fill(lang.get(), &[&format::date_time(lang.get(), at)])));
                            }
                            if !person.signed_in {
                                line.push_str(&format!(" · {}", texts::SIGNED_OUT_HERE.get(lang.get())));
                            }
                            line
                        };
                        view! { <li data-testid="tablet-person">{line}</li> }
                    }).collect_view()}
                </ul>
            </td>
            <td>{row.app_version.clone().unwrap_or_else(|| "–".into())}</td>
            <td>
                <span class=if row.revoked { "badge badge-warn" } else { "badge badge-ok" }>
                    {move || row.status.get(lang.get())}
                </span>
            </td>
            <td class="row-actions">
                {(!row.revoked).then(|| view! {
                    {move || if asked.get() == Some(id) {
                        view! {
                            <span class="confirm" role="group" data-testid="revoke-question">
                                <span>{question.clone()}</span>
                                <button type="button" class="button button-danger" data-testid="revoke-confirm" disabled=move || writes.busy()
                                    on:click=move |_| revoke(id)>
                                    {move || texts::REVOKE_CONFIRM.get(lang.get())}
                                </button>
                                <button type="button" class="button" data-testid="revoke-cancel" on:click=move |_| asked.set(None)>
                                    {move || texts::CANCEL.get(lang.get())}
                                </button>
                            </span>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button" data-testid="revoke" aria-label=revoke_label.clone()
                                on:click=move |_| asked.set(Some(id))>
                                {move || texts::REVOKE.get(lang.get())}
                            </button>
                        }.into_any()
                    }}
                })}
            </td>
        </tr>
    }
}
