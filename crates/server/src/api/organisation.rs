//! The provider's organisation, set up by its admins in the office: the authority's allocation list
//! (institutions and their FTE per school year).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use begleitbuch_domain::org::{
    parse_allocation, plan_allocation, AllocationPlan, AllocationUpload, ALLOCATION_YEARS,
};
use begleitbuch_domain::people::Role;

use super::extract::{ApiJson, Authenticated};
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

/// The plan for an upload against the provider's institutions as they are now.
async fn plan(
    state: &AppState,
    caller: &Authenticated,
    upload: &AllocationUpload,
) -> Result<AllocationPlan, ApiError> {
    require_admin(caller)?;
    if !ALLOCATION_YEARS.contains(&upload.school_year) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_school_year",
            format!(
                "the school year must start in {} to {}",
                ALLOCATION_YEARS.start(),
                ALLOCATION_YEARS.end()
            ),
        ));
    }
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
    let rows: Vec<_> = plan.lines.iter().map(|line| line.row.clone()).collect();
    state
        .store
        .import_allocation(caller.user.provider, upload.school_year, &rows, state.clock.now_millis())
        .await?;
    tracing::info!(by = %caller.user.id, school_year = upload.school_year, lines = rows.len(), "allocation list imported");
    Ok(Json(plan))
}
