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

pub const HOLDING_UNKNOWN: Text =
    Text { de: "Hat noch nicht gemeldet, was es hält", en: "Has not reported yet what it holds" };
pub const HOLDING_NOTHING: Text = Text { de: "Alles übertragen", en: "Everything sent" };
pub const HOLDING_ONE: Text = Text { de: "1 ungesendete Änderung seit {}", en: "1 unsent change since {}" };
pub const HOLDING_MANY: Text =
    Text { de: "{} ungesendete Änderungen seit {}", en: "{} unsent changes since {}" };
pub const HOLDING_UNRESOLVED: Text =
    Text { de: ", davon {} unter „Zu klären“", en: ", {} of them under “To resolve”" };
pub const REPORTED_AT: Text = Text { de: "gemeldet {}", en: "reported {}" };
pub const SIGNED_OUT_HERE: Text = Text { de: "abgemeldet", en: "signed out" };
pub const COLUMN_PEOPLE: Text = Text { de: "Personen und ihre Änderungen", en: "People and their changes" };
pub const COLUMN_APP: Text = Text { de: "App", en: "App" };
pub const COLUMN_ACTIONS: Text = Text { de: "Aktionen", en: "Actions" };
pub const FILTER_LABEL: Text = Text { de: "Anzeigen für", en: "Show for" };
pub const FILTER_ALL: Text = Text { de: "Alle Tablets", en: "All tablets" };
pub const FILTER_POOLS: Text = Text { de: "Pool", en: "Pool" };
pub const FILTER_PEOPLE: Text = Text { de: "Person", en: "Person" };
pub const FILTER_NONE: Text =
    Text { de: "Keine Tablets für diese Auswahl.", en: "No tablets for this choice." };
pub const REVOKE: Text = Text { de: "Sperren", en: "Revoke" };
pub const REVOKE_CONFIRM: Text = Text { de: "Sperren und Daten löschen", en: "Revoke and wipe" };
pub const REVOKE_LOSES: Text = Text {
    de: "{} sperren? Es löscht bei seiner nächsten Verbindung alle Daten. Die {} Änderungen, die es zuletzt ({}) als nicht übertragen gemeldet hat, gehen verloren.",
    en: "Revoke {}? It wipes all its data at its next connection. The {} changes it last reported ({}) as not transferred are lost.",
};
pub const REVOKE_LOSES_ONE: Text = Text {
    de: "{} sperren? Es löscht bei seiner nächsten Verbindung alle Daten. Die eine Änderung, die es zuletzt ({}) als nicht übertragen gemeldet hat, geht verloren.",
    en: "Revoke {}? It wipes all its data at its next connection. The one change it last reported ({}) as not transferred is lost.",
};
pub const REVOKE_NOTHING: Text = Text {
    de: "{} sperren? Es löscht bei seiner nächsten Verbindung alle Daten. Zuletzt ({}) hat es keine ungesendeten Änderungen gemeldet.",
    en: "Revoke {}? It wipes all its data at its next connection. When it last reported ({}), it held no unsent changes.",
};
pub const REVOKE_UNKNOWN: Text = Text {
    de: "{} sperren? Es löscht bei seiner nächsten Verbindung alle Daten, auch Änderungen, die es noch nicht übertragen hat — wie viele, hat es nicht gemeldet.",
    en: "Revoke {}? It wipes all its data at its next connection, including changes it has not sent yet — it has not reported how many.",
};

// Einrichtungen.
pub const INSTITUTIONS_TITLE: Text = Text { de: "Einrichtungen", en: "Institutions" };
pub const INSTITUTIONS_INTRO: Text = Text {
    de: "Die Schulen und Kitas Ihres Trägers mit ihren systemischen Jahrgängen und den zugewiesenen Vollzeitstellen (VZÄ) je Schuljahr.",
    en: "Your provider's schools and day-care centres with their systemic year levels and the allocated full-time equivalents (FTE) per school year.",
};
pub const INSTITUTIONS_LOADING: Text =
    Text { de: "Einrichtungen werden geladen …", en: "Loading institutions …" };
pub const INSTITUTIONS_NONE: Text = Text {
    de: "Noch keine Einrichtungen. Importieren Sie die Zuweisungsliste der Behörde.",
    en: "No institutions yet. Import the authority's allocation list.",
};
pub const INSTITUTIONS_COUNT: Text = Text {
    de: "{} Einrichtungen, {} mit VZÄ im Schuljahr {}: zusammen {} VZÄ",
    en: "{} institutions, {} with FTE in {}: {} FTE in all",
};
pub const SCHOOL_YEAR: Text = Text { de: "Schuljahr", en: "School year" };
pub const COLUMN_INSTITUTION: Text = Text { de: "Einrichtung", en: "Institution" };
pub const COLUMN_REGION: Text = Text { de: "Region", en: "Region" };
pub const COLUMN_LEVELS: Text =
    Text { de: "Systemisch: Jahrgänge oder Gruppen", en: "Systemic: year levels or groups" };
