//! The one layer that talks to the browser's storage and platform: IndexedDB and WebCrypto (`store`),
//! `localStorage` (`preferences`) and the service worker (`pwa`). The server is reached only through
//! `begleitbuch_web::api`, the `fetch` layer the three apps share, called by `runtime`.

pub mod preferences;
pub mod pwa;
pub mod store;
