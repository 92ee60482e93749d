//! Begleitbuch for parents: on their phones at `/eltern/`, online, in plain words. Their children and,
//! per purpose, whether their consent holds — read-only for now. Nothing is kept on the phone; a
//! sign-in is an HttpOnly cookie (see `begleitbuch_web`).
#![forbid(unsafe_code)]

pub mod family;
pub mod texts;

use begleitbuch_domain::account::WayIn;
use begleitbuch_web::ui::{BrowserApp, SignedIn};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <BrowserApp way=WayIn::Parents title=texts::TITLE page=first_page/> }
}

/// The parents' first page: their children.
fn first_page(signed_in: SignedIn) -> AnyView {
    view! { <family::page::FamilyPage signed_in=signed_in/> }.into_any()
}
