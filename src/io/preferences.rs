//! Per-device preferences kept in `localStorage`. Nothing personal is stored here: only the UI language.

use begleitbuch_web::lang::Lang;

use crate::i18n::Locale;

/// The tablet's catalogue is leptos_i18n's; the language and where it is kept are the shared crate's.
pub fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::De => Locale::de,
        Lang::En => Locale::en,
    }
}

pub fn lang_of(locale: Locale) -> Lang {
    match locale {
        Locale::de => Lang::De,
        Locale::en => Lang::En,
    }
}

pub fn locale_code(locale: Locale) -> &'static str {
    lang_of(locale).code()
}

pub fn load_locale() -> Locale {
    locale_of(Lang::load())
}

pub fn save_locale(locale: Locale) {
    lang_of(locale).save();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_is_a_language_and_back() {
        for lang in Lang::ALL {
            assert_eq!(lang_of(locale_of(lang)), lang);
        }
    }
}
