//! The frame of the office and the parents' pages: the header with the language switch and sign-out,
//! the connection notice, signing in, the first password, and a signed-in user on the wrong way in.
//! The app puts its own page inside. The tablet app has a frame of its own (offline, a device).

use begleitbuch_domain::account::{BrowserSignInView, WayIn};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::browser;
use crate::lang::{Lang, Text};
use crate::texts as t;

/// What a page of a signed-in browser gets: who is signed in, the language, and the way back to the
/// sign-in when the server says the sign-in has ended.
#[derive(Clone)]
pub struct SignedIn {
    pub view: BrowserSignInView,
    pub lang: RwSignal<Lang>,
    phase: RwSignal<Phase>,
}

impl SignedIn {
    pub fn csrf_token(&self) -> &str {
        &self.view.csrf_token
    }

    /// Takes an API error a page got: an ended sign-in goes back to signing in (returns `None`);
    /// anything else is the error's code, for the page to show with [`error_text`].
    pub fn problem(&self, error: &ApiError) -> Option<String> {
        if browser::is_signed_out(error) {
            self.phase.set(Phase::SignedOut { ended: true });
            return None;
        }
        Some(error.code().to_owned())
    }
}

/// An error code as the user reads it, in the current language.
pub fn error_text(lang: Lang, code: &str) -> &'static str {
    t::error(code).get(lang)
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Checking,
    Unreachable,
    SignedOut { ended: bool },
    SignedIn(BrowserSignInView),
}

/// Whether the browser believes it is online, kept current by its `online` and `offline` events.
fn online_signal() -> ReadSignal<bool> {
    let online = RwSignal::new(window().navigator().on_line());
    let _ = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    online.read_only()
}

/// The whole app of one way in: `title` names it in the header, `page` is what a signed-in user of
/// that way sees.
#[component]
pub fn BrowserApp(way: WayIn, title: Text, page: fn(SignedIn) -> AnyView) -> impl IntoView {
    let lang = RwSignal::new(Lang::load());
    Effect::new(move |_| {
        let code = lang.get().code();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", code);
        }
        document().set_title(&format!("{} – Begleitbuch", title.get(lang.get())));
    });
    let phase = RwSignal::new(Phase::Checking);
    let check = move || {
        phase.set(Phase::Checking);
        spawn_local(async move {
            phase.set(match browser::current().await {
                Ok(view) => Phase::SignedIn(view),
                Err(ApiError::Offline) => Phase::Unreachable,
                Err(_) => Phase::SignedOut { ended: false },
            });
        });
    };
    check();
    let online = online_signal();
    let signed_in = move || match phase.get() {
        Phase::SignedIn(view) => Some(view),
        _ => None,
    };
    let sign_out = move |_| {
        let Some(view) = signed_in() else { return };
        spawn_local(async move {
            // An ended sign-in is signed out already; offline, the cookie stays until the server
            // ends it (30 minutes without use), and the page says it is unreachable.
            match browser::sign_out(&view.csrf_token).await {
                Ok(()) => phase.set(Phase::SignedOut { ended: false }),
                Err(error) if browser::is_signed_out(&error) => phase.set(Phase::SignedOut { ended: false }),
                Err(_) => phase.set(Phase::Unreachable),
            }
        });
    };
    let switch_language = move |_| {
        let next = if lang.get_untracked() == Lang::De { Lang::En } else { Lang::De };
        next.save();
        lang.set(next);
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <a class="skip-link" href="#main">{text(t::SKIP_TO_CONTENT)}</a>
        <header class="app-header">
            <span class="brand">
                <img class="brand-mark" src="/icons/icon.svg" alt="" width="32" height="32"/>
                <span>"Begleitbuch · "{text(title)}</span>
            </span>
            <div class="header-actions">
                {move || signed_in().map(|view| view! {
                    <span class="signed-in" data-testid="signed-in-as">
                        {t::SIGNED_IN_AS.fill(lang.get(), &[&view.user.display_name])}
                    </span>
                })}
                <button type="button" class="button" lang=move || if lang.get() == Lang::De { "en" } else { "de" }
                    aria-label=text(t::LANGUAGE_SWITCH_LABEL) on:click=switch_language data-testid="language-switch">
                    {text(t::LANGUAGE_SWITCH)}
                </button>
                <Show when=move || signed_in().is_some()>
                    <button type="button" class="button" on:click=sign_out data-testid="sign-out">{text(t::SIGN_OUT)}</button>
                </Show>
            </div>
        </header>
        <Show when=move || !online.get()>
            <p class="notice notice-warn connection-notice" role="status" data-testid="offline-notice">{text(t::OFFLINE)}</p>
        </Show>
        <main id="main" class="content" tabindex="-1">
            {move || match phase.get() {
                Phase::Checking => view! { <p class="hint" role="status">{text(t::CHECKING)}</p> }.into_any(),
                Phase::Unreachable => view! {
                    <section class="card" data-testid="unreachable">
                        <p class="notice notice-warn">{text(t::OFFLINE)}</p>
                        <div class="form-actions">
                            <button type="button" class="button button-primary" on:click=move |_| check()>{text(t::TRY_AGAIN)}</button>
                        </div>
                    </section>
                }.into_any(),
                Phase::SignedOut { ended } => view! {
                    <SignInForm way=way lang=lang ended=ended on_signed_in=move |view| phase.set(Phase::SignedIn(view))/>
                }.into_any(),
                Phase::SignedIn(view) if view.way != way => {
                    let own = WayIn::of(view.user.role);
                    let role = t::role(view.user.role).get(lang.get_untracked());
                    view! {
                        <section class="card" data-testid="wrong-way">
                            <p>{move || t::WRONG_WAY_SIGNED_IN.fill(lang.get(), &[role])}</p>
                            <a class="button button-primary" href=own.path() data-testid="own-way-in">{text(t::go_to(own))}</a>
                        </section>
                    }.into_any()
                }
                Phase::SignedIn(view) if view.user.must_change_password => view! {
                    <PasswordForm lang=lang csrf_token=view.csrf_token.clone() on_changed=move |view| phase.set(Phase::SignedIn(view))/>
                }.into_any(),
                Phase::SignedIn(view) => page(SignedIn { view, lang, phase }),
            }}
        </main>
    }
}

