//! Response headers for every request: caching by kind of resource, and the security policy.

use axum::extract::Request;
use axum::http::header::{self, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// No inline script or style anywhere (the app boots from `/boot.js`); WebAssembly compilation needs
/// 'wasm-unsafe-eval'. Images may be data: URLs (icons in CSS).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const NEVER_STORE: &str = "no-store";

/// How long a browser may keep a response:
/// - the API: never stored (personal data, always current);
/// - build outputs whose name carries a content hash: forever, a new build has new names;
/// - everything else (`index.html`, `sw.js`, `boot.js`, the manifest, icons, deep links): revalidated
///   on every use, so a new version is seen at once.
pub fn cache_policy(path: &str) -> &'static str {
    if path == "/api" || path.starts_with("/api/") {
        NEVER_STORE
    } else if is_content_hashed(path.rsplit('/').next().unwrap_or_default()) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Trunk names build outputs `<name>-<hash>[_bg].<ext>`, the hash being a 64-bit number in hex
/// without leading zeros: 16 digits, but 15 in one build out of 16 (and fewer still more rarely).
/// Twelve digits or more are accepted: shorter hex-looking suffixes are far more likely to be part of
/// an ordinary name than a hash.
fn is_content_hashed(file_name: &str) -> bool {
    let Some((stem, _extension)) = file_name.rsplit_once('.') else { return false };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_name, hash)) = stem.rsplit_once('-') else { return false };
    (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

pub async fn security_and_caching(request: Request, next: Next) -> Response {
    let policy = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_build_outputs_are_immutable() {
        assert_eq!(cache_policy("/begleitbuch-0123456789abcdef_bg.wasm"), IMMUTABLE);
        assert_eq!(cache_policy("/begleitbuch-0123456789abcdef.js"), IMMUTABLE);
        assert_eq!(cache_policy("/main-fedcba9876543210.css"), IMMUTABLE);
        // A hash that starts with a zero digit is printed one digit shorter.
        assert_eq!(cache_policy("/begleitbuch-8fc99193a89807e_bg.wasm"), IMMUTABLE);
    }

    #[test]
    fn entry_points_and_unhashed_files_are_revalidated() {
        for path in [
            "/",
            "/index.html",
            "/sw.js",
            "/boot.js",
            "/manifest.webmanifest",
            "/woche",
            "/icons/icon-192.png",
            "/main-nothex0123456789.css",
            "/a-0123.css",
        ] {
            assert_eq!(cache_policy(path), REVALIDATE, "{path}");
        }
    }

    #[test]
    fn the_api_is_never_stored() {
        assert_eq!(cache_policy("/api/v1/health"), NEVER_STORE);
        assert_eq!(cache_policy("/api"), NEVER_STORE);
        assert_eq!(cache_policy("/apis.html"), REVALIDATE);
    }
}
