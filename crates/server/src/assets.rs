//! The built web apps (`dist/`, assembled by `scripts/build.sh`), served from a directory beside the
//! binary: the tablet app at the root, the office's under `buero/`, the parents' pages under `eltern/`.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use begleitbuch_domain::account::WayIn;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub struct AppAssets {
    dir: PathBuf,
}

impl AppAssets {
    /// Fails when an app's `index.html` is missing: a server without its apps is a setup error.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let assets = AppAssets { dir: dir.to_path_buf() };
        for way in WayIn::ALL {
            std::fs::metadata(assets.shell(way)).map_err(|error| {
                std::io::Error::new(error.kind(), format!("{}: {error}", assets.shell(way).display()))
            })?;
        }
        Ok(assets)
    }

    /// The page that starts the way in's app.
    fn shell(&self, way: WayIn) -> PathBuf {
        self.dir.join(way.path().trim_start_matches('/')).join("index.html")
    }
}

/// The app a path belongs to: under an app's prefix (with or without the closing slash) that app,
/// anything else the tablet's.
fn way_of(path: &str) -> WayIn {
    [WayIn::Office, WayIn::Parents]
        .into_iter()
        .find(|way| path.starts_with(way.path()) || path == way.path().trim_end_matches('/'))
        .unwrap_or(WayIn::Tablet)
}

/// Requests for files are answered from the directory (404 if absent). Any other path is a route of
/// one of the single-page apps (`/woche`, `/buero/tablets`, …) and gets that app's `index.html`, so
/// deep links and reloads work.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let response = if names_a_file(request.uri().path()) {
        ServeDir::new(&state.assets.dir).oneshot(request).await.map(|r| r.map(Body::new))
    } else {
        let shell = state.assets.shell(way_of(request.uri().path()));
        ServeFile::new(shell).oneshot(request).await.map(|r| r.map(Body::new))
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
    use super::*;

    #[test]
    fn routes_are_not_files() {
        assert!(!names_a_file("/"));
        assert!(!names_a_file("/woche"));
        assert!(!names_a_file("/kinder/"));
        assert!(names_a_file("/sw.js"));
        assert!(names_a_file("/icons/icon-192.png"));
    }

    #[test]
    fn each_app_answers_its_own_routes() {
        assert_eq!(way_of("/"), WayIn::Tablet);
        assert_eq!(way_of("/woche"), WayIn::Tablet);
        assert_eq!(way_of("/buero"), WayIn::Office);
        assert_eq!(way_of("/buero/"), WayIn::Office);
        assert_eq!(way_of("/buero/tablets"), WayIn::Office);
        assert_eq!(way_of("/eltern/"), WayIn::Parents);
        assert_eq!(way_of("/elternabend"), WayIn::Tablet, "a prefix is a whole path segment");
    }

    /// The tablet's service worker must leave the other apps to the network, or it would answer their
    /// pages with the tablet's shell.
    #[test]
    fn the_service_worker_leaves_the_online_apps_alone() {
        let worker = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../public/sw.js"));
        let listed = worker.lines().find(|line| line.starts_with("const ONLINE_APPS")).expect("ONLINE_APPS");
        let online: Vec<_> = WayIn::ALL.into_iter().filter(|way| *way != WayIn::Tablet).collect();
        for way in &online {
            assert!(listed.contains(&format!("'{}'", way.path())), "{listed}");
        }
        assert_eq!(listed.matches('\'').count(), 2 * online.len(), "{listed}");
    }
}
