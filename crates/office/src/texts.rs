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

// The office's rooms.
pub const NAV_LABEL: Text = Text { de: "Bereiche des Büros", en: "Office sections" };
pub const COVER_TITLE: Text = Text { de: "Vertretung", en: "Cover" };
pub const PEOPLE_TITLE: Text = Text { de: "Personen", en: "People" };

// Vertretung.
pub const COVER_INTRO: Text = Text {
    de: "Wer fehlt, welche Kinder ohne ihre Begleitung sind, und wer sie vertritt. Eine eingetragene Vertretung erscheint auf dem Tablet der Vertretung nach dessen nächster Synchronisierung.",
    en: "Who is absent, which children are without their companion, and who covers. Cover appears on the covering companion's tablet after its next sync.",
};
pub const COVER_LOADING: Text = Text { de: "Abwesenheiten werden geladen …", en: "Loading absences …" };
pub const COVER_NONE: Text =
    Text { de: "Zurzeit ist niemand abwesend gemeldet.", en: "Nobody is reported absent at the moment." };
pub const COVER_AFFECTED: Text = Text { de: "Betroffene Kinder:", en: "Children affected:" };
pub const COVER_NO_CHILDREN: Text = Text { de: "keine", en: "none" };
pub const COVER_GRANTED_TO: Text = Text { de: "Vertretung: {}", en: "Cover: {}" };
pub const COVER_END: Text = Text { de: "Vertretung beenden", en: "End cover" };
pub const COVER_COMPANION: Text = Text { de: "Vertretung durch", en: "Covered by" };
pub const COVER_CHOOSE: Text = Text { de: "Bitte wählen", en: "Please choose" };
pub const COVER_FROM: Text = Text { de: "Von", en: "From" };
pub const COVER_UNTIL: Text = Text { de: "Bis einschließlich", en: "Until (inclusive)" };
pub const COVER_GRANT: Text = Text { de: "Vertretung eintragen", en: "Grant cover" };
pub const COVER_NO_COMPANION: Text = Text {
    de: "Bitte wählen Sie, wer vertritt (nicht die abwesende Person selbst).",
    en: "Please choose who covers (not the absent person).",
};
pub const COVER_ALREADY: Text = Text {
    de: "Diese Vertretung ist für diese Tage schon eingetragen.",
    en: "This cover is already granted for these days.",
};
pub const COVER_NOT_A_DATE: Text =
    Text { de: "Bitte geben Sie beide Tage an.", en: "Please enter both days." };
pub const COVER_UNTIL_BEFORE_FROM: Text =
    Text { de: "Der letzte Tag liegt vor dem ersten.", en: "The last day is before the first." };
pub const COVER_CHANGED_MEANWHILE: Text = Text {
    de: "Diese Vertretung wurde inzwischen geändert. Die Liste ist neu geladen; bitte prüfen Sie sie.",
    en: "This cover was changed meanwhile. The list is reloaded; please check it.",
};

/// Why an absence was reported.
pub fn absence_reason(reason: begleitbuch_domain::review::AbsenceReason) -> Text {
    use begleitbuch_domain::review::AbsenceReason;
    match reason {
        AbsenceReason::Sick => Text { de: "Krank", en: "Sick" },
        AbsenceReason::Holiday => Text { de: "Urlaub", en: "Holiday" },
        AbsenceReason::Training => Text { de: "Fortbildung", en: "Training" },
    }
}

/// Why the server refused an office write.
pub fn refusal(reason: &begleitbuch_domain::protocol::RejectReason) -> Text {
    use begleitbuch_domain::protocol::RejectReason;
    match reason {
        RejectReason::Forbidden => {
            Text { de: "Das darf Ihr Konto nicht.", en: "Your account may not do this." }
        }
        RejectReason::UnknownRecord => Text {
            de: "Diesen Eintrag gibt es nicht mehr. Die Liste ist neu geladen.",
            en: "This entry no longer exists. The list is reloaded.",
        },
        RejectReason::WeekLocked => Text {
            de: "Diese Woche ist schon freigegeben und kann nicht mehr geändert werden.",
            en: "This week is approved already and can no longer change.",
        },
        RejectReason::RecordDeleted => Text {
            de: "Dieser Eintrag wurde inzwischen gelöscht. Die Liste ist neu geladen.",
            en: "This entry was deleted meanwhile. The list is reloaded.",
        },
        RejectReason::FieldRefused { .. } | RejectReason::Invalid { .. } | RejectReason::ConsentMissing => {
            Text {
                de: "Der Server hat die Änderung nach seinen Regeln abgelehnt; bitte prüfen Sie die Angaben.",
                en: "The server refused the change by its rules; please check what you entered.",
            }
        }
        RejectReason::KindMismatch
        | RejectReason::BadPayload { .. }
        | RejectReason::UnsupportedPayloadVersion { .. }
        | RejectReason::NumberReused => Text {
            de: "Diese Version des Büros passt nicht zum Server. Bitte laden Sie die Seite neu.",
            en: "This version of the office does not match the server. Please reload the page.",
        },
    }
}
