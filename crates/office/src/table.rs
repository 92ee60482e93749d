//! The office's tables: a frame that scrolls sideways on a narrow screen, column headings in the
//! catalogue's words, and the rows a room gives.

use begleitbuch_web::lang::{Lang, Text};
use leptos::prelude::*;

#[component]
pub fn Table(
    lang: RwSignal<Lang>,
    testid: &'static str,
    columns: Vec<Text>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-frame">
            <table class="table" data-testid=testid>
                <thead>
                    <tr>
                        {columns.into_iter().map(|column| view! { <th scope="col">{move || column.get(lang.get())}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