pub const COLUMN_FTE: Text = Text { de: "VZÄ", en: "FTE" };
pub const COLUMN_CHANGE: Text = Text { de: "Änderung", en: "Change" };
pub const COLUMN_LINE: Text = Text { de: "Zeile", en: "Line" };
pub const IMPORT_TITLE: Text = Text { de: "Zuweisungsliste importieren", en: "Import the allocation list" };
pub const IMPORT_INTRO: Text = Text {
    de: "Eine CSV-Datei im Format der Bremer Liste (Kopfzeile region,school,systemic_year_levels,fte_allocated). Erst die Vorschau, dann der Import: alles oder nichts.",
    en: "A CSV file in the format of Bremen's list (header region,school,systemic_year_levels,fte_allocated). Preview first, then import: all or nothing.",
};
pub const IMPORT_FILE: Text = Text { de: "Datei", en: "File" };
pub const IMPORT_FOR_YEAR: Text = Text { de: "Für das Schuljahr", en: "For the school year" };
pub const IMPORT_PREVIEW: Text = Text { de: "Vorschau", en: "Preview" };
pub const IMPORT_DO: Text = Text { de: "Importieren", en: "Import" };
pub const IMPORT_NO_FILE: Text = Text { de: "Bitte wählen Sie eine Datei.", en: "Please choose a file." };
pub const IMPORT_UNREADABLE: Text =
    Text { de: "Die Datei lässt sich nicht lesen.", en: "The file cannot be read." };
pub const IMPORT_REFUSED: Text = Text {
    de: "Die Liste wird nicht importiert: {} Zeilen sind fehlerhaft. Bitte korrigieren Sie sie und versuchen Sie es erneut.",
    en: "The list is not imported: {} lines are faulty. Please correct them and try again.",
};
pub const IMPORT_PLAN: Text = Text {
    de: "{} Zeilen: {} neu, {} geändert, {} unverändert.",
    en: "{} lines: {} new, {} changed, {} unchanged.",
};
pub const IMPORT_DONE: Text = Text {
    de: "Importiert für {}: {} neu, {} geändert, {} unverändert.",
    en: "Imported for {}: {} new, {} changed, {} unchanged.",
};
pub const IMPORT_NEW: Text = Text { de: "neu", en: "new" };
pub const IMPORT_UNCHANGED: Text = Text { de: "unverändert", en: "unchanged" };
pub const IMPORT_FTE_ADDED: Text =
    Text { de: "VZÄ für dieses Schuljahr neu", en: "FTE for this school year added" };
pub const IMPORT_FTE_CHANGED: Text = Text { de: "VZÄ geändert (vorher {})", en: "FTE changed (was {})" };
pub const IMPORT_DETAILS_CHANGED: Text =
    Text { de: "Region oder Jahrgänge geändert", en: "region or year levels changed" };
pub const IMPORT_HEADER: Text =
    Text { de: "Zeile 1: Die Kopfzeile muss „{}“ lauten.", en: "Line 1: the header must be “{}”." };
pub const IMPORT_FIELD_COUNT: Text = Text {
    de: "Zeile {}: 4 durch Kommas getrennte Felder erwartet, {} gefunden.",
    en: "Line {}: 4 fields separated by commas expected, {} found.",
};
pub const IMPORT_EMPTY: Text = Text { de: "Zeile {}: {} ist leer.", en: "Line {}: the {} is empty." };
pub const IMPORT_TEXT: Text = Text {
    de: "Zeile {}: {} muss eine Zeile mit höchstens 200 Zeichen ohne Steuerzeichen sein.",
    en: "Line {}: the {} must be one line of at most 200 characters without control characters.",
};
pub const IMPORT_FIELD_REGION: Text = Text { de: "Die Region", en: "region" };
pub const IMPORT_FIELD_SCHOOL: Text = Text { de: "Der Schulname", en: "school" };
pub const IMPORT_YEAR_LEVELS: Text = Text {
    de: "Zeile {}: „{}“ ist keine Zahl systemischer Jahrgänge (0 bis 13).",
    en: "Line {}: “{}” is not a number of systemic year levels (0 to 13).",
};
pub const IMPORT_FTE: Text = Text {
    de: "Zeile {}: „{}“ ist kein VZÄ-Wert wie 3,3.",
    en: "Line {}: “{}” is not an FTE value like 3.3.",
};
pub const IMPORT_DUPLICATE: Text = Text {
    de: "Zeile {}: „{}“ steht zweimal in der Liste.",
    en: "Line {}: “{}” appears twice in the list.",
};

