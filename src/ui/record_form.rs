//! What the record forms (group session, observation, absence) share: the id a new record keeps across
//! retries, and the save and delete buttons with their confirmation.

use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::review::{week_approved, WeekReview};
use begleitbuch_domain::validate::Field;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use crate::i18n::{t, use_i18n, Locale};
use crate::io::store::{new_id, StoreError};
use crate::runtime::state::AppStore;
use crate::text::messages::{self, Problem};

/// The id of the record a form saves: the stored record's when editing (`existing`), otherwise one made
/// at the first save attempt and kept in `kept`, so that a save repeated after an error cannot create
/// the record twice.
pub fn record_id(existing: Option<Uuid>, kept: RwSignal<Option<Uuid>>) -> Result<Uuid, StoreError> {
    if let Some(id) = existing.or_else(|| kept.get_untracked()) {
        return Ok(id);
    }
    let id = new_id()?;
    kept.set(Some(id));
    Ok(id)
}

/// Whether a work record can no longer change: the companion's week of the typed day (`date`, as
/// typed) or of the stored record's day is approved.
pub fn week_locked(reviews: &[WeekReview], me: UserId, date: &str, stored: Option<NaiveDate>) -> bool {
    let typed = crate::editing::fields::parse_date(date).ok();
    typed.into_iter().chain(stored).any(|day| week_approved(reviews, me, day))
}

/// The frame of a record form: the store's load error, "not on this device" when the record to edit
/// is missing (`<prefix>-missing`), and the approved-week notice above the form (`<prefix>-locked`).
#[component]
pub fn RecordFormFrame(
    prefix: &'static str,
    load_error: RwSignal<Option<StoreError>>,
    #[prop(into)] missing: Signal<bool>,
    #[prop(into)] not_found: Signal<String>,
    #[prop(into)] locked: Signal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || load_error.get().map(|error| view! {
            <p class="form-problem" role="alert">{messages::store_error(i18n.get_locale(), &error)}</p>
        })}
        <Show when=move || !missing.get() fallback=move || view! {
            <p class="empty-state" data-testid=format!("{prefix}-missing")>{move || not_found.get()}</p>
        }>
            <Show when=move || locked.get()>
                <p class="notice notice-warn" role="status" data-testid=format!("{prefix}-locked")>{t!(i18n, week_locked_notice)}</p>
            </Show>
            {children()}
        </Show>
    }
}

/// A form's state while it saves: busy (buttons disabled), and the last problem to show.
#[derive(Clone, Copy)]
pub struct FormStatus {
    pub busy: RwSignal<bool>,
    pub problem: RwSignal<Option<Problem>>,
}

impl FormStatus {
    /// The field the last problem is about, if any (tracked).
    fn about(self) -> Option<Field> {
        self.problem.with(|problem| match problem {
            Some(Problem::Form(error)) => messages::form_error_field(error),
            _ => None,
        })
    }

    /// `aria-invalid` of the field the last problem is about.
    pub fn invalid(self, field: Field) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || (self.about() == Some(field)).to_string()
    }

    /// The last problem in words if it is about `field`, for the line beside that field's control.
    pub fn text_about(self, locale: Locale, field: Field) -> Option<String> {
        (self.about() == Some(field)).then(|| self.text(locale)).flatten()
    }

    /// The last problem in words for the form's own problem line, unless it is about one of `beside`,
    /// which say it next to their control (where the user is looking, not below the form).
    pub fn text_unless_beside(self, locale: Locale, beside: &[Field]) -> Option<String> {
        let about = self.about();
        (!about.is_some_and(|field| beside.contains(&field))).then(|| self.text(locale)).flatten()
    }

    fn text(self, locale: Locale) -> Option<String> {
        self.problem.with(|problem| problem.as_ref().map(|problem| messages::problem(locale, problem)))
    }
}

/// Writes a form's change through the outbox (`base`: the record as the user saw it), busy meanwhile.
/// Then `done` runs (the form navigates away), or the store's error becomes the form's problem and the
/// form keeps what was typed.
pub fn write_change(
    app: AppStore,
    status: FormStatus,
    kind: RecordKind,
    record: Uuid,
    base: Option<RecordState>,
    change: Change,
    done: impl FnOnce() + 'static,
) {
    let Some(signed_in) = app.signed_in() else { return };
    let FormStatus { busy, problem } = status;
    busy.set(true);
    spawn_local(async move {
        match signed_in.store.write(&signed_in.vault, kind, record, base.as_ref(), change).await {
            Ok(_) => {
                app.changed();
                done();
            }
            Err(error) => problem.set(Some(Problem::Store(error))),
        }
        busy.set(false);
    });
}

/// Save, and for a stored record delete with a second tap to confirm. `prefix` names the test ids
/// (`<prefix>-save`, `<prefix>-delete`, `<prefix>-confirm-delete`).
#[component]
pub fn RecordFormActions<D>(
    prefix: &'static str,
    /// Saving is under way, or the week is approved.
    #[prop(into)]
    disabled: Signal<bool>,
    /// A stored record the user may still delete.
    #[prop(into)]
    deletable: Signal<bool>,
    delete: D,
) -> impl IntoView
where
    D: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let confirming = RwSignal::new(false);
    view! {
        <div class="form-actions">
            <button type="submit" class="button button-primary" data-testid=format!("{prefix}-save") disabled=move || disabled.get()>
                {t!(i18n, action_save)}
            </button>
            <Show when=move || deletable.get()>
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="button" class="button" data-testid=format!("{prefix}-delete")
                        on:click=move |_| confirming.set(true)>{t!(i18n, action_delete)}</button>
                }>
                    <button type="button" class="button button-danger" data-testid=format!("{prefix}-confirm-delete")
                        on:click=move |_| delete()>{t!(i18n, action_confirm_delete)}</button>
                    <button type="button" class="button" on:click=move |_| confirming.set(false)>{t!(i18n, action_keep)}</button>
                </Show>
            </Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::calendar::Week;
    use begleitbuch_domain::ids::{PoolId, WeekReviewId};
    use begleitbuch_domain::review::ReviewStatus;

    #[test]
    fn a_record_is_locked_when_its_typed_or_its_stored_day_lies_in_an_approved_week() {
        let me = UserId(Uuid::from_u128(1));
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let approved = WeekReview {
            id: WeekReviewId(Uuid::from_u128(2)),
            pool: PoolId(Uuid::from_u128(3)),
            companion: me,
            week: Week::of(monday),
            status: ReviewStatus::Approved,
            comment: String::new(),
            decided: None,
        };
        let reviews = [approved];
        assert!(week_locked(&reviews, me, "2026-11-25", None));
        assert!(!week_locked(&reviews, me, "2026-12-01", None));
        assert!(
            week_locked(&reviews, me, "2026-12-01", Some(monday)),
            "moving it out of the week is a change too"
        );
        assert!(!week_locked(&reviews, me, "kein Datum", None));
    }
}
