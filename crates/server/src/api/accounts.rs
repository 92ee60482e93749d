//! Team leads and admins manage their provider's accounts and devices.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use begleitbuch_domain::ids::{DeviceId, UserId};
use begleitbuch_domain::org::Institution;
use begleitbuch_domain::people::Role;
use begleitbuch_store::{Person, StoreError, UserRecord};
use uuid::Uuid;

use super::extract::{ApiJson, ApiPath, Authenticated};
use super::ApiError;
use crate::auth;
use crate::AppState;
use begleitbuch_domain::account::{AccountStatus, NewPerson, OneTimePassword, PersonView, TabletView};

const MAX_DISPLAY_NAME_CHARS: usize = 80;
const MAX_LOGIN_CHARS: usize = 64;

/// The account `id` if the manager's provider has it and the manager may manage its role. Another
/// provider's account answers 404, like one that does not exist. Managing accounts is the office's.
async fn managed_user(state: &AppState, caller: &Authenticated, id: Uuid) -> Result<UserRecord, ApiError> {
    caller.office()?;
    let user = state.store.user(UserId(id)).await?.filter(|u| u.provider == caller.user.provider);
    let user = user.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "user_not_found", "no such user"))?;
    if !caller.user.role.may_manage(user.role) {
        return Err(ApiError::forbidden());
    }
    Ok(user)
}

/// `GET /api/v1/users`: the provider's accounts for its managers. Team leads see the staff (not the
/// parents' accounts, which they do not manage); admins see everyone.
pub async fn people(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<PersonView>>, ApiError> {
    caller.office()?;
    let manager = caller.user.role;
    let people = state.store.people(caller.user.provider).await?;
    let views = people
        .into_iter()
        .filter(|person| manager == Role::Admin || person.user.role != Role::Parent)
        .map(|Person { user, last_active_at }| PersonView {
            status: if user.disabled {
                AccountStatus::Deactivated
            } else if user.must_change_password {
                AccountStatus::FirstPasswordPending
            } else {
                AccountStatus::Active
            },
            manageable: manager.may_manage(user.role) && user.id != caller.user.id,
            id: user.id,
            login: user.login,
            display_name: user.display_name,
            role: user.role,
            last_active_at,
        })
        .collect();
    Ok(Json(views))
}

/// `POST /api/v1/users`: a new account in the manager's provider, with a one-time password made here
/// and answered once; the user must change it at their first sign-in.
pub async fn create_user(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<NewPerson>,
) -> Result<(StatusCode, Json<OneTimePassword>), ApiError> {
    caller.office()?;
    if !caller.user.role.may_manage(request.role) {
        return Err(ApiError::forbidden());
    }
    let login = auth::normalise_login(&request.login);
    let display_name = request.display_name.trim().to_owned();
    if login.is_empty()
        || login.chars().count() > MAX_LOGIN_CHARS
        || login.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_login",
            format!("the login must have 1 to {MAX_LOGIN_CHARS} characters and no spaces"),
        ));
    }
    if display_name.is_empty()
        || display_name.chars().count() > MAX_DISPLAY_NAME_CHARS
        || !begleitbuch_domain::validate::is_one_plain_line(&display_name)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_display_name",
            format!("the display name must be one line of 1 to {MAX_DISPLAY_NAME_CHARS} characters"),
        ));
    }
    let password = auth::one_time_password();
    let password_hash = super::auth::hash_in_turn(&state, password.clone()).await?;
    let user = UserRecord {
        id: UserId(Uuid::now_v7()),
        provider: caller.user.provider,
        login,
        display_name,
        role: request.role,
        password_hash,
        must_change_password: true,
        disabled: false,
    };
    match state.store.create_user(&user, state.clock.now_millis()).await {
        Ok(()) => {
            tracing::info!(user = %user.id, by = %caller.user.id, role = user.role.code(), "account created");
            Ok((StatusCode::CREATED, Json(OneTimePassword { id: user.id, one_time_password: password })))
        }
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::new(StatusCode::CONFLICT, "login_taken", "this login is already in use"))
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /api/v1/users/{id}/password`: a new one-time password, answered once, which the user must
/// change; signs the user out everywhere (their unsynced changes stay on the tablets until they sign
/// in again).
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<OneTimePassword>, ApiError> {
    let user = managed_user(&state, &caller, id).await?;
    let password = auth::one_time_password();
    let hash = super::auth::hash_in_turn(&state, password.clone()).await?;
    state.store.set_password(user.id, &hash, true, state.clock.now_millis()).await?;
    state.store.revoke_user_tokens(user.id, None).await?;
    tracing::info!(user = %user.id, by = %caller.user.id, "password reset");
    Ok(Json(OneTimePassword { id: user.id, one_time_password: password }))
}

/// `POST /api/v1/users/{id}/deactivate`: no more sign-ins and every session ends; what the person
/// recorded stays, and their tablets keep any unsynced changes until the account is activated again.
pub async fn deactivate(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let user = managed_user(&state, &caller, id).await?;
    if user.id == caller.user.id {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "cannot_deactivate_self",
            "you cannot deactivate your own account",
        ));
    }
    state.store.set_disabled(user.id, true).await?;
    state.store.revoke_user_tokens(user.id, None).await?;
    tracing::info!(user = %user.id, by = %caller.user.id, "account deactivated");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/users/{id}/activate`: a deactivated account can sign in again with its password.