// The office's rooms.
pub const NAV_LABEL: Text = Text { de: "Bereiche des Büros", en: "Office sections" };
pub const COVER_TITLE: Text = Text { de: "Vertretung", en: "Cover" };
pub const PEOPLE_TITLE: Text = Text { de: "Personen", en: "People" };

// Personen.
pub const PEOPLE_INTRO_ADMIN: Text = Text {
    de: "Alle Konten Ihres Trägers. Ein neues Konto erhält ein Einmal-Passwort, das die Person bei der ersten Anmeldung ändert.",
    en: "Every account of your provider. A new account gets a one-time password, which the person changes at their first sign-in.",
};
pub const PEOPLE_INTRO_LEAD: Text = Text {
    de: "Die Mitarbeitenden Ihres Trägers. Sie verwalten die Konten der Schulbegleitungen; andere Konten verwaltet die Administration.",
    en: "Your provider's staff. You manage the school companions' accounts; other accounts are managed by the administrators.",
};
pub const PEOPLE_LOADING: Text = Text { de: "Personen werden geladen …", en: "Loading people …" };
pub const PEOPLE_COLUMN_NAME: Text = Text { de: "Name", en: "Name" };
pub const PEOPLE_COLUMN_ROLE: Text = Text { de: "Rolle", en: "Role" };
pub const PEOPLE_COLUMN_LAST_ACTIVE: Text = Text { de: "Zuletzt aktiv", en: "Last active" };
pub const PEOPLE_NEVER: Text = Text { de: "noch nie", en: "never" };
pub const PEOPLE_FIRST_PASSWORD: Text =
    Text { de: "Einmal-Passwort noch nicht geändert", en: "One-time password not changed yet" };
pub const PEOPLE_DEACTIVATED: Text = Text { de: "Deaktiviert", en: "Deactivated" };
pub const PEOPLE_NEW: Text = Text { de: "Neue Person", en: "New person" };
pub const PEOPLE_CREATE: Text = Text { de: "Konto anlegen", en: "Create account" };
pub const PEOPLE_NAME_NEEDED: Text = Text {
    de: "Bitte geben Sie den Namen ein (höchstens 80 Zeichen).",
    en: "Please enter the name (at most 80 characters).",
};
pub const PEOPLE_LOGIN_NEEDED: Text = Text {
    de: "Bitte geben Sie einen Benutzernamen ohne Leerzeichen ein (höchstens 64 Zeichen).",
    en: "Please enter a user name without spaces (at most 64 characters).",
};
pub const PEOPLE_ROLE_NEEDED: Text =
    Text { de: "Bitte wählen Sie die Rolle.", en: "Please choose the role." };
pub const PEOPLE_ONE_TIME_FOR: Text =
    Text { de: "Einmal-Passwort für {} (Benutzername {}):", en: "One-time password for {} (user name {}):" };
pub const PEOPLE_ONE_TIME_HINT: Text = Text {
    de: "Nur jetzt sichtbar: Geben Sie es der Person persönlich weiter. Bei der ersten Anmeldung wählt sie ein eigenes Passwort.",
    en: "Shown only now: hand it to the person yourself. At their first sign-in they choose their own password.",
};
pub const PEOPLE_ONE_TIME_DONE: Text = Text { de: "Weitergegeben, ausblenden", en: "Handed over, hide it" };
pub const PEOPLE_RESET: Text = Text { de: "Passwort zurücksetzen", en: "Reset password" };
pub const PEOPLE_DEACTIVATE: Text = Text { de: "Deaktivieren", en: "Deactivate" };
pub const PEOPLE_ACTIVATE: Text = Text { de: "Aktivieren", en: "Activate" };
pub const CANCEL: Text = Text { de: "Abbrechen", en: "Cancel" };
pub const PEOPLE_RESET_QUESTION: Text = Text {
    de: "{} erhält ein neues Einmal-Passwort und wird überall abgemeldet. Ungesendete Änderungen bleiben auf den Tablets.",
    en: "{} gets a new one-time password and is signed out everywhere. Unsent changes stay on the tablets.",
};
pub const PEOPLE_DEACTIVATE_QUESTION: Text = Text {
    de: "{} kann sich nicht mehr anmelden und wird überall abgemeldet. Alles Dokumentierte bleibt erhalten.",
    en: "{} can no longer sign in and is signed out everywhere. Everything documented stays.",
};
pub const PEOPLE_ACTIVATE_QUESTION: Text = Text {
    de: "{} kann sich wieder mit dem bisherigen Passwort anmelden.",
    en: "{} can sign in again with their existing password.",
};

