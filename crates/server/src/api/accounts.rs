//! Team leads and admins manage their provider's accounts and devices.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use begleitbuch_domain::ids::{DeviceId, UserId};
use begleitbuch_domain::org::Institution;
use begleitbuch_domain::people::Role;
use begleitbuch_store::{StoreError, UserRecord};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::auth::device_view;
use super::extract::{ApiJson, ApiPath, Authenticated};
use super::ApiError;
use crate::auth;
use crate::AppState;
use begleitbuch_domain::account::DeviceView;

const MAX_DISPLAY_NAME_CHARS: usize = 80;
const MAX_LOGIN_CHARS: usize = 64;

/// Whether `manager` may create or reset an account with `role`: admins any, team leads companions and
/// parents (not other team leads or admins).
fn may_manage(manager: Role, role: Role) -> bool {
    match manager {
        Role::Admin => true,
        Role::TeamLead => matches!(role, Role::Companion | Role::Parent),
        Role::Companion | Role::Parent => false,
    }
}

/// The account `id` if the manager's provider has it and the manager may manage its role. Another
/// provider's account answers 404, like one that does not exist.
async fn managed_user(state: &AppState, caller: &Authenticated, id: Uuid) -> Result<UserRecord, ApiError> {
    caller.require_manager()?;
    let user = state.store.user(UserId(id)).await?.filter(|u| u.provider == caller.user.provider);
    let user = user.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "user_not_found", "no such user"))?;
    if !may_manage(caller.user.role, user.role) {
        return Err(ApiError::forbidden());
    }
    Ok(user)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewUser {
    login: String,
    display_name: String,
    role: Role,
    /// A first password the user must change at the first sign-in.
    password: String,
}

#[derive(Debug, Serialize)]
pub struct Created {
    id: UserId,
}

/// `POST /api/v1/users`: a new account in the manager's provider.
pub async fn create_user(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<NewUser>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require_manager()?;
    if !may_manage(caller.user.role, request.role) {
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
    auth::check_password_policy(&request.password).map_err(ApiError::password)?;
    let password_hash = super::auth::hash_in_turn(&state, request.password).await?;
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
        Ok(()) => Ok((StatusCode::CREATED, Json(Created { id: user.id }))),
        Err(StoreError::Conflict(_)) => {
            Err(ApiError::new(StatusCode::CONFLICT, "login_taken", "this login is already in use"))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    new_password: String,
}

/// `POST /api/v1/users/{id}/password`: sets a new password the user must change, and signs the user
/// out everywhere (their unsynced changes stay on the devices until they sign in again).
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<ResetPassword>,
) -> Result<StatusCode, ApiError> {
    let user = managed_user(&state, &caller, id).await?;
    auth::check_password_policy(&request.new_password).map_err(ApiError::password)?;
    let hash = super::auth::hash_in_turn(&state, request.new_password).await?;
    state.store.set_password(user.id, &hash, true, state.clock.now_millis()).await?;
    state.store.revoke_user_tokens(user.id, None).await?;
    tracing::info!(user = %user.id, by = %caller.user.id, "password reset");
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

/// `GET /api/v1/devices`: the provider's devices with their last contact.
pub async fn devices(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<DeviceView>>, ApiError> {
    caller.require_manager()?;
    let devices = state.store.devices(caller.user.provider).await?;
    Ok(Json(devices.iter().map(device_view).collect()))
}

/// `POST /api/v1/devices/{id}/revoke`: the device loses every token and is told to wipe at next contact.
pub async fn revoke_device(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    caller.require_manager()?;
    let device = state.store.device(DeviceId(id)).await?.filter(|d| d.provider == caller.user.provider);
    let device =
        device.ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "device_not_found", "no such device"))?;
    // Revoking signs out everyone on the device: only someone who may manage all of them (or is one
    // of them) may; a team lead cannot wipe an admin's tablet.
    let people = state.store.signed_in_on(device.id).await?;
    if !people.iter().all(|(user, role)| *user == caller.user.id || may_manage(caller.user.role, *role)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn team_leads_manage_companions_and_parents_only() {
        assert!(may_manage(Role::TeamLead, Role::Companion));
        assert!(may_manage(Role::TeamLead, Role::Parent));
        assert!(!may_manage(Role::TeamLead, Role::TeamLead));
        assert!(!may_manage(Role::TeamLead, Role::Admin));
        assert!(Role::ALL.into_iter().all(|role| may_manage(Role::Admin, role)));
        assert!(Role::ALL
            .into_iter()
            .all(|role| !may_manage(Role::Companion, role) && !may_manage(Role::Parent, role)));
    }
}
