//! The server's `/api/v1`, called with the browser's `fetch`. Errors keep the server's stable code, so
//! the UI can translate them; a request that never reached the server is `Offline`, not a failure of
//! the user's input.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer: offline, the server is down, or the connection broke.
    Offline,
    /// The server answered with an error code (`invalid_credentials`, `device_revoked`, …).
    Server { status: u16, code: String, wipe: bool },
    /// The answer was not what this version of the app understands.
    Unreadable,
}

impl ApiError {
    /// The code the UI translates under `api_error.<code>`; unknown server codes fall back to a
    /// general sentence.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Offline => "offline",
            ApiError::Server { code, .. } => code,
            ApiError::Unreadable => "unreadable",
        }
    }
}

#[derive(serde::Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(serde::Deserialize)]
struct ErrorDetail {
    code: String,
    #[serde(default)]
    wipe: bool,
}

/// A new random id (version 4) for a record or a change the page makes, from the browser's
/// cryptographic random numbers; `None` in a browser without them.
pub fn new_id() -> Option<uuid::Uuid> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; 16];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(uuid::Builder::from_random_bytes(bytes).into_uuid())
}

/// How a request proves who sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth<'a> {
    /// Nobody yet (signing in).
    None,
    /// A tablet's access token.
    Bearer(&'a str),
    /// A browser's sign-in: the browser adds its HttpOnly cookie by itself; the page adds the sign-in's
    /// CSRF token, which the server wants with every change.
    Browser { csrf_token: &'a str },
}

/// `POST /api/v1{path}` with a JSON body.
pub async fn post<Request: Serialize, Answer: DeserializeOwned>(
    path: &str,
    body: &Request,
    auth: Auth<'_>,
) -> Result<Answer, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Unreadable)?;
    send("POST", path, Some(&body), auth).await
}

/// `PUT /api/v1{path}` with a JSON body: the whole of a thing, replaced.
pub async fn put<Request: Serialize, Answer: DeserializeOwned>(
    path: &str,
    body: &Request,
    auth: Auth<'_>,
) -> Result<Answer, ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Unreadable)?;
    send("PUT", path, Some(&body), auth).await
}

/// `POST /api/v1{path}` whose answer has no body (204).
pub async fn post_empty<Request: Serialize>(
    path: &str,
    body: &Request,
    auth: Auth<'_>,
) -> Result<(), ApiError> {
    let body = serde_json::to_string(body).map_err(|_| ApiError::Unreadable)?;
    send::<serde::de::IgnoredAny>("POST", path, Some(&body), auth).await.map(drop)
}

/// `GET /api/v1{path}`.
pub async fn get<Answer: DeserializeOwned>(path: &str, auth: Auth<'_>) -> Result<Answer, ApiError> {
    send("GET", path, None, auth).await
}

async fn send<Answer: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&str>,
    auth: Auth<'_>,
) -> Result<Answer, ApiError> {
    let offline = |_| ApiError::Offline;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(offline)?;
    headers.set("Accept", "application/json").map_err(offline)?;
    if let Some(body) = body {
        headers.set("Content-Type", "application/json").map_err(offline)?;
        init.set_body(&JsValue::from_str(body));
    }
    match auth {
        Auth::None => {}
        Auth::Bearer(token) => headers.set("Authorization", &format!("Bearer {token}")).map_err(offline)?,
        Auth::Browser { csrf_token } => headers.set("X-CSRF-Token", csrf_token).map_err(offline)?,
    }
    init.set_headers(&headers);
    // Same origin only: the sign-in cookie never travels anywhere else.
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("/api/v1{path}"), &init).map_err(offline)?;
    let window = web_sys::window().ok_or(ApiError::Offline)?;
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(offline)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(offline)?).await.map_err(offline)?;
    let text = text.as_string().unwrap_or_default();
    if response.ok() {
        // An answer without a body (204) reads as `null`.
        let json = if text.is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(json).map_err(|_| ApiError::Unreadable);
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(error) => Err(ApiError::Server {
            status: response.status(),
            code: error.error.code,
            wipe: error.error.wipe,
        }),
        // A proxy's error page or a server that is starting: try again later.
        Err(_) if response.status() >= 500 => Err(ApiError::Offline),
        Err(_) => Err(ApiError::Unreadable),
    }
}