/// The People room's refusals by the server, beside the shared ones.
pub fn people_error(code: &str) -> Option<Text> {
    Some(match code {
        "login_taken" => Text {
            de: "Dieser Benutzername ist schon vergeben. Bitte wählen Sie einen anderen.",
            en: "This user name is taken. Please choose another.",
        },
        "invalid_login" => PEOPLE_LOGIN_NEEDED,
        "invalid_display_name" => Text {
            de: "Der Name muss eine Zeile mit 1 bis 80 Zeichen sein.",
            en: "The name must be one line of 1 to 80 characters.",
        },
        "cannot_deactivate_self" => Text {
            de: "Das eigene Konto kann man nicht deaktivieren.",
            en: "You cannot deactivate your own account.",
        },
        "user_not_found" => Text {
            de: "Dieses Konto gibt es nicht (mehr). Die Liste ist neu geladen.",
            en: "This account does not exist (any more). The list is reloaded.",
        },
        _ => return None,
    })
}

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

// Pools.
pub const POOLS_TITLE: Text = Text { de: "Pools", en: "Pools" };
pub const POOLS_INTRO: Text = Text {
    de: "Je Einrichtung und Schuljahr ein Pool, und wer darin arbeitet: mit den Wochenstunden laut Vertrag, dem ersten und dem letzten Tag. Die Tablets der Personen erhalten einen Pool bei ihrer nächsten Synchronisierung und geben ihn nach dem letzten Tag ab; Dokumentiertes bleibt im Pool.",
    en: "One pool per institution and school year, and who works in it: with the weekly hours of their contract, the first and the last day. People's tablets receive a pool at their next sync and give it up after the last day; what was documented stays in the pool.",
};
pub const POOLS_LOADING: Text = Text { de: "Pools werden geladen …", en: "Loading pools …" };
pub const POOLS_NONE: Text =
    Text { de: "Im Schuljahr {} gibt es noch keine Pools.", en: "There are no pools in {} yet." };
pub const POOLS_NEW: Text = Text { de: "Neuer Pool", en: "New pool" };
pub const POOLS_CREATE: Text = Text { de: "Pool anlegen", en: "Create pool" };
pub const POOLS_NO_INSTITUTIONS: Text = Text {
    de: "Jede Einrichtung hat in diesem Schuljahr schon einen Pool, oder es gibt noch keine Einrichtungen (Bereich Einrichtungen).",
    en: "Every institution has a pool in this school year already, or there are no institutions yet (Institutions section).",
};
pub const POOLS_INSTITUTION_NEEDED: Text =
    Text { de: "Bitte wählen Sie die Einrichtung.", en: "Please choose the institution." };
pub const POOLS_JOIN: Text = Text { de: "Person aufnehmen", en: "Add a person" };
pub const POOLS_ADD: Text = Text { de: "Aufnehmen", en: "Add" };
pub const POOLS_POOL: Text = Text { de: "Pool", en: "Pool" };
pub const POOLS_PERSON: Text = Text { de: "Person", en: "Person" };
pub const POOLS_HOURS: Text = Text { de: "Wochenstunden laut Vertrag", en: "Weekly contract hours" };
pub const POOLS_FIRST_DAY: Text = Text { de: "Erster Tag", en: "First day" };
pub const POOLS_LAST_DAY: Text = Text { de: "Letzter Tag", en: "Last day" };
pub const POOLS_SUMMARY: Text = Text {
    de: "{} Personen, zusammen {} Wochenstunden laut Vertrag",
    en: "{} people, {} weekly contract hours in all",
};
pub const POOLS_SUMMARY_ONE: Text =
    Text { de: "1 Person, {} Wochenstunden laut Vertrag", en: "1 person, {} weekly contract hours" };
pub const POOLS_NO_MEMBERS: Text =
    Text { de: "Noch niemand in diesem Pool.", en: "Nobody in this pool yet." };
pub const POOLS_END: Text = Text { de: "Beenden", en: "End" };
pub const POOLS_END_CONFIRM: Text = Text { de: "Mitgliedschaft beenden", en: "End membership" };
pub const POOLS_END_QUESTION: Text = Text {
    de: "{} arbeitet bis einschließlich zu diesem Tag im Pool. Was dokumentiert ist, bleibt im Pool.",
    en: "{} works in the pool up to and including this day. What is documented stays in the pool.",
};
pub const POOLS_POOL_NEEDED: Text = Text { de: "Bitte wählen Sie den Pool.", en: "Please choose the pool." };
pub const POOLS_PERSON_NEEDED: Text =
    Text { de: "Bitte wählen Sie die Person.", en: "Please choose the person." };
