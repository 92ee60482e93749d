//! The one layer that talks to the browser's storage and platform: IndexedDB and WebCrypto (`store`),
//! the server (`server`, through `begleitbuch_web::api`), `localStorage` (`preferences`) and the service
//! worker (`pwa`).

pub mod preferences;
pub mod pwa;
pub mod store;
