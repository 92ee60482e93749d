use leptos::prelude::*;

use crate::i18n::{t, use_i18n};

/// Kinder: the children of the companion's pools, as they arrive through sync.
#[component]
pub fn ChildrenPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="page" data-testid="page-kinder">
            <header class="page-header">
                <h1>{t!(i18n, children_heading)}</h1>
            </header>
            <p class="empty-state">{t!(i18n, children_empty)}</p>
        </section>
    }
}