pub const POOLS_HOURS_NEEDED: Text = Text {
    de: "Bitte geben Sie die Wochenstunden laut Vertrag ein, z. B. 19,5.",
    en: "Please enter the weekly contract hours, e.g. 19.5.",
};
pub const POOLS_DAY_NEEDED: Text = Text { de: "Bitte geben Sie den Tag an.", en: "Please enter the day." };

/// The Pools room's refusals, by the domain's rules (checked before sending) or the server.
pub fn pools_error(code: &str) -> Option<Text> {
    Some(match code {
        "contract_hours" => Text {
            de: "Die Wochenstunden müssen mehr als 0 und höchstens 48 sein.",
            en: "The weekly hours must be more than 0 and at most 48.",
        },
        "outside_school_year" => Text {
            de: "Der Tag muss im Schuljahr des Pools liegen (1. August bis 31. Juli).",
            en: "The day must lie in the pool's school year (1 August to 31 July).",
        },
        "ends_before_start" => Text {
            de: "Der letzte Tag liegt vor dem ersten Tag.",
            en: "The last day is before the first day.",
        },
        "not_pool_work" => Text {
            de: "In Pools arbeiten nur Schulbegleitungen und Teamleitungen.",
            en: "Only school companions and team leads work in pools.",
        },
        "membership_overlaps" => Text {
            de: "Diese Person ist an diesem Tag schon im Pool. Eine neue Mitgliedschaft kann erst nach dem Ende der bisherigen beginnen.",
            en: "This person is in the pool on that day already. A new membership can only start after the current one has ended.",
        },
        "membership_ended" => Text {
            de: "Diese Mitgliedschaft ist schon beendet. Die Liste ist neu geladen.",
            en: "This membership has ended already. The list is reloaded.",
        },
        "pool_exists" => Text {
            de: "Diese Einrichtung hat in diesem Schuljahr schon einen Pool.",
            en: "This institution has a pool in this school year already.",
        },
        "user_disabled" => Text {
            de: "Ein deaktiviertes Konto kann keinem Pool beitreten.",
            en: "A deactivated account cannot join a pool.",
        },
        "pool_not_found" | "institution_not_found" | "user_not_found" | "membership_not_found" => Text {
            de: "Das gibt es nicht (mehr). Die Liste ist neu geladen.",
            en: "This does not exist (any more). The list is reloaded.",
        },
        _ => return None,
    })
}

// Erste Schritte.
pub const SETUP_TITLE: Text = Text { de: "Erste Schritte", en: "Getting started" };
pub const SETUP_INTRO: Text = Text {
    de: "Ihr Büro ist noch nicht eingerichtet. Gehen Sie diese Schritte der Reihe nach; jeder führt in seinen Bereich.",
    en: "Your office is not set up yet. Take these steps in order; each leads to its section.",
};
pub const SETUP_INSTITUTIONS: Text = Text {
    de: "Einrichtungen: die Zuweisungsliste der Behörde importieren",
    en: "Institutions: import the authority's allocation list",
};
pub const SETUP_FTE: Text = Text {
    de: "Schuljahr und VZÄ: die Liste eines Schuljahres mit den VZÄ je Einrichtung",
    en: "School year and FTE: a school year's list with the FTE per institution",
};
pub const SETUP_POOLS: Text = Text {
    de: "Pools: je Einrichtung und Schuljahr einen Pool anlegen",
    en: "Pools: one per institution and school year",
};
pub const SETUP_PEOPLE: Text = Text {
    de: "Personen: Konten für die Schulbegleitungen anlegen",
    en: "People: create the school companions' accounts",
};
pub const SETUP_MEMBERS: Text = Text {
    de: "Pool-Mitglieder: die Schulbegleitungen mit ihren Wochenstunden in ihre Pools aufnehmen",
    en: "Pool members: add the school companions with their weekly hours to their pools",
};
pub const SETUP_DONE: Text = Text { de: "erledigt", en: "done" };
pub const SETUP_NEXT: Text = Text { de: "als Nächstes", en: "next" };

