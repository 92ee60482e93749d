//! The app shell: language context, header, navigation, routes.

use std::time::Duration;

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::features::absence::page::AbsencePage;
use crate::features::attention::page::AttentionPage;
use crate::features::children::{child_page::ChildPage, page::ChildrenPage};
use crate::features::group_session::page::GroupSessionPage;
use crate::features::observation::page::ObservationPage;
use crate::features::settings::page::SettingsPage;
use crate::features::sign_in::{change_password::ChangePasswordPage, page::SignInPage};
use crate::features::today::page::TodayPage;
use crate::features::week::page::WeekPage;
use crate::i18n::{t, use_i18n, I18nSubContextProvider};
use crate::io::{preferences, pwa};
use crate::runtime::state::AppStore;
use crate::runtime::status::SyncStatus;
use crate::ui::{
    header::Header, nav::Nav, not_found::NotFoundPage, store_banner::StoreBanner, update_banner::UpdateBanner,
};

/// How long the shell waits for the store before it renders without it (and shows "loading").
const STORE_WAIT: Duration = Duration::from_millis(500);

#[component]
pub fn App() -> impl IntoView {
    crate::runtime::state::mark("app-start");
    // The language chosen on this device wins over the browser's language. leptos_i18n's main provider
    // would reset any locale set after creation to the browser's one, so the app's only i18n context is
    // created with the stored choice as its initial locale.
    let initial_locale = Signal::stored(preferences::load_locale());

    // The store opens first, while the page is still empty. Opening it is a chain of IndexedDB and
    // WebCrypto round trips, and each answer waits for a turn of the page's main thread: when the
    // shell rendered first, its first frame and its images held that chain up by 200–400 ms at 4×
    // CPU throttling, only for Heute to show "loading" and render a second time. Rendered once the
    // store has opened (with today's entries read, see `AppStore::start`), the shell is complete at
    // once. A store that takes unusually long (another tab holding an old version open, say) does not
    // keep the page empty: the shell renders after `STORE_WAIT` and shows the store's state as it comes.
    let status = SyncStatus::track();
    let app = AppStore::start(status, start_day());
    let waited = RwSignal::new(false);
    set_timeout(move || waited.set(true), STORE_WAIT);
    let show_shell = Memo::new(move |_| waited.get() || app.opened());
    view! {
        <I18nSubContextProvider initial_locale=initial_locale>
            <Show when=move || show_shell.get()>
                <Shell status=status app=app/>
            </Show>
        </I18nSubContextProvider>
    }
}

/// The day whose entries the start page shows: today when the app opens on Heute, otherwise none.
fn start_day() -> Option<NaiveDate> {
    let path = window().location().pathname().ok()?;
    matches!(path.as_str(), "/" | "/heute").then(crate::runtime::clock::today)
}

#[component]
fn Shell(status: SyncStatus, app: AppStore) -> impl IntoView {
    let i18n = use_i18n();
    // Screen readers and the browser's hyphenation and spell checking follow `<html lang>`.
    Effect::new(move |_| {
        let code = preferences::locale_code(i18n.get_locale());
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", code);
        }
    });
    let main_ref = NodeRef::<leptos::html::Main>::new();
    // The router would treat `#main` as a navigation; moving the focus ourselves is what the link is for.
    let skip_to_content = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(main) = main_ref.get() {
            let _ = main.focus();
        }
    };

    provide_context(status);
    provide_context(app);
    app.keep_in_sync();

    let update_waiting = RwSignal::new(false);
    pwa::register(update_waiting);

    view! {
        <Router>
            <a class="skip-link" href="#main" on:click=skip_to_content>{t!(i18n, skip_to_content)}</a>
            <Header/>
            <UpdateBanner visible=update_waiting/>
            <StoreBanner/>
            <div class="layout">
                // A tablet nobody has signed in on offers sign-in and nothing else: nothing can be
                // recorded without an account.
                // A password someone else chose is changed first, before anything can be used.
                <Show when=move || !app.signed_out() && !app.must_change_password()>
                    <Nav/>
                </Show>
                <main id="main" class="content" tabindex="-1" node_ref=main_ref>
                    <Show when=move || !app.signed_out() fallback=|| view! { <SignInPage/> }>
                    <Show when=move || !app.must_change_password() fallback=|| view! { <ChangePasswordPage/> }>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=TodayPage/>
                        <Route path=path!("/heute") view=TodayPage/>
                        <Route path=path!("/woche") view=WeekPage/>
                        <Route path=path!("/kinder") view=ChildrenPage/>
                        <Route path=path!("/kinder/:id") view=ChildPage/>
                        <Route path=path!("/gruppenangebot") view=GroupSessionPage/>
                        <Route path=path!("/gruppenangebot/:id") view=GroupSessionPage/>
                        <Route path=path!("/beobachtung") view=ObservationPage/>
                        <Route path=path!("/abwesenheit") view=AbsencePage/>
                        <Route path=path!("/beobachtung/:id") view=ObservationPage/>
                        <Route path=path!("/einstellungen") view=SettingsPage/>
                        <Route path=path!("/anmelden") view=SignInPage/>
                        <Route path=path!("/klaeren") view=AttentionPage/>
                    </Routes>
                    </Show>
                    </Show>
                </main>
            </div>
        </Router>
    }
}
