//! Begleitbuch's office: the online screens of team leads and admins, in an ordinary browser at
//! `/buero/`. Nothing is kept in the browser; a sign-in is an HttpOnly cookie (see `begleitbuch_web`).
//! The office reads and writes online (`/api/v1/office/…`): its writes pass the same rules as a
//! tablet's push. One folder per room: its model plain Rust, tested natively; its page thin.
#![forbid(unsafe_code)]

pub mod child_file;
pub mod children;
pub mod cover;
pub mod frame;
pub mod institutions;
pub mod people;
pub mod pools;
pub mod rooms;
pub mod setup;
pub mod tablets;
pub mod texts;

/// What the rooms' tests build their lists from.
#[cfg(test)]
pub(crate) mod fixtures {
    use begleitbuch_domain::account::{AccountStatus, PersonView};
    use begleitbuch_domain::ids::UserId;
    use begleitbuch_domain::people::Role;

    /// An account as `GET /users` lists it, its id made from `n`.
    pub fn person(n: u128, name: &str, role: Role, status: AccountStatus) -> PersonView {
        PersonView {
            id: UserId(uuid::Uuid::from_u128(n)),
            login: name.to_lowercase(),
            display_name: name.into(),
            role,
            status,
            last_active_at: None,
            manageable: true,
        }
    }
}

use begleitbuch_domain::account::WayIn;
use begleitbuch_web::ui::{BrowserApp, SignedIn};
use leptos::prelude::*;

use rooms::Room;

#[component]
pub fn App() -> impl IntoView {
    view! { <BrowserApp way=WayIn::Office title=texts::TITLE page=office/> }
}

fn office(signed_in: SignedIn) -> AnyView {
    view! { <Office signed_in=signed_in/> }.into_any()
}

/// The rooms' navigation and the room the address names (`#/vertretung`, …); each room loads what
/// it shows when it opens.
#[component]
fn Office(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let role = signed_in.view.user.role;
    let hash = || window().location().hash().unwrap_or_default();
    let room = RwSignal::new(Room::from_hash(&hash(), role));
    let _ = window_event_listener(leptos::ev::hashchange, move |_| room.set(Room::from_hash(&hash(), role)));
    provide_context(frame::Written(RwSignal::new(0)));
    let guide = view! { <setup::page::Guide signed_in=signed_in.clone() room=room/> };
    let signed_in = StoredValue::new(signed_in);
    view! {
        <nav class="office-nav" aria-label=move || texts::NAV_LABEL.get(lang.get())>
            {Room::ALL.into_iter().map(|each| view! {
                <a href=each.hash() class="office-nav-link"
                    aria-current=move || (room.get() == each).then_some("page")>
                    {move || each.title().get(lang.get())}
                </a>
            }).collect_view()}
        </nav>
        {guide}
        {move || {
            let signed_in = signed_in.get_value();
            match room.get() {
                Room::Cover => view! { <cover::page::CoverPage signed_in=signed_in/> }.into_any(),
                Room::People => view! { <people::page::PeoplePage signed_in=signed_in/> }.into_any(),
                Room::Institutions => view! { <institutions::page::InstitutionsPage signed_in=signed_in/> }.into_any(),
                Room::Pools => view! { <pools::page::PoolsPage signed_in=signed_in/> }.into_any(),
                Room::Children => view! { <children::page::ChildrenPage signed_in=signed_in/> }.into_any(),
                Room::Tablets => view! { <tablets::page::TabletsPage signed_in=signed_in/> }.into_any(),
            }
        }}
    }
}