// Einrichtungen by hand.
pub const INSTITUTION_NEW: Text = Text { de: "Neue Einrichtung", en: "New institution" };
pub const INSTITUTION_EDIT: Text = Text { de: "Einrichtung bearbeiten: {}", en: "Edit institution: {}" };
pub const INSTITUTION_EDIT_ONE: Text = Text { de: "Bearbeiten", en: "Edit" };
pub const INSTITUTION_SAVE: Text = Text { de: "Speichern", en: "Save" };
pub const INSTITUTION_CREATE: Text = Text { de: "Einrichtung anlegen", en: "Create institution" };
pub const INSTITUTION_KIND: Text = Text { de: "Art", en: "Kind" };
pub const INSTITUTION_SCHOOL: Text = Text { de: "Schule", en: "School" };
pub const INSTITUTION_DAY_CARE: Text = Text { de: "Kita", en: "Day-care centre" };
pub const INSTITUTION_LEVELS: Text =
    Text { de: "Systemische Jahrgänge (z. B. 1-4 oder 5)", en: "Systemic year levels (e.g. 1-4 or 5)" };
pub const INSTITUTION_GROUPS: Text =
    Text { de: "Systemische Gruppen (eine je Zeile)", en: "Systemic groups (one per line)" };
pub const INSTITUTION_SAVED: Text = Text { de: "Gespeichert: {}", en: "Saved: {}" };
pub const INSTITUTION_LEVELS_NEEDED: Text = Text {
    de: "Bitte geben Sie die Jahrgänge als Zahlen von 1 bis 13 ein, z. B. 1-4 oder 1-2, 5.",
    en: "Please enter the year levels as numbers from 1 to 13, e.g. 1-4 or 1-2, 5.",
};

/// An institution's refusals, by the domain's checks (before sending) or the server.
pub fn institution_error(code: &str) -> Option<Text> {
    Some(match code {
        "invalid_institution_name" => Text {
            de: "Bitte geben Sie den Namen ein (eine Zeile, höchstens 200 Zeichen).",
            en: "Please enter the name (one line, at most 200 characters).",
        },
        "invalid_region" => Text {
            de: "Bitte geben Sie die Region ein (eine Zeile, höchstens 200 Zeichen).",
            en: "Please enter the region (one line, at most 200 characters).",
        },
        "invalid_year_levels" => INSTITUTION_LEVELS_NEEDED,
        "invalid_groups" => Text {
            de: "Bitte geben Sie die Gruppen ein, jede nur einmal, höchstens 40, je höchstens 80 Zeichen.",
            en: "Please enter the groups, each only once, at most 40, each at most 80 characters.",
        },
        "institution_exists" => Text {
            de: "Eine Einrichtung dieses Namens gibt es schon.",
            en: "An institution of this name exists already.",
        },
        "institution_not_found" => Text {
            de: "Diese Einrichtung gibt es nicht (mehr). Die Liste ist neu geladen.",
            en: "This institution does not exist (any more). The list is reloaded.",
        },
        _ => return None,
    })
}

// Kinder.
pub const CHILDREN_TITLE: Text = Text { de: "Kinder", en: "Children" };
pub const CHILDREN_INTRO: Text = Text {
    de: "Die Kinder je Einrichtung und Pool, mit dem Nötigsten für die Arbeit: Name oder Pseudonym, Klasse oder Gruppe, Rechtsgrundlage, bewilligte Stunden und Status. Die Tablets des Pools erhalten sie bei ihrer nächsten Synchronisierung.",
    en: "The children per institution and pool, with what the work needs: name or pseudonym, class or group, legal basis, approved hours and status. The pool's tablets receive them at their next sync.",
};
pub const CHILDREN_LOADING: Text = Text { de: "Kinder werden geladen …", en: "Loading children …" };
pub const CHILDREN_NONE: Text =
    Text { de: "Noch keine Kinder in diesem Pool.", en: "No children in this pool yet." };
pub const CHILDREN_NO_POOLS: Text = Text {
    de: "Im Schuljahr {} gibt es noch keine Pools. Legen Sie zuerst im Bereich Pools einen an.",
    en: "There are no pools in {} yet. Create one in the Pools section first.",
};
pub const CHILDREN_NEW: Text = Text { de: "Neues Kind", en: "New child" };
pub const CHILDREN_EDIT: Text = Text { de: "Kind bearbeiten: {}", en: "Edit child: {}" };
pub const CHILDREN_SAVED: Text = Text { de: "Gespeichert: {}", en: "Saved: {}" };
pub const CHILDREN_CREATE: Text = Text { de: "Kind anlegen", en: "Add child" };
pub const CHILDREN_NAME: Text = Text { de: "Name oder Pseudonym", en: "Name or pseudonym" };
pub const CHILDREN_GROUP: Text = Text { de: "Klasse oder Gruppe", en: "Class or group" };
pub const CHILDREN_BASIS: Text = Text { de: "Rechtsgrundlage", en: "Legal basis" };
pub const CHILDREN_APPROVED: Text =
    Text { de: "Bewilligte Stunden pro Woche", en: "Approved hours per week" };
