//! The parents' children, as their first page shows them.

pub mod page;

use begleitbuch_domain::family::FamilyChild;
use begleitbuch_web::lang::{Lang, Text};

use crate::texts;

/// One consent line: what the purpose allows and whether it does now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentLine {
    pub purpose: Text,
    pub answer: Text,
    pub granted: bool,
}

pub fn consent_lines(child: &FamilyChild) -> Vec<ConsentLine> {
    child
        .consents
        .iter()
        .map(|consent| ConsentLine {
            purpose: texts::purpose(consent.purpose),
            answer: if consent.granted { texts::GRANTED } else { texts::NOT_GRANTED },
            granted: consent.granted,
        })
        .collect()
}

/// `4b · Grundschule Am Wasser`: the child's group and school.
pub fn place(lang: Lang, child: &FamilyChild) -> String {
    texts::CHILD_PLACE.fill(lang, &[&child.group, &child.institution])
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::consent::ConsentPurpose;
    use begleitbuch_domain::family::PurposeConsent;
    use begleitbuch_domain::ids::ChildId;
    use uuid::Uuid;

    #[test]
    fn each_purpose_says_what_it_allows_and_whether_it_holds() {
        let child = FamilyChild {
            id: ChildId(Uuid::from_u128(1)),
            display_name: "Kind A.".into(),
            group: "4b".into(),
            institution: "Schule am Wasser".into(),
            consents: vec![
                PurposeConsent { purpose: ConsentPurpose::Documentation, granted: true },
                PurposeConsent { purpose: ConsentPurpose::Naming, granted: false },
            ],
        };
        let lines = consent_lines(&child);
        assert_eq!(lines[0].answer, texts::GRANTED);
        assert_eq!(lines[1].answer, texts::NOT_GRANTED);
        assert_eq!(lines[1].purpose, texts::purpose(ConsentPurpose::Naming));
        assert_eq!(place(Lang::De, &child), "4b · Schule am Wasser");
    }
}
