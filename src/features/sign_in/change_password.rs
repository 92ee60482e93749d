use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::runtime::account::{self, SignInError};
use crate::runtime::state::AppStore;
use crate::text::messages;

/// Shown instead of every page while the signed-in user's password was chosen by someone else (a new
/// account, or a reset): the server allows them nothing but changing it.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeated = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SignInError>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = match account::password_change(
            &current.get_untracked(),
            &new.get_untracked(),
            &repeated.get_untracked(),
        ) {
            Ok(request) => request,
            Err(refused) => return error.set(Some(refused)),
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            if let Err(failed) = app.change_password(&request).await {
                error.set(Some(failed));
            }
            busy.set(false);
        });
    };
    let field =
        move |label: AnyView, value: RwSignal<String>, autocomplete: &'static str, id: &'static str| {
            view! {
                <label class="field">
                    <span class="field-label">{label}</span>
                    <input type="password" id=id autocomplete=autocomplete required=true
                        aria-describedby="password-change-error"
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
            }
        };

    view! {
        <section class="page" data-testid="page-passwort">
            <header class="page-header">
                <h1>{t!(i18n, password_change_heading)}</h1>
            </header>
            <form class="card entry-form" on:submit=submit novalidate=true>
                <p class="hint">{t!(i18n, password_change_hint)}</p>
                {field(t!(i18n, password_change_current).into_any(), current, "current-password", "password-current")}
                {field(t!(i18n, password_change_new).into_any(), new, "new-password", "password-new")}
                {field(t!(i18n, password_change_repeat).into_any(), repeated, "new-password", "password-repeat")}
                <p class="form-problem" role="alert" id="password-change-error" data-testid="password-change-error">
                    {move || error.get().map(|failed| messages::sign_in_error(i18n.get_locale(), &failed))}
                </p>
                <button type="submit" class="button button-primary" data-testid="password-change-submit"
                    disabled=move || busy.get()>
                    {t!(i18n, password_change_submit)}
                </button>
            </form>
        </section>
    }
}
