use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::runtime::state::AppStore;
use crate::ui::sync_button::{last_sync_text, SyncButton};

/// Einstellungen's account card: who is signed in on this device, and the way to sign in a colleague
/// who shares the tablet. (A tablet nobody signed in on shows sign-in instead of any page.)
#[component]
pub fn AccountCard() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let account = move || app.signed_in().map(|signed_in| signed_in.account);

    view! {
        <div class="card" data-testid="account">
            <h2>{t!(i18n, account_heading)}</h2>
            {move || account().map(|account| {
                let (name, login) = (account.user.display_name.clone(), account.user.login.clone());
                view! {
                    <p data-testid="signed-in-as">{t!(i18n, account_signed_in, name, login)}</p>
                    <p data-testid="last-sync">{move || last_sync_text(i18n.get_locale())}</p>
                    <SyncButton/>
                    <a class="button" href="/anmelden" data-testid="sign-in-link">{t!(i18n, account_sign_in_colleague)}</a>
                }
            })}
        </div>
    }
}
