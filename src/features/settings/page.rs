use begleitbuch_domain::calendar::SchoolYear;
use leptos::prelude::*;

use crate::features::settings::account_card::AccountCard;
use crate::i18n::{t, use_i18n, Locale};
use crate::io::preferences;
use crate::runtime::state::AppStore;

/// Einstellungen: language (remembered on this device) and what this app version is.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |locale: Locale| {
        preferences::save_locale(locale);
        i18n.set_locale(locale);
    };
    let school_year = SchoolYear::of(crate::runtime::clock::today()).label();
    let version = env!("CARGO_PKG_VERSION");
    let app = expect_context::<AppStore>();

    view! {
        <section class="page" data-testid="page-einstellungen">
            <header class="page-header">
                <h1>{t!(i18n, settings_heading)}</h1>
            </header>
            <form class="card" on:submit=|ev| ev.prevent_default()>
                <fieldset class="choice-group">
                    <legend>{t!(i18n, settings_language)}</legend>
                    <p class="hint" id="language-hint">{t!(i18n, settings_language_hint)}</p>
                    <label class="choice">
                        <input type="radio" name="language" value="de" aria-describedby="language-hint"
                            prop:checked=move || i18n.get_locale() == Locale::de
                            on:change=move |_| choose(Locale::de)/>
                        <span lang="de">{t!(i18n, language_de)}</span>
                    </label>
                    <label class="choice">
                        <input type="radio" name="language" value="en" aria-describedby="language-hint"
                            prop:checked=move || i18n.get_locale() == Locale::en
                            on:change=move |_| choose(Locale::en)/>
                        <span lang="en">{t!(i18n, language_en)}</span>
                    </label>
                </fieldset>
            </form>
            <AccountCard/>
            <div class="card" data-testid="storage-info">
                <h2>{t!(i18n, settings_storage)}</h2>
                <p>{t!(i18n, settings_storage_encrypted)}</p>
                {move || app.persistent.get().map(|persistent| if persistent {
                    t!(i18n, settings_storage_persistent).into_any()
                } else {
                    t!(i18n, settings_storage_best_effort).into_any()
                }).map(|text| view! { <p>{text}</p> })}
            </div>
            <div class="card">
                <h2>{t!(i18n, settings_about)}</h2>
                <p>{t!(i18n, settings_version, version)}</p>
                <p>{t!(i18n, settings_school_year, label = school_year.clone())}</p>
            </div>
        </section>
    }
}
