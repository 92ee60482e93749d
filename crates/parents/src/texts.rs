//! The parents' catalogue: plain words, German and English side by side.

use begleitbuch_domain::consent::ConsentPurpose;
use begleitbuch_web::lang::Text;

pub const TITLE: Text = Text { de: "Für Eltern", en: "For parents" };
pub const FAMILY_TITLE: Text = Text { de: "Ihre Kinder", en: "Your children" };
pub const FAMILY_INTRO: Text = Text {
    de: "Hier sehen Sie, wofür Sie eingewilligt haben. Ändern können Sie das im Moment bei der Teamleitung.",
    en: "Here you see what you agreed to. For now, the team lead can change it for you.",
};
pub const LOADING: Text = Text { de: "Wird geladen …", en: "Loading …" };
pub const NONE: Text = Text {
    de: "Zu Ihrem Konto ist noch kein Kind eingetragen. Bitte sprechen Sie mit der Teamleitung.",
    en: "No child is linked to your account yet. Please talk to the team lead.",
};
pub const CONSENTS: Text = Text { de: "Einwilligungen", en: "Consents" };
pub const GRANTED: Text = Text { de: "Ja, erlaubt", en: "Yes, allowed" };
pub const NOT_GRANTED: Text = Text { de: "Nein, nicht erlaubt", en: "No, not allowed" };
pub const CHILD_PLACE: Text = Text { de: "{} · {}", en: "{} · {}" };

/// What each purpose allows, as parents read it.
pub fn purpose(purpose: ConsentPurpose) -> Text {
    match purpose {
        ConsentPurpose::Documentation => Text {
            de: "Die Schulbegleitung darf Beobachtungen über Ihr Kind aufschreiben.",
            en: "The school companion may write down observations about your child.",
        },
        ConsentPurpose::Naming => Text {
            de: "Ihr Kind darf bei Gruppenangeboten mit Namen genannt werden.",
            en: "Your child may be named in group sessions.",
        },
        ConsentPurpose::ParentSummary => Text {
            de: "Sie dürfen hier eine Zusammenfassung der Beobachtungen sehen.",
            en: "You may see a summary of the observations here.",
        },
    }
}
