//! Begleitbuch's office: the online screens of team leads and admins, in an ordinary browser at
//! `/buero/`. Nothing is kept in the browser; a sign-in is an HttpOnly cookie (see `begleitbuch_web`).
//! One folder per feature: its model plain Rust, tested natively; its page thin.
#![forbid(unsafe_code)]

pub mod tablets;
pub mod texts;

use begleitbuch_domain::account::WayIn;
use begleitbuch_web::ui::{BrowserApp, SignedIn};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <BrowserApp way=WayIn::Office title=texts::TITLE page=first_page/> }
}

/// The office's first page: the provider's tablets.
fn first_page(signed_in: SignedIn) -> AnyView {
    view! { <tablets::page::TabletsPage signed_in=signed_in/> }.into_any()
}
