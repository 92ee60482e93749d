use begleitbuch_domain::ids::AbsenceId;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::{Absence, AbsenceReason};
use leptos::prelude::*;
use uuid::Uuid;

use crate::editing::fields::FormError;
use crate::features::absence::form::{absence, DaysDraft};
use crate::i18n::{t, td_string, use_i18n};
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages::{self, Problem};
use crate::ui::record_form::{record_id, write_change, FormStatus};

/// Abwesenheit: the companion marks themselves absent for whole days (sick, holiday, training); the
/// team lead sees it after the next sync and arranges cover.
#[component]
pub fn AbsencePage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let today = crate::runtime::clock::today();
    let days = RwSignal::new(DaysDraft::starting(today));
    let reason = RwSignal::new(AbsenceReason::Sick);
    let problem = RwSignal::new(None::<Problem>);
    let notice = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let status = FormStatus { busy: saving, problem };
    let pending_id = RwSignal::new(None::<Uuid>);
    let mine = RwSignal::new(Vec::<(Absence, RecordState)>::new());

    let (loaded, load_error) = app.load_on_change(
        move |signed_in| async move {
            let absences = signed_in.store.all_with_state::<Absence>(&signed_in.vault).await?;
            Ok((signed_in.user(), absences))
        },
        move |(me, absences)| {
            let mut list: Vec<(Absence, RecordState)> =
                absences.into_iter().filter(|(a, _)| a.companion == me && a.until >= today).collect();
            list.sort_by_key(|(a, _)| a.from);
            mine.set(list);
        },
    );

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(signed_in) = app.signed_in() else { return };
        let id = match record_id(None, pending_id) {
            Ok(id) => AbsenceId(id),
            Err(error) => return problem.set(Some(Problem::Store(error))),
        };
        // An absence belongs to a pool the companion is a member of, never to one they cover.
        let Some(pool) = signed_in.pools.default_own() else {
            return problem.set(Some(Problem::Form(FormError::NoPool)));
        };
        let made = days.with_untracked(|d| absence(id, pool, signed_in.user(), d, reason.get_untracked()));
        let made = match made {
            Ok(made) => made,
            Err(error) => return problem.set(Some(Problem::Form(error))),
        };
        let Some(change) = Change::between(None, &made) else { return };
        write_change(app, status, RecordKind::Absence, id.0, None, change, move || {
            pending_id.set(None);
            problem.set(None);
            notice.set(true);
            days.set(DaysDraft::starting(today));
        });
    };

    let withdraw = move |state: RecordState| {
        write_change(app, status, RecordKind::Absence, state.id, Some(state), Change::Delete, || {});
    };

    view! {
        <section class="page" data-testid="page-abwesenheit" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{t!(i18n, absence_heading)}</h1>
                <a class="button" href="/woche">{t!(i18n, action_back)}</a>
            </header>
            {move || load_error.get().map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            <form class="card entry-form" on:submit=save novalidate=true data-testid="absence-form">
                <p class="hint">{t!(i18n, absence_hint)}</p>
                <div class="form-row">
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_from)}</span>
                        <input id="absence-from" type="date" required=true aria-describedby="absence-problem"
                            prop:value=move || days.with(|d| d.from.clone())
                            on:change=move |ev| { let value = event_target_value(&ev); days.update(|d| d.from = value); }/>
                    </label>
                    <label class="field">
                        <span class="field-label">{t!(i18n, field_until)}</span>
                        <input id="absence-until" type="date" required=true aria-describedby="absence-problem"
                            prop:value=move || days.with(|d| d.until.clone())
                            on:change=move |ev| { let value = event_target_value(&ev); days.update(|d| d.until = value); }/>
                    </label>
                </div>
                <fieldset class="field">
                    <legend class="field-label">{t!(i18n, absence_reason_label)}</legend>
                    <div class="choice-row">
                        {AbsenceReason::ALL.into_iter().map(|choice| view! {
                            <label class="choice">
                                <input type="radio" name="absence-reason" data-testid=format!("absence-{}", choice.code())
                                    prop:checked=move || reason.get() == choice
                                    on:change=move |_| reason.set(choice)/>
                                <span>{move || format::absence_reason(i18n.get_locale(), choice)}</span>
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
                <p id="absence-problem" class="form-problem" role="alert" data-testid="absence-problem">
                    {move || problem.get().map(|p| messages::problem(i18n.get_locale(), &p))}
                </p>
                <button type="submit" class="button button-primary" data-testid="absence-save" disabled=move || saving.get()>
                    {t!(i18n, absence_save)}
                </button>
                <p class="visually-hidden" role="status">{move || if notice.get() { td_string!(i18n.get_locale(), absence_saved) } else { "" }}</p>
            </form>
            <section class="card" aria-labelledby="absences-heading">
                <h2 id="absences-heading">{t!(i18n, absence_list_heading)}</h2>
                <Show when=move || !mine.with(Vec::is_empty) fallback=move || view! { <p class="hint">{t!(i18n, absence_none)}</p> }>
                    <ul class="entry-list" data-testid="absence-list">
                        {move || {
                            let locale = i18n.get_locale();
                            mine.get().into_iter().map(|(absent, state)| {
                                let range = format::date_range(locale, absent.from, absent.until);
                                let why = format::absence_reason(locale, absent.reason);
                                view! {
                                    <li class="entry" data-testid="absence">
                                        <div class="entry-main">
                                            <span class="entry-time">{range}</span>
                                            <span class="entry-category">{why}</span>
                                        </div>
                                        <div class="entry-actions">
                                            <button type="button" class="button" data-testid="absence-withdraw"
                                                on:click=move |_| withdraw(state.clone())>
                                                {td_string!(locale, absence_withdraw).to_string()}
                                            </button>
                                        </div>
                                    </li>
                                }
                            }).collect_view()
                        }}
                    </ul>
                </Show>
            </section>
        </section>
    }
}
