//! What every room of the office is framed by: its page (heading, reload, introduction) and its
//! tables (a frame that scrolls sideways on a narrow screen, column headings in the catalogue's words).

use begleitbuch_web::lang::{Lang, Text};
use leptos::prelude::*;

/// A room's page. `name` makes its ids (`{name}-title`, `{name}-reload`); `testid` names the page for
/// the browser tests; `ready` says the room has loaded what it shows.
#[component]
pub fn RoomPage(
    lang: RwSignal<Lang>,
    name: &'static str,
    testid: &'static str,
    title: Text,
    intro: Text,
    #[prop(into)] ready: Signal<bool>,
    on_reload: Callback<()>,
    children: Children,
) -> impl IntoView {
    let (title_id, labelled_by) = (format!("{name}-title"), format!("{name}-title"));
    view! {
        <section class="page" aria-labelledby=labelled_by data-testid=testid data-ready=move || ready.get().to_string()>
            <div class="page-header">
                <h1 id=title_id>{move || title.get(lang.get())}</h1>
                <button type="button" class="button" on:click=move |_| on_reload.run(()) data-testid=format!("{name}-reload")>
                    {move || crate::texts::RELOAD.get(lang.get())}
                </button>
            </div>
            <p class="page-subtitle">{move || intro.get(lang.get())}</p>
            {children()}
        </section>
    }
}

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
