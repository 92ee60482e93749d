//! The texts the office and the parents' pages share: signing in, the first password, the connection.
//! Plain words, because parents read them too. (The tablet app has its own catalogue.)

use begleitbuch_domain::account::WayIn;

use crate::lang::Text;

pub const LANGUAGE_SWITCH: Text = Text { de: "English", en: "Deutsch" };
pub const LANGUAGE_SWITCH_LABEL: Text = Text { de: "Switch to English", en: "Auf Deutsch umschalten" };
pub const SKIP_TO_CONTENT: Text = Text { de: "Zum Inhalt springen", en: "Skip to content" };
pub const CHECKING: Text = Text { de: "Anmeldung wird geprüft …", en: "Checking your sign-in …" };
pub const SIGN_IN_TITLE: Text = Text { de: "Anmelden", en: "Sign in" };
pub const LOGIN: Text = Text { de: "Benutzername", en: "User name" };
pub const PASSWORD: Text = Text { de: "Passwort", en: "Password" };
pub const SIGN_IN: Text = Text { de: "Anmelden", en: "Sign in" };
pub const SIGNING_IN: Text = Text { de: "Anmeldung läuft …", en: "Signing in …" };
pub const SIGN_OUT: Text = Text { de: "Abmelden", en: "Sign out" };
pub const SIGNED_IN_AS: Text = Text { de: "Angemeldet als {}", en: "Signed in as {}" };
pub const SIGNED_OUT_NOTICE: Text = Text {
    de: "Sie wurden abgemeldet (nach 30 Minuten ohne Nutzung oder nach dem Arbeitstag). Bitte melden Sie sich neu an.",
    en: "You were signed out (after 30 minutes without use, or at the end of the working day). Please sign in again.",
};
pub const OFFLINE: Text = Text {
    de: "Keine Verbindung zum Server. Diese Seiten arbeiten nur online: Es geht weiter, sobald die Verbindung zurück ist.",
    en: "No connection to the server. These pages work online only: you can go on as soon as the connection is back.",
};
pub const TRY_AGAIN: Text = Text { de: "Erneut versuchen", en: "Try again" };
pub const PASSWORD_TITLE: Text = Text { de: "Eigenes Passwort festlegen", en: "Choose your own password" };
pub const PASSWORD_INTRO: Text = Text {
    de: "Ihr erstes Passwort wurde für Sie vergeben. Bitte wählen Sie jetzt ein eigenes (mindestens 10 Zeichen).",
    en: "Your first password was chosen for you. Please choose your own now (at least 10 characters).",
};
pub const CURRENT_PASSWORD: Text = Text { de: "Bisheriges Passwort", en: "Current password" };
pub const NEW_PASSWORD: Text = Text { de: "Neues Passwort", en: "New password" };
pub const REPEAT_PASSWORD: Text = Text { de: "Neues Passwort wiederholen", en: "Repeat the new password" };
pub const SAVE_PASSWORD: Text = Text { de: "Passwort speichern", en: "Save password" };
pub const PASSWORDS_DIFFER: Text = Text {
    de: "Die beiden neuen Passwörter sind nicht gleich.",
    en: "The two new passwords are not the same.",
};
pub const WRONG_WAY_SIGNED_IN: Text = Text {
    de: "Sie sind als {} angemeldet. Diese Seiten sind nicht für Ihr Konto.",
    en: "You are signed in as {}. These pages are not for your account.",
};

/// Where each way in leads, as a link's text.
pub fn go_to(way: WayIn) -> Text {
    match way {
        WayIn::Tablet => Text { de: "Zur Tablet-App", en: "Go to the tablet app" },
        WayIn::Office => Text { de: "Zum Büro", en: "Go to the office" },
        WayIn::Parents => Text { de: "Zu den Elternseiten", en: "Go to the parents' pages" },
    }
}

