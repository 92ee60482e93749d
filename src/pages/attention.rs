use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::sync::{FieldConflict, RecordState};
use leptos::prelude::*;
use serde_json::Value;

use crate::attention::{summary, take_mine, Problem, Summary};
use crate::format;
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::messages;
use crate::session::AppStore;
use crate::store::sync::AttentionItem;

/// Zu klären (`/klaeren`): changes the server refused or answered with a conflict. Nothing here left
/// the device unseen: the user compares, then keeps the server's value, takes their own again, or
/// discards a refused change.
#[component]
pub fn AttentionPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    // Each item with the record as the device holds it now.
    let items = RwSignal::new(Vec::<(AttentionItem, Option<RecordState>)>::new());
    let (loaded, load_error) = app.load_on_change(
        |session| async move {
            let mut found = Vec::new();
            for item in session.store.attention(&session.vault).await? {
                let current =
                    session.store.read(&session.vault, item.mutation.kind, item.mutation.record).await?;
                found.push((item, current));
            }
            Ok(found)
        },
        move |found| items.set(found),
    );
    let failed = RwSignal::new(None::<crate::store::StoreError>);

    let resolve = move |item: AttentionItem, mine: Option<Vec<FieldConflict>>| {
        let Some(session) = app.session_untracked() else { return };
        leptos::task::spawn_local(async move {
            let store = &session.store;
            let result = async {
                if let Some(conflicts) = mine {
                    let (kind, record) = (item.mutation.kind, item.mutation.record);
                    let current = store.read(&session.vault, kind, record).await?;
                    store
                        .write(&session.vault, kind, record, current.as_ref(), take_mine(&conflicts))
                        .await?;
                }
                store.resolve_attention(item.mutation.number).await
            }
            .await;
            match result {
                Ok(()) => {
                    failed.set(None);
                    app.changed();
                    app.refresh_attention().await;
                    app.sync_now();
                }
                Err(error) => failed.set(Some(error)),
            }
        });
    };

    view! {
        <section class="page" data-testid="page-klaeren" data-ready=move || loaded.get().to_string()>
            <header class="page-header">
                <h1>{t!(i18n, attention_heading)}</h1>
                <p class="hint">{t!(i18n, attention_hint)}</p>
            </header>
            {move || load_error.get().or(failed.get()).map(|error| view! {
                <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
            })}
            {move || (loaded.get() && items.with(Vec::is_empty)).then(|| view! {
                <p class="card" data-testid="attention-empty">{t!(i18n, attention_empty)}</p>
            })}
            <ul class="attention-list">
                <For each=move || items.get() key=|(item, _)| item.mutation.number let:entry>
                    {
                        let (item, current) = entry;
                        let locale = i18n.get_locale_untracked();
                        let shown = summary(&item, current.as_ref());
                        let title = title(locale, &shown);
                        let note = shown.note.clone();
                        let actions = match shown.problem.clone() {
                            Problem::Conflict(conflicts) => {
                                let (keep, mine) = (item.clone(), item.clone());
                                let rows = conflicts.iter().map(|c| conflict_row(locale, c)).collect_view();
                                view! {
                                    <p>{t!(i18n, attention_conflict)}</p>
                                    <dl class="conflict-values">{rows}</dl>
                                    <div class="form-actions">
                                        <button type="button" class="button button-primary" data-testid="attention-take-mine"
                                            on:click=move |_| resolve(mine.clone(), Some(conflicts.clone()))>
                                            {t!(i18n, attention_take_mine)}
                                        </button>
                                        <button type="button" class="button" data-testid="attention-keep-server"
                                            on:click=move |_| resolve(keep.clone(), None)>
                                            {t!(i18n, attention_keep_server)}
                                        </button>
                                    </div>
                                }.into_any()
                            }
                            Problem::Refused(code) => {
                                let discard = item.clone();
                                view! {
                                    <p data-testid="attention-reason">{refused_text(locale, code)}</p>
                                    <div class="form-actions">
                                        <button type="button" class="button" data-testid="attention-discard"
                                            on:click=move |_| resolve(discard.clone(), None)>
                                            {t!(i18n, attention_discard)}
                                        </button>
                                    </div>
                                }.into_any()
                            }
                        };
                        view! {
                            <li class="card attention-item" data-testid="attention-item">
                                <h2>{title}</h2>
                                {note.map(|note| view! { <p class="entry-note">{note}</p> })}
                                {actions}
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

fn title(locale: Locale, shown: &Summary) -> String {
    let kind = match shown.kind {
        RecordKind::TimeEntry => td_string!(locale, attention_kind.time_entry),
        RecordKind::GroupSession => td_string!(locale, attention_kind.group_session),
        RecordKind::Observation => td_string!(locale, attention_kind.observation),
        RecordKind::Absence => td_string!(locale, attention_kind.absence),
        RecordKind::CoverGrant => td_string!(locale, attention_kind.cover_grant),
        _ => td_string!(locale, attention_kind.other),
    };
    let mut parts = vec![kind.to_string()];
    if let Some(date) = shown.date {
        parts.push(format::date(locale, date));
    }
    if let (Some(start), Some(end)) = (shown.start, shown.end) {
        parts.push(format::time_range(locale, start, end));
    }
    parts.join(" · ")
}

fn field_label(locale: Locale, field: &str) -> String {
    match field {
        "note" => td_string!(locale, field_note).to_string(),
        "start" => td_string!(locale, field_start).to_string(),
        "end" => td_string!(locale, field_end).to_string(),
        "category" => td_string!(locale, field_category).to_string(),
        other => other.to_owned(),
    }
}

fn value_text(locale: Locale, field: &str, value: &Value) -> String {
    match (field, value) {
        (_, Value::Null) => td_string!(locale, attention_deleted).to_string(),
        ("category", value) => serde_json::from_value(value.clone())
            .map(|category| format::category(locale, crate::time_entry_form::category_code(category)))
            .unwrap_or_else(|_| value.to_string()),
        (_, Value::String(text)) => match chrono::NaiveTime::parse_from_str(text, "%H:%M:%S") {
            Ok(time) => format::time(locale, time),
            Err(_) => text.clone(),
        },
        (_, other) => other.to_string(),
    }
}

fn conflict_row(locale: Locale, conflict: &FieldConflict) -> impl IntoView {
    let field = field_label(locale, &conflict.field);
    let yours = value_text(locale, &conflict.field, &conflict.yours);
    let kept = value_text(locale, &conflict.field, &conflict.kept);
    view! {
        <dt>{field}</dt>
        <dd data-testid="conflict-yours">{td_string!(locale, attention_yours, value = yours).to_string()}</dd>
        <dd data-testid="conflict-kept">{td_string!(locale, attention_kept, value = kept).to_string()}</dd>
    }
}

fn refused_text(locale: Locale, code: &str) -> String {
    match code {
        "week_locked" => td_string!(locale, attention_refused.week_locked),
        "consent_missing" => td_string!(locale, attention_refused.consent_missing),
        "forbidden" => td_string!(locale, attention_refused.forbidden),
        "invalid" => td_string!(locale, attention_refused.invalid),
        "record_deleted" | "unknown_record" => td_string!(locale, attention_refused.record_gone),
        _ => td_string!(locale, attention_refused.other),
    }
    .to_string()
}
