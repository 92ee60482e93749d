//! What Begleitbuch's three browser apps share — the companion's tablet app, the office and the parents'
//! pages: the one way to call the server's API, the two languages and how texts carry them, the
//! formats of dates and times, and the frame of the two online apps (signing in by browser, the first
//! password, the connection notice). Each app keeps its own catalogue of texts.
#![forbid(unsafe_code)]

pub mod api;
pub mod browser;
pub mod format;
pub mod lang;
pub mod texts;
pub mod ui;
