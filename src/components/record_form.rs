//! What the record forms (group session, observation, absence) share: the id a new record keeps across
//! retries, and the save and delete buttons with their confirmation.

use leptos::prelude::*;
use uuid::Uuid;

use crate::i18n::{t, use_i18n};
use crate::store::{new_id, StoreError};

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