/// The server's error codes, as the office and the parents read them. Unknown codes get a general
/// sentence with the code, so that support can find it.
pub fn error(code: &str) -> Text {
    match code {
        "offline" => OFFLINE,
        "invalid_credentials" => Text {
            de: "Benutzername oder Passwort stimmt nicht.",
            en: "The user name or password is not correct.",
        },
        "too_many_attempts" => Text {
            de: "Zu viele falsche Versuche. Bitte warten Sie 15 Minuten oder lassen Sie das Passwort zurücksetzen.",
            en: "Too many wrong attempts. Please wait 15 minutes or ask for a password reset.",
        },
        "use_tablet" => Text {
            de: "Dieses Konto meldet sich auf dem Tablet an, in der Begleitbuch-App.",
            en: "This account signs in on the tablet, in the Begleitbuch app.",
        },
        "use_office" => Text {
            de: "Dieses Konto meldet sich im Büro an.",
            en: "This account signs in at the office.",
        },
        "use_parents_pages" => Text {
            de: "Dieses Konto meldet sich auf den Elternseiten an.",
            en: "This account signs in on the parents' pages.",
        },
        "wrong_current_password" => Text {
            de: "Das bisherige Passwort stimmt nicht.",
            en: "The current password is not correct.",
        },
        "password_too_short" => Text {
            de: "Das neue Passwort ist zu kurz: mindestens 10 Zeichen.",
            en: "The new password is too short: at least 10 characters.",
        },
        "password_too_long" => Text {
            de: "Das neue Passwort ist zu lang: höchstens 128 Zeichen.",
            en: "The new password is too long: at most 128 characters.",
        },
        "forbidden" => Text {
            de: "Das darf Ihr Konto nicht.",
            en: "Your account may not do this.",
        },
        "database_unavailable" | "internal" => Text {
            de: "Der Server hat gerade ein Problem. Bitte versuchen Sie es gleich noch einmal.",
            en: "The server has a problem right now. Please try again in a moment.",
        },
        _ => Text {
            de: "Das hat nicht geklappt. Bitte versuchen Sie es noch einmal.",
            en: "That did not work. Please try again.",
        },
    }
}

/// The way in an error code sends the user to, if it is one of the wrong-way refusals.
pub fn way_of_refusal(code: &str) -> Option<WayIn> {
    WayIn::ALL.into_iter().find(|way| way.refusal_code() == code)
}

/// Why an absence was reported: the tablet's form and the office's cover board use the same words.
pub fn absence_reason(reason: begleitbuch_domain::review::AbsenceReason) -> Text {
    use begleitbuch_domain::review::AbsenceReason;
    match reason {
        AbsenceReason::Sick => Text { de: "Krank", en: "Sick" },
        AbsenceReason::Holiday => Text { de: "Urlaub", en: "Holiday" },
        AbsenceReason::Training => Text { de: "Fortbildung", en: "Training" },
    }
}

/// The role's name in the signed-in line.
pub fn role(role: begleitbuch_domain::people::Role) -> Text {
    use begleitbuch_domain::people::Role;
    match role {
        Role::Companion => Text { de: "Schulbegleitung", en: "school companion" },
        Role::TeamLead => Text { de: "Teamleitung", en: "team lead" },
        Role::Admin => Text { de: "Administration", en: "administrator" },
        Role::Parent => Text { de: "Elternteil", en: "parent" },
    }
}

/// A child's legal basis, as the tablet's child cards and the office's Kinder room name it.
pub fn legal_basis(basis: begleitbuch_domain::child::LegalBasis) -> Text {
    use begleitbuch_domain::child::LegalBasis;
    match basis {
        LegalBasis::Sgb8Section35a => Text { de: "§ 35a SGB VIII", en: "§ 35a SGB VIII" },
        LegalBasis::Sgb9Section112 => Text { de: "§ 112 SGB IX", en: "§ 112 SGB IX" },
        LegalBasis::SystemicOnly => {
            Text { de: "systemisch (ohne Einzelanspruch)", en: "systemic (no individual entitlement)" }
        }
    }
}

/// Where a child's support stands.
pub fn support_status(status: begleitbuch_domain::child::SupportStatus) -> Text {
    use begleitbuch_domain::child::SupportStatus;
    match status {
        SupportStatus::Waiting => Text { de: "wartet auf Beginn", en: "waiting to begin" },
        SupportStatus::Supported => Text { de: "begleitet", en: "supported" },
        SupportStatus::Unsupplied => Text { de: "unversorgt", en: "unsupplied" },
        SupportStatus::Ended => Text { de: "beendet", en: "ended" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_names_its_way_and_has_its_own_text() {
        for way in WayIn::ALL {
            assert_eq!(way_of_refusal(way.refusal_code()), Some(way));
            assert_ne!(error(way.refusal_code()), error("something_unknown"), "{way:?}");
        }
        assert_eq!(way_of_refusal("invalid_credentials"), None);
    }
}
