//! `GET /api/v1/family`: the parents' first page — their children and, per purpose, whether consent
//! holds. Read through the same pull as a tablet's, so a parent reads exactly what the access table lets
//! them read and nothing is decided twice.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use begleitbuch_domain::child::Child;
use begleitbuch_domain::consent::Consent;
use begleitbuch_domain::family::{self, FamilyChild};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::PulledRecord;
use begleitbuch_domain::record::RecordKind;

use super::extract::Authenticated;
use super::ApiError;
use crate::AppState;

/// Records read per page; a family's pools hold few records a parent may read.
const PAGE: u32 = 500;

pub async fn family(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<FamilyChild>>, ApiError> {
    if caller.user.role != Role::Parent {
        return Err(ApiError::forbidden());
    }
    let scope = state.store.scope(&caller.user, state.clock.today()).await?;
    let institutions: BTreeMap<_, _> = state
        .store
        .pool_directory(&scope.pools, state.clock.today())
        .await?
        .into_iter()
        .map(|pool| (pool.id, pool.institution))
        .collect();
    let mut cursors = Vec::new();
    let mut records: Vec<PulledRecord> = Vec::new();
    loop {
        let page = state.store.pull(&scope, &cursors, PAGE).await?;
        records.extend(page.records.into_iter().filter(|r| !r.deleted));
        cursors = page.cursors;
        if !page.has_more {
            break;
        }
    }
    let decode = |kind: RecordKind| -> Vec<serde_json::Value> {
        records.iter().filter(|r| r.kind == kind).map(PulledRecord::to_json).collect()
    };
    // A record that does not decode is the server's own fault (every stored record passed the checks);
    // it is logged, and the page shows what does decode.
    let undecodable = |error: serde_json::Error| tracing::error!(%error, "stored record does not decode");
    let declarations: Vec<Consent> = decode(RecordKind::Consent)
        .into_iter()
        .filter_map(|json| serde_json::from_value(json).map_err(undecodable).ok())
        .collect();
    let now = state.clock.now();
    let mut children: Vec<FamilyChild> = decode(RecordKind::Child)
        .into_iter()
        .filter_map(|json| serde_json::from_value::<Child>(json).map_err(undecodable).ok())
        .filter(|child| scope.children.contains(&child.id))
        .map(|child| {
            let institution = institutions.get(&child.pool).cloned().unwrap_or_default();
            family::summarise(&child, institution, &declarations, now)
        })
        .collect();
    children.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    Ok(Json(children))
}
