//! What every room of the office is framed by: its page (heading, reload, introduction) and its
//! tables (a frame that scrolls sideways on a narrow screen, column headings in the catalogue's words).

use begleitbuch_web::lang::{Lang, Text};
use leptos::prelude::*;
use uuid::Uuid;

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

/// How many writes the office has sent since it opened: the first-start guide looks again after each.
#[derive(Debug, Clone, Copy)]
pub struct Written(pub RwSignal<u64>);

/// A room's writes: one at a time — while one is on its way `busy` is set and a further one does
/// nothing, so a second tap cannot send the same change twice — and each told to the office.
#[derive(Debug, Clone, Copy)]
pub struct Writes {
    busy: RwSignal<bool>,
    written: Option<RwSignal<u64>>,
}

impl Writes {
    /// For a room: a busy flag of its own, the office's count of writes.
    pub fn in_room() -> Writes {
        Writes { busy: RwSignal::new(false), written: use_context::<Written>().map(|w| w.0) }
    }

    /// Whether a write is on its way (its buttons are disabled meanwhile).
    pub fn busy(self) -> bool {
        self.busy.get()
    }

    /// The same, read outside the view: whether a tap now would be ignored.
    pub fn busy_now(self) -> bool {
        self.busy.get_untracked()
    }

    pub fn run(self, write: impl std::future::Future<Output = ()> + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            write.await;
            self.busy.set(false);
            if let Some(written) = self.written {
                written.update(|count| *count += 1);
            }
        });
    }
}

/// A choice among `options` by id, with "please choose" first. One function for every kind of id
/// (their UUIDs), so that the download holds it once. The select's value follows `chosen` as a
/// property: once someone has chosen, a browser no longer follows the options' `selected`
/// attributes, so a form reset after saving would otherwise still show the old choice.
pub fn choice(
    lang: RwSignal<Lang>,
    options: Vec<(Uuid, String)>,
    chosen: Signal<Option<Uuid>>,
    set: Callback<Option<Uuid>>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <select data-testid=testid prop:value=move || chosen.get().map(|id| id.to_string()).unwrap_or_default()
            on:change=move |ev| set.run(Uuid::parse_str(&event_target_value(&ev)).ok())>
            <option value="" selected=move || chosen.get().is_none()>{move || crate::texts::COVER_CHOOSE.get(lang.get())}</option>
            {options.into_iter().map(|(id, name)| view! {
                <option value=id.to_string() selected=move || chosen.get() == Some(id)>{name}</option>
            }).collect_view()}
        </select>
    }
}

/// A choice among a coded enum's values (`options`: each one's code and label), its value following
/// `chosen` as a property (see [`choice`]); `set` gets the code chosen. One function for every enum
/// (legal basis, status, consent purpose and state), so that the download holds it once.
pub fn coded_choice(
    lang: RwSignal<Lang>,
    options: Vec<(&'static str, Text)>,
    chosen: Signal<&'static str>,
    set: Callback<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <select data-testid=testid prop:value=move || chosen.get() on:change=move |ev| set.run(event_target_value(&ev))>
            {options.into_iter().map(|(code, label)| view! {
                <option value=code selected=move || chosen.get() == code>{move || label.get(lang.get())}</option>
            }).collect_view()}
        </select>
    }
}
