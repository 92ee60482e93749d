//! A browser's sign-in to the office or the parents' pages. The server keeps it behind an HttpOnly
//! cookie the page's script never sees; the page holds only the sign-in's CSRF token, in memory, and
//! asks for it again after a reload. Nothing is stored in the browser.

use begleitbuch_domain::account::{BrowserSignInRequest, BrowserSignInView, ChangePasswordRequest, WayIn};

use crate::api::{self, ApiError, Auth};

/// The browser's sign-in, if its cookie still holds one.
pub async fn current() -> Result<BrowserSignInView, ApiError> {
    api::get("/auth/browser", Auth::None).await
}

pub async fn sign_in(login: String, password: String, way: WayIn) -> Result<BrowserSignInView, ApiError> {
    api::post("/auth/browser/sign-in", &BrowserSignInRequest { login, password, way }, Auth::None).await
}

pub async fn sign_out(csrf_token: &str) -> Result<(), ApiError> {
    api::post_empty("/auth/browser/sign-out", &serde_json::json!({}), Auth::Browser { csrf_token }).await
}

pub async fn change_password(
    csrf_token: &str,
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    let request = ChangePasswordRequest { current_password, new_password };
    api::post_empty("/me/password", &request, Auth::Browser { csrf_token }).await
}

/// Whether an error means the sign-in is over (ended, expired, or never there): the page asks to sign
/// in again rather than showing the error.
pub fn is_signed_out(error: &ApiError) -> bool {
    matches!(error, ApiError::Server { status: 401, .. })
}

/// The text of the file chosen in a file input (UTF-8): `Ok(None)` when none is chosen, `Err` when
/// the browser cannot read it.
pub async fn chosen_file_text(input: &web_sys::HtmlInputElement) -> Result<Option<String>, ()> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return Ok(None) };
    let text = wasm_bindgen_futures::JsFuture::from(file.text()).await.map_err(drop)?;
    text.as_string().map(Some).ok_or(())
}
