use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use begleitbuch_domain::account::WayIn;
use begleitbuch_web::api::ApiError;

use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::runtime::account;
use crate::runtime::state::AppStore;
use crate::text::messages;

/// Anmelden (`/anmelden`): the first sign-in of a user on this tablet, online. Registers the device and
/// keeps the account sealed on it; afterwards the tablet syncs for that user.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let navigate = use_navigate();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let error = RwSignal::new(None::<account::SignInError>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(store) = app.local_store() else { return };
        let request = match account::request(
            &login.get_untracked(),
            &password.get_untracked(),
            store.device().0,
            store.device_secret(),
            &label.get_untracked(),
            td_string!(i18n.get_locale(), sign_in_default_device_label),
        ) {
            Ok(request) => request,
            Err(refused) => {
                error.set(Some(refused));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match app.sign_in(&request).await {
                Ok(()) => {
                    password.set(String::new());
                    // Only companions sign in here (the server sends everyone else to their way in).
                    navigate("/heute", Default::default());
                }
                Err(failed) => error.set(Some(failed)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="page" data-testid="page-anmelden">
            <header class="page-header">
                <h1>{t!(i18n, sign_in_heading)}</h1>
            </header>
            <form class="card entry-form" on:submit=submit novalidate=true>
                <p class="hint">{t!(i18n, sign_in_hint)}</p>
                <label class="field">
                    <span class="field-label">{t!(i18n, sign_in_login)}</span>
                    <input type="text" name="login" autocomplete="username" autocapitalize="none"
                        spellcheck="false" required
                        prop:value=move || login.get()
                        on:input=move |ev| login.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{t!(i18n, sign_in_password)}</span>
                    <input type="password" name="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span class="field-label">{t!(i18n, sign_in_device_label)}</span>
                    <input type="text" name="device-label" maxlength="80"
                        placeholder=move || t_string!(i18n, sign_in_device_placeholder)
                        prop:value=move || label.get()
                        on:input=move |ev| label.set(event_target_value(&ev))/>
                </label>
                {move || error.get().map(|failed| view! {
                    <p class="form-problem" role="alert" data-testid="sign-in-error">
                        {messages::sign_in_error(i18n.get_locale(), &failed)}
                    </p>
                })}
                // Admins and parents have their own ways in: the refusal says where, and links there.
                {move || error.get().and_then(|failed| own_way_in(&failed)).map(|way| view! {
                    // Another app: the browser loads it, not the tablet app's router.
                    <a class="button" href=way.path() rel="external" data-testid="own-way-in">
                        {move || match way {
                            WayIn::Parents => td_string!(i18n.get_locale(), sign_in_go_parents),
                            WayIn::Office | WayIn::Tablet => td_string!(i18n.get_locale(), sign_in_go_office),
                        }}
                    </a>
                })}
                <button type="submit" class="button button-primary" data-testid="sign-in-submit"
                    disabled=move || busy.get()>
                    {t!(i18n, sign_in_submit)}
                </button>
            </form>
        </section>
    }
}

/// The way in a refused sign-in names, if it was refused for being on the tablet.
fn own_way_in(error: &account::SignInError) -> Option<WayIn> {
    let account::SignInError::Api(ApiError::Server { code, .. }) = error else { return None };
    WayIn::ALL.into_iter().find(|way| *way != WayIn::Tablet && way.refusal_code() == code)
}
