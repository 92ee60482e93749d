use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::child::{Child, LegalBasis, SupportStatus};
use begleitbuch_domain::consent::Consent;
use begleitbuch_domain::review::CoverGrant;
use begleitbuch_domain::work::GroupSession;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;

use crate::features::absence::form::my_cover_on;
use crate::features::children::model::{child_rows, ChildRow};
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages;
use begleitbuch_domain::worktime::first_day_needed;

/// Kinder: the children of the companion's pools, as they arrive through sync, with what they
/// received this week and month and which consents their parents gave.
#[component]
pub fn ChildrenPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    let today = crate::runtime::clock::today();
    let rows = RwSignal::new(Vec::<ChildRow>::new());
    // The pools this companion covers today, by institution, and until when.
    let covering = RwSignal::new(Vec::<(String, NaiveDate)>::new());
    let (cover_loaded, cover_error) = app.load_on_change(
        move |signed_in| async move {
            let grants: Vec<CoverGrant> = signed_in.store.all::<CoverGrant>(&signed_in.vault).await?;
            let directory = signed_in.store.pool_directory(&signed_in.vault).await?;
            Ok(my_cover_on(&grants, signed_in.user(), today)
                .into_iter()
                .map(|grant| {
                    let institution = directory
                        .iter()
                        .find(|pool| pool.id == grant.pool)
                        .map(|pool| pool.institution.clone())
                        .unwrap_or_default();
                    (institution, grant.until)
                })
                .collect())
        },
        move |list| covering.set(list),
    );
    let (loaded, load_error) = app.load_on_change(
        move |signed_in| async move {
            let store = &signed_in.store;
            let vault = &signed_in.vault;
            let last_day = Week::of(today).days()[6];
            Ok((
                store.all::<Child>(vault).await?,
                store.all::<Consent>(vault).await?,
                store.dated::<GroupSession>(vault, first_day_needed(today), last_day).await?,
            ))
        },
        move |(children, consents, sessions)| {
            rows.set(child_rows(&children, &sessions, &consents, today, Utc::now()));
        },
    );

    view! {
        // Ready when the children and the cover notice are both read.
        <section class="page" data-testid="page-kinder"
            data-ready=move || (loaded.get() && cover_loaded.get()).to_string()>
            <header class="page-header">
                <h1>{t!(i18n, children_heading)}</h1>
            </header>
            {move || {
                let locale = i18n.get_locale();
                covering.get().into_iter().map(|(institution, until)| {
                    let until = format::date(locale, until);
                    view! {
                        <p class="notice notice-warn" data-testid="cover-notice">
                            {td_string!(locale, children_cover_notice, institution, until).to_string()}
                        </p>
                    }
                }).collect_view()
            }}
            {move || load_error.get().or_else(|| cover_error.get()).map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            <Show when=move || !rows.with(Vec::is_empty)
                fallback=move || view! { <p class="empty-state">{t!(i18n, children_empty)}</p> }>
                <ul class="child-list" data-testid="child-list">
                    {move || {
                        let locale = i18n.get_locale();
                        rows.get().into_iter().map(|row| child_card(locale, row, true)).collect_view()
                    }}
                </ul>
            </Show>
        </section>
    }
}

fn legal_basis(locale: Locale, basis: LegalBasis) -> String {
    match basis {
        LegalBasis::Sgb8Section35a => td_string!(locale, child_basis_35a).to_string(),
        LegalBasis::Sgb9Section112 => td_string!(locale, child_basis_112).to_string(),
        LegalBasis::SystemicOnly => td_string!(locale, child_basis_systemic).to_string(),
    }
}

fn consent_badge(locale: Locale, granted: bool, label: String) -> impl IntoView {
    let state = if granted {
        td_string!(locale, child_consent_yes).to_string()
    } else {
        td_string!(locale, child_consent_no).to_string()
    };
    view! {
        <li class="badge" class:badge-ok=granted class:badge-missing=!granted>{format!("{label}: {state}")}</li>
    }
}

/// One child's card; on the list its name links to the child's page.
pub fn child_card(locale: Locale, row: ChildRow, linked: bool) -> impl IntoView {
    let child = &row.child;
    let approved = match child.approved_minutes_per_week {
        Some(minutes) => {
            let amount = format::duration(locale, minutes);
            td_string!(locale, child_approved_per_week, amount).to_string()
        }
        None => td_string!(locale, child_no_individual_hours).to_string(),
    };
    let week = format::duration(locale, row.week_minutes);
    let month = format::duration(locale, row.month_minutes);
    let group = child.group.clone();
    let status = match child.status {
        SupportStatus::Supported => None,
        SupportStatus::Waiting => Some(td_string!(locale, child_status_waiting).to_string()),
        SupportStatus::Unsupplied => Some(td_string!(locale, child_status_unsupplied).to_string()),
        SupportStatus::Ended => Some(td_string!(locale, child_status_ended).to_string()),
    };
    view! {
        <li class="card child-card" data-testid="child">
            <div class="child-head">
                <h2 class="child-name">
                    {if linked {
                        view! { <a href=format!("/kinder/{}", child.id.0) data-testid="child-link">{child.display_name.clone()}</a> }.into_any()
                    } else {
                        child.display_name.clone().into_any()
                    }}
                </h2>
                {status.map(|status| view! { <span class="badge badge-warn" data-testid="child-status">{status}</span> })}
            </div>
            <p class="child-facts">
                {td_string!(locale, child_group, group).to_string()} " · " {legal_basis(locale, child.legal_basis)}
            </p>
            <dl class="child-minutes">
                <div>
                    <dt>{td_string!(locale, child_approved).to_string()}</dt>
                    <dd>{approved}</dd>
                </div>
                <div>
                    <dt>{td_string!(locale, child_this_week).to_string()}</dt>
                    <dd data-testid="child-week">{week}</dd>
                </div>
                <div>
                    <dt>{td_string!(locale, child_this_month).to_string()}</dt>
                    <dd data-testid="child-month">{month}</dd>
                </div>
            </dl>
            <ul class="badges" aria-label=td_string!(locale, child_consents).to_string()>
                {consent_badge(locale, row.documentation, td_string!(locale, child_consent_documentation).to_string())}
                {consent_badge(locale, row.naming, td_string!(locale, child_consent_naming).to_string())}
                {consent_badge(locale, row.parent_summary, td_string!(locale, child_consent_parent_summary).to_string())}
            </ul>
        </li>
    }
}
