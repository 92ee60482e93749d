//! The provider's organisation, set up in the office: the authority's allocation list (institutions
//! and their FTE per school year; admins), and pools with their members (admins and team leads).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use begleitbuch_domain::ids::{InstitutionId, MembershipId, PoolId};
use begleitbuch_domain::org::{
    check_end, check_new_membership, parse_allocation, plan_allocation, AllocationPlan, AllocationUpload,
    EndMembership, Institution, InstitutionDetails, InstitutionError, Membership, MembershipError,
    NewMembership, NewPool, PoolDirectory, ALLOCATION_YEARS,
};
use begleitbuch_domain::people::Role;
use begleitbuch_store::{PoolRecord, StoreError};
use uuid::Uuid;

use super::extract::{ApiJson, ApiPath, Authenticated};
use super::ApiError;
use crate::AppState;

/// Setting up the organisation is the admins', in the office.
fn require_admin(caller: &Authenticated) -> Result<(), ApiError> {
    caller.office()?;
    if caller.user.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    Ok(())
}

fn check_school_year(school_year: i32) -> Result<(), ApiError> {
    if ALLOCATION_YEARS.contains(&school_year) {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_school_year",
        format!("the school year must start in {} to {}", ALLOCATION_YEARS.start(), ALLOCATION_YEARS.end()),
    ))
}

/// The plan for an upload against the provider's institutions as they are now.
async fn plan(
    state: &AppState,
    caller: &Authenticated,
    upload: &AllocationUpload,
) -> Result<AllocationPlan, ApiError> {
    require_admin(caller)?;
    check_school_year(upload.school_year)?;
    Ok(match parse_allocation(&upload.csv) {
        Ok(rows) => {
            let existing = state.store.institutions(caller.user.provider).await?;
            AllocationPlan { lines: plan_allocation(&existing, rows, upload.school_year), errors: Vec::new() }
        }
        Err(errors) => AllocationPlan { lines: Vec::new(), errors },
    })
}

/// `POST /api/v1/office/allocation/preview`: what importing the list would change, line by line, or
/// every bad line with its number and reason. Changes nothing.
pub async fn preview(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(upload): ApiJson<AllocationUpload>,
) -> Result<Json<AllocationPlan>, ApiError> {
    Ok(Json(plan(&state, &caller, &upload).await?))
}

/// `POST /api/v1/office/allocation`: imports the list, all or nothing: a list with a bad line is
/// refused (`import_invalid`; the preview names the lines). The answer is what the import changed.
pub async fn import(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(upload): ApiJson<AllocationUpload>,
) -> Result<Json<AllocationPlan>, ApiError> {
    let plan = plan(&state, &caller, &upload).await?;
    if let Some(first) = plan.errors.first() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_invalid",
            format!("{} bad lines, the first: {first}", plan.errors.len()),
        ));
    }
    state
        .store
        .import_allocation(caller.user.provider, upload.school_year, &plan.lines, state.clock.now_millis())
        .await?;
    tracing::info!(by = %caller.user.id, school_year = upload.school_year, lines = plan.lines.len(), "allocation list imported");
    Ok(Json(plan))
}

/// `POST /api/v1/office/pools`: a pool at one of the provider's institutions for a school year,
/// answered as the pool list shows it (still without people). One pool per institution and year.
fn institution_refused(error: InstitutionError) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.to_string())
}

fn institution_exists() -> ApiError {
    ApiError::new(StatusCode::CONFLICT, "institution_exists", "the provider has an institution of that name")
}

async fn own_institution(
    state: &AppState,
    caller: &Authenticated,
    id: InstitutionId,
) -> Result<Institution, ApiError> {
    state
        .store
        .institutions(caller.user.provider)
        .await?
        .into_iter()
        .find(|institution| institution.id == id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "institution_not_found", "no such institution"))
}

/// `POST /api/v1/office/institutions`: a school or day-care centre entered by hand (admins, in the
/// office); its FTE come with the allocation list.
pub async fn create_institution(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(details): ApiJson<InstitutionDetails>,
) -> Result<(StatusCode, Json<Institution>), ApiError> {
    require_admin(&caller)?;
    let details = details.checked().map_err(institution_refused)?;
    let institution = Institution {
        id: InstitutionId(Uuid::now_v7()),
        provider: caller.user.provider,
        name: details.name,
        kind: details.kind,
        region: details.region,
        year_levels: details.year_levels,
        groups: details.groups,
        fte: Default::default(),
    };
    match state.store.create_institution(&institution, state.clock.now_millis()).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(institution_exists()),
        Err(other) => return Err(other.into()),
    }
    tracing::info!(institution = %institution.id, by = %caller.user.id, "institution created");
    Ok((StatusCode::CREATED, Json(institution)))
}

