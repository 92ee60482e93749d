use std::collections::BTreeMap;

use begleitbuch_domain::authority::FieldRule;
use begleitbuch_domain::child::{Child, Goal};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{FieldConflict, RejectReason};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use leptos::prelude::*;
use uuid::Uuid;

use crate::features::attention::model::{
    shown_field, shown_value, summary, take_mine, FieldShown, Problem, Summary, ValueShown,
};
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::io::store::sync::AttentionItem;
use crate::runtime::state::AppStore;
use crate::text::format;
use crate::text::messages;

/// Zu klären (`/klaeren`): changes the server refused or answered with a conflict. Nothing here left
/// the device unseen: the user compares, then keeps the server's value, takes their own again, or
/// discards a refused change.
#[component]
pub fn AttentionPage() -> impl IntoView {
    let i18n = use_i18n();
    let app = expect_context::<AppStore>();
    // Each item with the record as the device holds it now.
    let items = RwSignal::new(Vec::<(AttentionItem, Option<RecordState>)>::new());
    // Children, colleagues and goals by id, so a conflict names them instead of showing their ids.
    let names = RwSignal::new(BTreeMap::<Uuid, String>::new());
    let (loaded, load_error) = app.load_on_change(
        |signed_in| async move {
            let (store, vault) = (&signed_in.store, &signed_in.vault);
            let mut found = Vec::new();
            for item in store.attention(vault).await? {
                let current = store.read(vault, item.mutation.kind, item.mutation.record).await?;
                found.push((item, current));
            }
            let children: Vec<Child> = store.all::<Child>(vault).await?;
            let goals: Vec<Goal> = store.all::<Goal>(vault).await?;
            let directory: Vec<PoolDirectory> = store.pool_directory(vault).await?;
            let mut known: BTreeMap<Uuid, String> =
                children.into_iter().map(|child| (child.id.0, child.display_name)).collect();
            known.extend(goals.into_iter().map(|goal| (goal.id.0, goal.title)));
            known.extend(
                directory
                    .into_iter()
                    .flat_map(|pool| pool.people)
                    .map(|person| (person.id.0, person.display_name)),
            );
            Ok((found, known))
        },
        move |(found, known)| {
            names.set(known);
            items.set(found);
        },
    );
    let failed = RwSignal::new(None::<crate::io::store::StoreError>);

    let resolve = move |item: AttentionItem, mine: Option<Vec<FieldConflict>>| {
        let Some(signed_in) = app.signed_in_untracked() else { return };
        leptos::task::spawn_local(async move {
            let store = &signed_in.store;
            let result = async {
                if let Some(conflicts) = mine {
                    let (kind, record) = (item.mutation.kind, item.mutation.record);
                    let current = store.read(&signed_in.vault, kind, record).await?;
                    store
                        .write(
                            &signed_in.vault,
                            kind,
                            record,
                            current.as_ref(),
                            take_mine(&item.mutation.change, &conflicts),
                        )
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
                                let rows = names.with_untracked(|names| {
                                    conflicts.iter().map(|c| conflict_row(locale, shown.kind, c, names)).collect_view()
                                });
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
                                    <p data-testid="attention-reason">{refused_text(locale, &code)}</p>
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
        // Only the kinds a companion writes reach "Zu klären" on a tablet; the rest share a word.
        RecordKind::Child
        | RecordKind::Goal
        | RecordKind::WeekReview
        | RecordKind::Consent
        | RecordKind::AuditEvent
        | RecordKind::Guardian => td_string!(locale, attention_kind.other),
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

fn field_label(locale: Locale, field: FieldShown, name: &str) -> String {
    match field {
        FieldShown::Date => td_string!(locale, field_date).to_string(),
        FieldShown::Start => td_string!(locale, field_start).to_string(),
        FieldShown::End => td_string!(locale, field_end).to_string(),
        FieldShown::Category => td_string!(locale, field_category).to_string(),
        FieldShown::Note => td_string!(locale, attention_note).to_string(),
        FieldShown::Duration => td_string!(locale, field_duration).to_string(),
        FieldShown::SessionKind => td_string!(locale, field_session_kind).to_string(),
        FieldShown::Group => td_string!(locale, field_group).to_string(),
        FieldShown::Children => td_string!(locale, session_children).to_string(),
        FieldShown::Unnamed => td_string!(locale, session_unnamed).to_string(),
        FieldShown::Companions => td_string!(locale, session_companions).to_string(),
        FieldShown::Child => td_string!(locale, observation_child).to_string(),
        FieldShown::Domains => td_string!(locale, observation_domains).to_string(),
        FieldShown::Goal => td_string!(locale, observation_goal).to_string(),
        FieldShown::Text => td_string!(locale, observation_text).to_string(),
        FieldShown::Visibility => td_string!(locale, observation_visibility).to_string(),
        FieldShown::Other => name.to_owned(),
    }
}

fn value_text(locale: Locale, value: ValueShown) -> String {
    let unknown = || td_string!(locale, attention_unknown_person).to_string();
    match value {
        ValueShown::Gone => td_string!(locale, attention_deleted).to_string(),
        ValueShown::Text(text) if text.is_empty() => td_string!(locale, attention_empty_value).to_string(),
        ValueShown::Text(text) => text,
        ValueShown::Date(date) => format::date(locale, date),
        ValueShown::Time(time) => format::time(locale, time),
        ValueShown::Minutes(minutes) => format::duration(locale, minutes),
        ValueShown::Count(count) => count.to_string(),
        ValueShown::Category(category) => format::category(locale, category),
        ValueShown::SessionKind(kind) => format::session_kind(locale, kind),
        ValueShown::Domains(domains) if domains.is_empty() => td_string!(locale, attention_none).to_string(),
        ValueShown::Domains(domains) => domains
            .iter()
            .map(|domain| format::observation_domain(locale, *domain))
            .collect::<Vec<_>>()
            .join(", "),
        ValueShown::People(people) if people.is_empty() => td_string!(locale, attention_none).to_string(),
        ValueShown::People(people) => {
            people.into_iter().map(|name| name.unwrap_or_else(unknown)).collect::<Vec<_>>().join(", ")
        }
        ValueShown::Goal(None) => td_string!(locale, observation_no_goal).to_string(),
        ValueShown::Goal(Some(title)) => title.unwrap_or_else(unknown),
        ValueShown::Shareable(true) => td_string!(locale, observation_shareable).to_string(),
        ValueShown::Shareable(false) => td_string!(locale, observation_internal).to_string(),
    }
}

fn conflict_row(
    locale: Locale,
    kind: RecordKind,
    conflict: &FieldConflict,
    names: &BTreeMap<Uuid, String>,
) -> impl IntoView {
    let field = shown_field(kind, &conflict.field);
    let label = field_label(locale, field, &conflict.field);
    let yours = value_text(locale, shown_value(field, &conflict.yours, names));
    let kept = value_text(locale, shown_value(field, &conflict.kept, names));
    view! {
        <dt>{label}</dt>
        <dd data-testid="conflict-yours">{td_string!(locale, attention_yours, value = yours).to_string()}</dd>
        <dd data-testid="conflict-kept">{td_string!(locale, attention_kept, value = kept).to_string()}</dd>
    }
}

fn refused_text(locale: Locale, reason: &RejectReason) -> String {
    match reason {
        RejectReason::WeekLocked => td_string!(locale, attention_refused.week_locked).to_string(),
        RejectReason::ConsentMissing => td_string!(locale, attention_refused.consent_missing).to_string(),
        RejectReason::Forbidden => td_string!(locale, attention_refused.forbidden).to_string(),
        RejectReason::FieldRefused { rule: FieldRule::Decision, .. } => {
            td_string!(locale, attention_refused.decision).to_string()
        }
        RejectReason::FieldRefused { rule: FieldRule::Fixed, .. } => {
            td_string!(locale, attention_refused.fixed).to_string()
        }
        RejectReason::FieldRefused {
            rule: FieldRule::Caller | FieldRule::PoolMember | FieldRule::Companion | FieldRule::Guardian,
            ..
        } => td_string!(locale, attention_refused.person).to_string(),
        RejectReason::NumberReused => td_string!(locale, attention_refused.number_reused).to_string(),
        // The rule the record broke, in the words the forms use.
        RejectReason::Invalid { error } => {
            let rule = messages::validation_error(locale, error, None);
            td_string!(locale, attention_refused.invalid, rule).to_string()
        }
        RejectReason::RecordDeleted | RejectReason::UnknownRecord => {
            td_string!(locale, attention_refused.record_gone).to_string()
        }
        // A paper form and a guardian's children are the office's; a tablet never writes them.
        RejectReason::FieldRefused { rule: FieldRule::Form | FieldRule::ProviderChild, .. }
        | RejectReason::KindMismatch
        | RejectReason::BadPayload { .. }
        | RejectReason::UnsupportedPayloadVersion { .. } => {
            td_string!(locale, attention_refused.other).to_string()
        }
    }
}
