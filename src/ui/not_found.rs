use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, use_i18n};

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="page-not-found">
            <header class="page-header">
                <h1>{t!(i18n, not_found_heading)}</h1>
            </header>
            <A href="/heute" attr:class="button">{t!(i18n, not_found_back)}</A>
        </section>
    }
}
