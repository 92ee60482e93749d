//! The Begleitbuch server as a library: the router and its state. `main.rs` adds the CLI around it.
#![forbid(unsafe_code)]

pub mod api;
pub mod assets;
pub mod auth;
pub mod demo;
pub mod headers;
pub mod setup;

use std::sync::Arc;

use axum::Router;
use begleitbuch_store::Store;
use tower_http::compression::CompressionLayer;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub assets: Arc<assets::AppAssets>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, assets: assets::AppAssets) -> Self {
        AppState { store, assets: Arc::new(assets) }
    }
}

/// `/api/v1/*` is the API; everything else is the web app (files, or the app shell for deep links).
pub fn router(state: AppState) -> Router {
    Router::new()
        .nest("/api", api::router())
        .fallback(assets::serve)
        .with_state(state)
        .layer(axum::middleware::from_fn(headers::security_and_caching))
        .layer(CompressionLayer::new())
}
