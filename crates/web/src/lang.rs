//! The two languages — German first, English second — and how the office's and parents' catalogues
//! carry texts. The choice is kept per browser in `localStorage` (nothing personal), under one key for
//! every app of the origin, so a language chosen on the tablet app holds in the office too.

/// The UI languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    De,
    En,
}

const STORAGE_KEY: &str = "begleitbuch.locale";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::De, Lang::En];

    /// The code for `<html lang>` and the stored choice.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
        }
    }

    /// The stored choice; German for anything else (the product's default, whatever the browser's
    /// language: devices are set up by a German provider).
    pub fn from_stored(stored: Option<&str>) -> Lang {
        match stored {
            Some("en") => Lang::En,
            _ => Lang::De,
        }
    }

    /// The language chosen on this browser.
    pub fn load() -> Lang {
        let stored = local_storage().and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
        Lang::from_stored(stored.as_deref())
    }

    /// Remembers the choice. A browser that refuses storage (private mode, quota) keeps it for this
    /// page only, which is the best that can be done and not worth interrupting anyone for.
    pub fn save(self) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, self.code());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// One text of a catalogue in both languages, side by side, so none can lack a translation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Text {
    pub de: &'static str,
    pub en: &'static str,
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.de,
            Lang::En => self.en,
        }
    }

    /// The text with each `{}` replaced by the next of `values`, in order.
    pub fn fill(self, lang: Lang, values: &[&str]) -> String {
        let mut out = String::new();
        let mut values = values.iter();
        let mut parts = self.get(lang).split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            out.push_str(values.next().copied().unwrap_or_default());
            out.push_str(part);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_is_the_default_for_anything_unknown() {
        assert_eq!(Lang::from_stored(None), Lang::De);
        assert_eq!(Lang::from_stored(Some("fr")), Lang::De);
        assert_eq!(Lang::from_stored(Some("")), Lang::De);
        assert_eq!(Lang::from_stored(Some("en")), Lang::En);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_stored(Some(lang.code())), lang);
        }
    }

    #[test]
    fn a_text_is_filled_in_order() {
        let text = Text { de: "{} von {} Tablets", en: "{} of {} tablets" };
        assert_eq!(text.fill(Lang::De, &["3", "5"]), "3 von 5 Tablets");
        assert_eq!(text.fill(Lang::En, &["3"]), "3 of  tablets");
    }
}
