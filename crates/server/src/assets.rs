//! The built web app (trunk's `dist/`), served from a directory beside the binary.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub struct AppAssets {
    dir: PathBuf,
    index: PathBuf,
}

impl AppAssets {
    /// Fails when the directory holds no `index.html`: a server without its app is a setup error.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let index = dir.join("index.html");
        std::fs::metadata(&index)?;
        Ok(AppAssets { dir: dir.to_path_buf(), index })
    }
}

/// Requests for files are answered from the directory (404 if absent). Any other path is a route of
/// the single-page app (`/woche`, `/kinder`, …) and gets `index.html`, so deep links and reloads work.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let response = if names_a_file(request.uri().path()) {
        ServeDir::new(&state.assets.dir).oneshot(request).await.map(|r| r.map(Body::new))
    } else {
        ServeFile::new(&state.assets.index).oneshot(request).await.map(|r| r.map(Body::new))
    };
    match response {
        Ok(response) => response,
        Err(never) => match never {},
    }
    .into_response()
}

fn names_a_file(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|segment| segment.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::names_a_file;

    #[test]
    fn routes_are_not_files() {
        assert!(!names_a_file("/"));
        assert!(!names_a_file("/woche"));
        assert!(!names_a_file("/kinder/"));
        assert!(names_a_file("/sw.js"));
        assert!(names_a_file("/icons/icon-192.png"));
    }
}
