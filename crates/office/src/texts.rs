//! The office's catalogue: every text of its own screens, German and English side by side.

use begleitbuch_web::lang::Text;

pub const TITLE: Text = Text { de: "Büro", en: "Office" };
pub const TABLETS_TITLE: Text = Text { de: "Tablets", en: "Tablets" };
pub const TABLETS_INTRO: Text = Text {
    de: "Die Tablets Ihres Trägers, auf denen sich jemand angemeldet hat. Browser im Büro und Telefone der Eltern sind keine Tablets und erscheinen hier nicht.",
    en: "Your provider's tablets on which someone has signed in. Office browsers and parents' phones are not tablets and do not appear here.",
};
pub const LOADING: Text = Text { de: "Tablets werden geladen …", en: "Loading tablets …" };
pub const NONE_YET: Text = Text {
    de: "Noch hat sich auf keinem Tablet jemand angemeldet.",
    en: "Nobody has signed in on a tablet yet.",
};
pub const COUNT_ONE: Text = Text { de: "1 Tablet, davon {} gesperrt", en: "1 tablet, {} of them revoked" };
pub const COUNT: Text = Text { de: "{} Tablets, davon {} gesperrt", en: "{} tablets, {} of them revoked" };
pub const COLUMN_LABEL: Text = Text { de: "Tablet", en: "Tablet" };
pub const COLUMN_LAST_SEEN: Text = Text { de: "Zuletzt verbunden", en: "Last connected" };
pub const COLUMN_STATUS: Text = Text { de: "Status", en: "Status" };
pub const ACTIVE: Text = Text { de: "Aktiv", en: "Active" };
pub const REVOKED: Text = Text { de: "Gesperrt", en: "Revoked" };
pub const RELOAD: Text = Text { de: "Neu laden", en: "Reload" };
