//! The app shell: language context, header, navigation, routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::{header::Header, nav::Nav, update_banner::UpdateBanner};
use crate::connectivity::SyncStatus;
use crate::i18n::{use_i18n, I18nContextProvider};
use crate::pages::{
    children::ChildrenPage, not_found::NotFoundPage, settings::SettingsPage, today::TodayPage, week::WeekPage,
};
use crate::{preferences, pwa};

#[component]
pub fn App() -> impl IntoView {
    view! {
        <I18nContextProvider>
            <Shell/>
        </I18nContextProvider>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    i18n.set_locale(preferences::load_locale());

    let status = SyncStatus::track();
    provide_context(status);

    let update_waiting = RwSignal::new(false);
    pwa::register(update_waiting);

    view! {
        <Router>
            <a class="skip-link" href="#main">{crate::i18n::t!(i18n, skip_to_content)}</a>
            <Header/>
            <UpdateBanner visible=update_waiting/>
            <div class="layout">
                <Nav/>
                <main id="main" class="content" tabindex="-1">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=TodayPage/>
                        <Route path=path!("/heute") view=TodayPage/>
                        <Route path=path!("/woche") view=WeekPage/>
                        <Route path=path!("/kinder") view=ChildrenPage/>
                        <Route path=path!("/einstellungen") view=SettingsPage/>
                    </Routes>
                </main>
            </div>
        </Router>
    }
}