pub const CHILDREN_STATUS: Text = Text { de: "Status", en: "Status" };
pub const CHILDREN_SINCE: Text = Text { de: "Beginn", en: "Begins" };
pub const CHILDREN_UNTIL: Text = Text { de: "Bis (optional)", en: "Until (optional)" };
pub const CHILDREN_HOURS: Text = Text { de: "{} Std.", en: "{} h" };
pub const CHILDREN_HOURS_NEEDED: Text = Text {
    de: "Bitte geben Sie die bewilligten Stunden pro Woche ein (mehr als 0, höchstens 40), z. B. 7,5. Ohne Einzelanspruch (systemisch) bleibt das Feld leer.",
    en: "Please enter the approved hours per week (more than 0, at most 40), e.g. 7.5. Without an individual entitlement (systemic) the field stays empty.",
};
pub const CHILDREN_NAME_NEEDED: Text = Text {
    de: "Bitte geben Sie einen Namen oder ein Pseudonym ein (eine Zeile, höchstens 60 Zeichen), nie den vollen Namen.",
    en: "Please enter a name or pseudonym (one line, at most 60 characters), never the full name.",
};
pub const CHILDREN_GROUP_NEEDED: Text = Text {
    de: "Die Klasse oder Gruppe ist eine Zeile mit höchstens 40 Zeichen.",
    en: "The class or group is one line of at most 40 characters.",
};
pub const CHILDREN_SINCE_NEEDED: Text =
    Text { de: "Bitte geben Sie die Tage als Datum an.", en: "Please enter the days as dates." };
pub const CHILDREN_UNCHANGED: Text = Text { de: "Es hat sich nichts geändert.", en: "Nothing has changed." };
pub const CHILDREN_CHANGED_MEANWHILE: Text = Text {
    de: "Dieses Kind wurde inzwischen geändert. Die Liste ist neu geladen; bitte prüfen Sie es.",
    en: "This child was changed meanwhile. The list is reloaded; please check it.",
};
pub const SETUP_CHILDREN: Text = Text {
    de: "Kinder: die Kinder mit ihren bewilligten Stunden in ihren Pools anlegen",
    en: "Children: add the children with their approved hours to their pools",
};

pub const CHILDREN_FILE: Text = Text { de: "Sorgeberechtigte & Einwilligungen", en: "Guardians & consents" };
pub const FILE_TITLE: Text =
    Text { de: "Sorgeberechtigte und Einwilligungen: {}", en: "Guardians and consents: {}" };
pub const CLOSE: Text = Text { de: "Schließen", en: "Close" };
pub const FILE_HOLDS: Text = Text { de: "Was heute erlaubt ist", en: "What is allowed today" };
pub const CONSENT_HOLDS: Text = Text { de: "erteilt", en: "granted" };
pub const CONSENT_MISSING: Text = Text { de: "nicht erteilt", en: "not granted" };
pub const PURPOSE_DOCUMENTATION: Text = Text { de: "Beobachtungen dokumentieren", en: "Record observations" };
pub const PURPOSE_NAMING: Text =
    Text { de: "In Gruppenangeboten namentlich nennen", en: "Name in group sessions" };
pub const PURPOSE_PARENT_SUMMARY: Text =
    Text { de: "Zusammenfassung für die Eltern", en: "Summary for the parents" };
pub const GUARDIANS: Text = Text { de: "Sorgeberechtigte", en: "Guardians" };
pub const GUARDIANS_NONE: Text = Text {
    de: "Noch ist niemand als sorgeberechtigt erfasst. Einwilligungen nennen immer eine sorgeberechtigte Person.",
    en: "Nobody is recorded as a guardian yet. Every consent names a guardian.",
};
pub const GUARDIAN_NAME: Text = Text { de: "Name", en: "Name" };
pub const GUARDIAN_CONTACT: Text = Text { de: "Kontakt (optional)", en: "Contact (optional)" };
pub const GUARDIAN_ADD: Text = Text { de: "Sorgeberechtigte Person erfassen", en: "Add guardian" };
pub const GUARDIAN_SAVED: Text = Text { de: "Sorgeberechtigte Person gespeichert.", en: "Guardian saved." };
pub const GUARDIAN_NAME_NEEDED: Text = Text {
    de: "Bitte geben Sie den Namen ein, wie er auf dem Formular steht (höchstens 80 Zeichen).",
    en: "Please enter the name as it stands on the form (at most 80 characters).",
};
pub const GUARDIAN_CONTACT_NEEDED: Text =
    Text { de: "Der Kontakt hat höchstens 120 Zeichen.", en: "The contact has at most 120 characters." };
