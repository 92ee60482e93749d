use begleitbuch_domain::protocol::RecordView;
use begleitbuch_web::api::{self, Auth};
use begleitbuch_web::ui::SignedIn;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{steps, Step};
use crate::frame::Written;
use crate::pools::page::load_all;
use crate::rooms::Room;
use crate::texts;

/// Above every room while the provider is not set up: the steps, the done ones ticked, the next one
/// marked. It looks again whenever the room changes or a room has written something.
#[component]
pub fn Guide(signed_in: SignedIn, room: RwSignal<Room>) -> impl IntoView {
    let lang = signed_in.lang;
    let shown = RwSignal::new(None::<Vec<(Step, bool)>>);
    // Once set up, the guide stops asking: nothing in the office undoes a step.
    let set_up = StoredValue::new(false);
    let written = use_context::<Written>().map(|written| written.0);
    let signed_in = StoredValue::new(signed_in);
    Effect::new(move |_| {
        room.track();
        if let Some(written) = written {
            written.track();
        }
        if set_up.get_value() {
            return;
        }
        spawn_local(async move {
            let signed_in = signed_in.get_value();
            // A failed look leaves the guide as it was; the room shows the problem itself.
            let auth = Auth::Browser { csrf_token: signed_in.csrf_token() };
            let path = format!("/office/records?kinds={}", crate::children::KINDS);
            let children = api::get::<Vec<RecordView>>(&path, auth);
            if let (Ok(all), Ok(children)) = (load_all(auth).await, children.await) {
                let now = steps(&all.institutions, &all.pools, &all.people, &all.memberships, children.len());
                set_up.set_value(now.is_none());
                shown.set(now);
            }
        });
    });
    let text = move |text: begleitbuch_web::lang::Text| move || text.get(lang.get());
    move || {
        shown.get().map(|list| {
            let next = list.iter().find(|(_, done)| !done).map(|(step, _)| *step);
            view! {
                <aside class="card setup-guide" aria-labelledby="setup-title" data-testid="setup-guide">
                    <h2 id="setup-title">{text(texts::SETUP_TITLE)}</h2>
                    <p class="hint">{text(texts::SETUP_INTRO)}</p>
                    <ol class="setup-steps">
                        {list.into_iter().map(|(step, done)| {
                            let is_next = next == Some(step);
                            view! {
                                <li data-testid="setup-step" data-done=done.to_string() class:setup-next=is_next>
                                    <a href=step.room().hash() aria-current=is_next.then_some("step")>{text(step.text())}</a>
                                    {done.then(|| view! { " " <span class="badge badge-ok">{text(texts::SETUP_DONE)}</span> })}
                                    {is_next.then(|| view! { " " <span class="badge">{text(texts::SETUP_NEXT)}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                </aside>
            }
        })
    }
}
