//! The Begleitbuch server as a library: the router and its state. `main.rs` adds the CLI around it.
#![forbid(unsafe_code)]

pub mod api;
pub mod assets;
pub mod auth;
pub mod clock;
pub mod demo;
pub mod headers;
pub mod passwords;
pub mod retention;
pub mod setup;

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::HeaderMap;
use axum::Router;
use begleitbuch_store::Store;
use tower_http::compression::CompressionLayer;

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub assets: Arc<assets::AppAssets>,
    /// Reverse proxies whose `X-Forwarded-For` is believed (for the per-address sign-in limit).
    pub trusted_proxies: Arc<[IpAddr]>,
    /// Where "now" comes from (see [`clock`]).
    pub clock: clock::Clock,
    /// Where passwords are hashed and checked (see [`passwords`]).
    pub passwords: Arc<passwords::Passwords>,
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        assets: assets::AppAssets,
        trusted_proxies: Vec<IpAddr>,
        clock: clock::Clock,
    ) -> Self {
        AppState {
            store,
            assets: Arc::new(assets),
            trusted_proxies: trusted_proxies.into(),
            clock,
            passwords: passwords::Passwords::start(),
        }
    }

    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        client_address(&self.trusted_proxies, peer, headers)
    }
}

/// The client's address: the peer's, or — when the peer is a trusted reverse proxy — the last address in
/// `X-Forwarded-For`, which is the one that proxy saw (anything before it the client could have
/// written). Without this, every user behind the proxy would share one address, and 20 typos anywhere
/// would lock everyone out of signing in.
pub fn client_address(trusted_proxies: &[IpAddr], peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
        .next_back()
        .unwrap_or(peer)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in forwarded {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let spoofed = headers(&["198.51.100.1, 203.0.113.7"]);
        assert_eq!(
            client_address(&[proxy], proxy, &spoofed),
            client,
            "the proxy's own entry is the last one"
        );
        assert_eq!(client_address(&[], proxy, &spoofed), proxy, "untrusted peers cannot claim an address");
        assert_eq!(client_address(&[proxy], proxy, &headers(&[])), proxy);
        assert_eq!(client_address(&[proxy], proxy, &headers(&["1.1.1.1", "203.0.113.7"])), client);
        assert_eq!(client_address(&[proxy], proxy, &headers(&["garbage"])), proxy);
    }
}