pub const GUARDIAN_LINK_WHO: Text =
    Text { de: "Bereits erfasst (z. B. bei Geschwistern)", en: "Already recorded (a sibling's, say)" };
pub const GUARDIAN_LINK: Text = Text { de: "Auch für dieses Kind", en: "Also for this child" };
pub const CONSENT_RECORD: Text =
    Text { de: "Unterschriebenes Formular erfassen", en: "Record a signed form" };
pub const CONSENT_GUARDIAN: Text = Text { de: "Sorgeberechtigte Person", en: "Guardian" };
pub const CONSENT_PURPOSE: Text = Text { de: "Zweck", en: "Purpose" };
pub const CONSENT_STATE: Text = Text { de: "Erklärung", en: "Declaration" };
pub const CONSENT_GRANTED: Text = Text { de: "Einwilligung erteilt", en: "Consent granted" };
pub const CONSENT_WITHDRAWN: Text = Text { de: "Einwilligung widerrufen", en: "Consent withdrawn" };
pub const CONSENT_REFERENCE: Text =
    Text { de: "Formular-Nr. oder Aktenzeichen", en: "Form number or file reference" };
pub const CONSENT_SIGNED_ON: Text = Text { de: "Unterschrieben am", en: "Signed on" };
pub const CONSENT_SAVE: Text = Text { de: "Erklärung erfassen", en: "Record declaration" };
pub const CONSENT_SAVED: Text = Text {
    de: "Erklärung erfasst. Die Tablets des Pools richten sich ab ihrem nächsten Abgleich danach.",
    en: "Declaration recorded. The pool's tablets follow it from their next sync.",
};
pub const CONSENT_HISTORY: Text =
    Text { de: "Alle Erklärungen, neueste zuerst", en: "Every declaration, newest first" };
pub const CONSENT_GUARDIAN_NEEDED: Text =
    Text { de: "Bitte wählen Sie die sorgeberechtigte Person.", en: "Please choose the guardian." };
pub const CONSENT_REFERENCE_NEEDED: Text = Text {
    de: "Bitte geben Sie an, unter welcher Nummer das Formular abgelegt ist (höchstens 60 Zeichen).",
    en: "Please enter the number the form is filed under (at most 60 characters).",
};
pub const CONSENT_SIGNED_NEEDED: Text = Text {
    de: "Bitte geben Sie den Tag der Unterschrift an; er liegt nicht in der Zukunft.",
    en: "Please enter the day it was signed; it is not in the future.",
};
pub const FILE_DELIVERED: Text =
    Text { de: "Erhalten aus Gruppenangeboten", en: "Received from group sessions" };
pub const FILE_WEEK_OF: Text = Text {
    de: "Diese Woche {} Std. von {} Std. bewilligt; diesen Monat {} Std.",
    en: "This week {} h of {} h approved; this month {} h.",
};
pub const FILE_WEEK: Text =
    Text { de: "Diese Woche {} Std.; diesen Monat {} Std.", en: "This week {} h; this month {} h." };
pub const GOALS: Text = Text { de: "Förderziele", en: "Support-plan goals" };
pub const GOALS_NONE: Text = Text { de: "Noch keine Förderziele.", en: "No support-plan goals yet." };
pub const GOAL_TITLE: Text = Text { de: "Ziel", en: "Goal" };
pub const GOAL_ADD: Text = Text { de: "Ziel hinzufügen", en: "Add goal" };
pub const GOAL_EDIT: Text = Text { de: "Umformulieren", en: "Reword" };
pub const GOAL_CLOSE: Text = Text { de: "Abschließen", en: "Close" };
pub const GOAL_REOPEN: Text = Text { de: "Wieder aufnehmen", en: "Take up again" };
pub const GOAL_CLOSED: Text = Text { de: "abgeschlossen", en: "closed" };
pub const GOAL_SAVED: Text = Text { de: "Förderziel gespeichert.", en: "Goal saved." };
pub const GOAL_TITLE_NEEDED: Text = Text {
    de: "Bitte beschreiben Sie das Ziel in höchstens 200 Zeichen.",
    en: "Please describe the goal in at most 200 characters.",
};
pub const CHILDREN_APPROVED_ON: Text = Text { de: "Bewilligt am (optional)", en: "Approved on (optional)" };
pub const CHILDREN_APPROVED_AFTER_START: Text = Text {
    de: "Die Begleitung beginnt frühestens am Tag der Bewilligung.",
    en: "Support begins on the day of approval at the earliest.",
};
pub const CHILDREN_ENDED_NEEDS_END: Text = Text {
    de: "Eine beendete Begleitung hat einen letzten Tag („Bis“).",
    en: "Support that has ended has a last day (“Until”).",
};
