use begleitbuch_domain::account::DeviceView;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::format;
use begleitbuch_web::lang::Text;
use begleitbuch_web::ui::{error_text, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{rows, TabletRow};
use crate::texts;

#[component]
pub fn TabletsPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let tablets = RwSignal::new(None::<Vec<TabletRow>>);
    let problem = RwSignal::new(None::<String>);
    let signed_in = StoredValue::new(signed_in);
    let load = move || {
        problem.set(None);
        let signed_in = signed_in.get_value();
        spawn_local(async move {
            let csrf_token = signed_in.csrf_token().to_owned();
            match api::get::<Vec<DeviceView>>("/devices", Auth::Browser { csrf_token: &csrf_token }).await {
                Ok(devices) => tablets.set(Some(rows(devices))),
                Err(error) => problem.set(signed_in.problem(&error)),
            }
        });
    };
    load();
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <section class="page" aria-labelledby="tablets-title" data-testid="page-tablets">
            <div class="page-header">
                <h1 id="tablets-title">{text(texts::TABLETS_TITLE)}</h1>
                <button type="button" class="button" on:click=move |_| load() data-testid="tablets-reload">{text(texts::RELOAD)}</button>
            </div>
            <p class="page-subtitle">{text(texts::TABLETS_INTRO)}</p>
            <p class="form-problem" role="alert">{move || problem.get().map(|code| error_text(lang.get(), &code))}</p>
            {move || match tablets.get() {
                None => view! { <p class="hint" role="status">{text(texts::LOADING)}</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! { <p class="empty-state">{text(texts::NONE_YET)}</p> }.into_any(),
                Some(rows) => {
                    let revoked = rows.iter().filter(|row| row.revoked).count().to_string();
                    let count = rows.len();
                    let total = count.to_string();
                    view! {
                        <p data-testid="tablets-count">{move || match count {
                            1 => texts::COUNT_ONE.fill(lang.get(), &[&revoked]),
                            _ => texts::COUNT.fill(lang.get(), &[&total, &revoked]),
                        }}</p>
                        <div class="table-frame">
                            <table class="table" data-testid="tablets">
                                <thead>
                                    <tr>
                                        <th scope="col">{text(texts::COLUMN_LABEL)}</th>
                                        <th scope="col">{text(texts::COLUMN_LAST_SEEN)}</th>
                                        <th scope="col">{text(texts::COLUMN_STATUS)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr data-testid="tablet">
                                            <th scope="row">{row.label}</th>
                                            <td>{move || format::date_time(lang.get(), row.last_seen_at)}</td>
                                            <td>
                                                <span class=if row.revoked { "badge badge-warn" } else { "badge badge-ok" }>
                                                    {move || row.status.get(lang.get())}
                                                </span>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