/// `PUT /api/v1/office/institutions/{id}`: corrects an institution's name, kind, region, year levels
/// or groups (admins, in the office); its FTE and pools stay.
pub async fn update_institution(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(details): ApiJson<InstitutionDetails>,
) -> Result<Json<Institution>, ApiError> {
    require_admin(&caller)?;
    let id = InstitutionId(id);
    own_institution(&state, &caller, id).await?;
    let details = details.checked().map_err(institution_refused)?;
    match state.store.update_institution(caller.user.provider, id, &details).await {
        Ok(true) => {}
        Ok(false) => {
            return Err(ApiError::new(StatusCode::NOT_FOUND, "institution_not_found", "no such institution"))
        }
        Err(StoreError::Conflict(_)) => return Err(institution_exists()),
        Err(other) => return Err(other.into()),
    }
    tracing::info!(institution = %id, by = %caller.user.id, "institution changed");
    Ok(Json(own_institution(&state, &caller, id).await?))
}

pub async fn create_pool(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<NewPool>,
) -> Result<(StatusCode, Json<PoolDirectory>), ApiError> {
    caller.office()?;
    check_school_year(request.school_year)?;
    own_institution(&state, &caller, request.institution).await?;
    let id = PoolId(Uuid::now_v7());
    let created = state
        .store
        .create_pool(
            id,
            caller.user.provider,
            request.institution,
            request.school_year,
            state.clock.now_millis(),
        )
        .await;
    match created {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "pool_exists",
                "the institution already has a pool in this school year",
            ))
        }
        Err(other) => return Err(other.into()),
    }
    tracing::info!(pool = %id, by = %caller.user.id, school_year = request.school_year, "pool created");
    let mut directory = state.store.pool_directory(&[id].into(), state.clock.today()).await?;
    let pool = directory
        .pop()
        .ok_or_else(|| ApiError::from(StoreError::Corrupt("pool just created is gone".into())))?;
    Ok((StatusCode::CREATED, Json(pool)))
}

/// `GET /api/v1/office/memberships`: every membership in the provider's pools, ended ones included.
pub async fn memberships(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<Membership>>, ApiError> {
    caller.office()?;
    Ok(Json(state.store.memberships(caller.user.provider).await?))
}

fn refused(error: MembershipError) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.to_string())
}

/// One of the caller's provider's pools; another provider's is as unknown as none.
async fn own_pool(state: &AppState, caller: &Authenticated, id: PoolId) -> Result<PoolRecord, ApiError> {
    state
        .store
        .pool(id)
        .await?
        .filter(|pool| pool.provider == caller.user.provider)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "pool_not_found", "no such pool"))
}

/// `POST /api/v1/office/memberships`: a companion or team lead of the provider joins a pool from a
/// day of its school year; their tablets keep the pool from that day, at their next sync.
pub async fn add_membership(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<NewMembership>,
) -> Result<(StatusCode, Json<Membership>), ApiError> {
    caller.office()?;
    let pool = own_pool(&state, &caller, request.pool).await?;
    let person = state
        .store
        .user(request.person)
        .await?
        .filter(|user| user.provider == caller.user.provider)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "user_not_found", "no such user"))?;
    if person.disabled {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "user_disabled",
            "a deactivated account cannot join a pool",
        ));
    }
    let all = state.store.memberships(caller.user.provider).await?;
    let earlier: Vec<Membership> =
        all.into_iter().filter(|m| m.pool == pool.id && m.person == person.id).collect();
    check_new_membership(&request, person.role, pool.school_year, &earlier).map_err(refused)?;
    let id = MembershipId(Uuid::now_v7());
    match state.store.add_membership(id, &request, state.clock.now_millis()).await {
        Ok(()) => {}
        // Another office added the same person a moment ago.
        Err(StoreError::Conflict(_)) => return Err(refused(MembershipError::Overlaps)),
        Err(other) => return Err(other.into()),
    }
    tracing::info!(membership = %id, pool = %pool.id, person = %person.id, by = %caller.user.id, "membership added");
    Ok((StatusCode::CREATED, Json(membership(&state, &caller, id).await?)))
}

/// `POST /api/v1/office/memberships/{id}/end`: the membership's last day. What the person recorded
/// in the pool stays there; from the day after, their tablets drop the pool at their next sync
/// (changes not yet sent stay on the tablet, under „Zu klären“ if the server refuses them).
pub async fn end_membership(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(request): ApiJson<EndMembership>,
) -> Result<Json<Membership>, ApiError> {
    caller.office()?;
    let id = MembershipId(id);
    let current = membership(&state, &caller, id).await?;
    let pool = own_pool(&state, &caller, current.pool).await?;
    check_end(&current, pool.school_year, request.last_day).map_err(refused)?;
    state.store.end_membership(id, request.last_day).await?;
    tracing::info!(membership = %id, by = %caller.user.id, last_day = %request.last_day, "membership ended");
    Ok(Json(membership(&state, &caller, id).await?))
}

async fn membership(
    state: &AppState,
    caller: &Authenticated,
    id: MembershipId,
) -> Result<Membership, ApiError> {
    state
        .store
        .memberships(caller.user.provider)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "membership_not_found", "no such membership"))
}
