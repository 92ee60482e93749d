//! Per-device preferences kept in `localStorage`. Nothing personal is stored here: only the UI language.

use crate::i18n::Locale;

const LOCALE_KEY: &str = "begleitbuch.locale";

/// The language to start in: the one chosen on this device, else German (the product's default,
/// whatever the browser's language is, because companions share tablets set up by the provider).
pub fn locale_from_stored(stored: Option<&str>) -> Locale {
    match stored {
        Some("en") => Locale::en,
        _ => Locale::de,
    }
}

pub fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::de => "de",
        Locale::en => "en",
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load_locale() -> Locale {
    let stored = local_storage().and_then(|storage| storage.get_item(LOCALE_KEY).ok().flatten());
    locale_from_stored(stored.as_deref())
}

/// Remembers the choice. A browser that refuses storage (private mode, quota) keeps the choice for
/// this session only, which is the best we can do and not worth interrupting the user for.
pub fn save_locale(locale: Locale) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(LOCALE_KEY, locale_code(locale));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_is_the_default_for_anything_unknown() {
        assert_eq!(locale_from_stored(None), Locale::de);
        assert_eq!(locale_from_stored(Some("fr")), Locale::de);
        assert_eq!(locale_from_stored(Some("")), Locale::de);
        assert_eq!(locale_from_stored(Some("en")), Locale::en);
        assert_eq!(locale_from_stored(Some(locale_code(Locale::de))), Locale::de);
    }
}
