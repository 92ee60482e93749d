//! Generates the `i18n` module from `locales/*.json` (German is the default locale).
//! Any problem in the translation files — a missing key, a bad interpolation — fails the build.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let config = Config::new("de")
        .and_then(|config| config.add_locale("en"))
        .expect("valid locale names")
        // Plain-string translation (`td_string!`) with interpolation, used by the formatters.
        .parse_options(ParseOptions::new().interpolate_display(true));
    let translations = TranslationsInfos::parse(config).expect("translations parse");
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    translations.generate_i18n_module(out_dir.join("i18n")).expect("i18n module written");
}