#[component]
fn SignInForm(
    way: WayIn,
    lang: RwSignal<Lang>,
    ended: bool,
    #[prop(into)] on_signed_in: Callback<BrowserSignInView>,
) -> impl IntoView {
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        let (typed_login, typed_password) = (login.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match browser::sign_in(typed_login, typed_password, way).await {
                Ok(view) => on_signed_in.run(view),
                Err(error) => {
                    problem.set(Some(error.code().to_owned()));
                    busy.set(false);
                }
            }
        });
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <section class="card narrow" aria-labelledby="sign-in-title" data-testid="sign-in">
            <h1 id="sign-in-title">{text(t::SIGN_IN_TITLE)}</h1>
            {ended.then(|| view! { <p class="notice notice-warn" role="status" data-testid="signed-out-notice">{text(t::SIGNED_OUT_NOTICE)}</p> })}
            <form on:submit=submit>
                <div class="field">
                    <label class="field-label" for="login">{text(t::LOGIN)}</label>
                    <input id="login" name="username" autocomplete="username" autocapitalize="none" required bind:value=login/>
                </div>
                <div class="field">
                    <label class="field-label" for="password">{text(t::PASSWORD)}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required bind:value=password/>
                </div>
                <p class="form-problem" role="alert" data-testid="sign-in-error">
                    {move || problem.get().map(|code| error_text(lang.get(), &code))}
                </p>
                {move || problem.get().and_then(|code| t::way_of_refusal(&code)).map(|own| view! {
                    <p><a class="button button-primary" href=own.path() data-testid="own-way-in">{text(t::go_to(own))}</a></p>
                })}
                <div class="form-actions">
                    <button type="submit" class="button button-primary" data-testid="sign-in-submit" disabled=move || busy.get()>
                        {move || if busy.get() { t::SIGNING_IN.get(lang.get()) } else { t::SIGN_IN.get(lang.get()) }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn PasswordForm(
    lang: RwSignal<Lang>,
    csrf_token: String,
    #[prop(into)] on_changed: Callback<BrowserSignInView>,
) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<Text>);
    let csrf_token = StoredValue::new(csrf_token);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if new.get_untracked() != repeat.get_untracked() {
            problem.set(Some(t::PASSWORDS_DIFFER));
            return;
        }
        busy.set(true);
        problem.set(None);
        let (typed_current, typed_new) = (current.get_untracked(), new.get_untracked());
        spawn_local(async move {
            let changed = browser::change_password(&csrf_token.get_value(), typed_current, typed_new).await;
            match changed {
                Ok(()) => match browser::current().await {
                    Ok(view) => on_changed.run(view),
                    Err(error) => problem.set(Some(t::error(error.code()))),
                },
                Err(error) => problem.set(Some(t::error(error.code()))),
            }
            busy.set(false);
        });
    };
    let text = move |text: Text| move || text.get(lang.get());
    view! {
        <section class="card narrow" aria-labelledby="password-title" data-testid="password-change">
            <h1 id="password-title">{text(t::PASSWORD_TITLE)}</h1>
            <p>{text(t::PASSWORD_INTRO)}</p>
            <form on:submit=submit>
                <div class="field">
                    <label class="field-label" for="current-password">{text(t::CURRENT_PASSWORD)}</label>
                    <input id="current-password" type="password" autocomplete="current-password" required bind:value=current/>
                </div>
                <div class="field">
                    <label class="field-label" for="new-password">{text(t::NEW_PASSWORD)}</label>
                    <input id="new-password" type="password" autocomplete="new-password" minlength="10" required bind:value=new/>
                </div>
                <div class="field">
                    <label class="field-label" for="repeat-password">{text(t::REPEAT_PASSWORD)}</label>
                    <input id="repeat-password" type="password" autocomplete="new-password" minlength="10" required bind:value=repeat/>
                </div>
                <p class="form-problem" role="alert" data-testid="password-change-error">
                    {move || problem.get().map(|text| text.get(lang.get()))}
                </p>
                <div class="form-actions">
                    <button type="submit" class="button button-primary" data-testid="password-change-submit" disabled=move || busy.get()>
                        {text(t::SAVE_PASSWORD)}
                    </button>
                </div>
            </form>
        </section>
    }
}
