use begleitbuch_domain::family::FamilyChild;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::lang::Text;
use begleitbuch_web::ui::{error_text, SignedIn};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{consent_lines, place};
use crate::texts;

#[component]
pub fn FamilyPage(signed_in: SignedIn) -> impl IntoView {
    let lang = signed_in.lang;
    let children = RwSignal::new(None::<Vec<FamilyChild>>);
    let problem = RwSignal::new(None::<String>);
    spawn_local(async move {
        let csrf_token = signed_in.csrf_token().to_owned();
        match api::get::<Vec<FamilyChild>>("/family", Auth::Browser { csrf_token: &csrf_token }).await {
            Ok(family) => children.set(Some(family)),
            Err(error) => problem.set(signed_in.problem(&error)),
        }
    });
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <section class="page" aria-labelledby="family-title" data-testid="page-family">
            <h1 id="family-title">{text(texts::FAMILY_TITLE)}</h1>
            <p class="page-subtitle">{text(texts::FAMILY_INTRO)}</p>
            <p class="form-problem" role="alert">{move || problem.get().map(|code| error_text(lang.get(), &code))}</p>
            {move || match children.get() {
                None => view! { <p class="hint" role="status">{text(texts::LOADING)}</p> }.into_any(),
                Some(family) if family.is_empty() => view! { <p class="empty-state">{text(texts::NONE)}</p> }.into_any(),
                Some(family) => family.into_iter().map(|child| {
                    let lines = consent_lines(&child);
                    let heading = format!("child-{}", child.id);
                    let labelled_by = heading.clone();
                    view! {
                        <article class="card" aria-labelledby=labelled_by data-testid="family-child">
                            <h2 id=heading>{child.display_name.clone()}</h2>
                            <p class="hint">{move || place(lang.get(), &child)}</p>
                            <h3>{text(texts::CONSENTS)}</h3>
                            <ul class="plain-list consent-list">
                                {lines.into_iter().map(|line| view! {
                                    <li data-testid="consent">
                                        <span>{move || line.purpose.get(lang.get())}</span>
                                        " "
                                        <span class=if line.granted { "badge badge-ok" } else { "badge badge-warn" }>
                                            {move || line.answer.get(lang.get())}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </article>
                    }
                }).collect_view().into_any(),
            }}
        </section>
    }
}