pub async fn activate(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let user = managed_user(&state, &caller, id).await?;
    state.store.set_disabled(user.id, false).await?;
    tracing::info!(user = %user.id, by = %caller.user.id, "account activated");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/users/{id}/revoke-tokens`: signs the user out on every device.
pub async fn revoke_user_tokens(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    let user = managed_user(&state, &caller, id).await?;
    state.store.revoke_user_tokens(user.id, None).await?;
    tracing::info!(user = %user.id, by = %caller.user.id, "tokens revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/devices`: the provider's tablets with their last contact, and per person on each what
/// it last reported holding.
pub async fn devices(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<TabletView>>, ApiError> {
    caller.office()?;
    let devices = state.store.devices(caller.user.provider).await?;
    let mut people: std::collections::HashMap<_, Vec<_>> = std::collections::HashMap::new();
    for (device, person) in state.store.tablet_people(caller.user.provider).await? {
        people.entry(device).or_default().push(person);
    }
    let tablets = devices
        .into_iter()
        .map(|device| TabletView {
            people: people.remove(&device.id).unwrap_or_default(),
            id: device.id,
            label: device.label,
            last_seen_at: device.last_seen_at,
            revoked: device.revoked,
        })
        .collect();
    Ok(Json(tablets))
}

/// `POST /api/v1/devices/{id}/revoke`: the device loses every token and is told to wipe at next contact.
pub async fn revoke_device(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    caller.office()?;
    let device = state.store.device(DeviceId(id)).await?.filter(|d| d.provider == caller.user.provider);
    let device =
        device.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "device_not_found", "no such device"))?;
    // Revoking signs out everyone on the device: only someone who may manage all of them (or is one
    // of them) may; a team lead cannot wipe an admin's tablet.
    let people = state.store.signed_in_on(device.id).await?;
    if !people.iter().all(|(user, role)| *user == caller.user.id || caller.user.role.may_manage(*role)) {
        return Err(ApiError::forbidden());
    }
    state.store.revoke_device(device.id, state.clock.now_millis()).await?;
    tracing::info!(device = %device.id, by = %caller.user.id, "device revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/institutions`: the provider's institutions with their allocated FTE per school year.
pub async fn institutions(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<Institution>>, ApiError> {
    caller.require_manager()?;
    Ok(Json(state.store.institutions(caller.user.provider).await?))
}
