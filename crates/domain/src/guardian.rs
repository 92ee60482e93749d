//! Guardians (*Sorgeberechtigte*) as the provider records them: a name and how to reach them, and the
//! children they have custody of. A guardian needs no account: most consents arrive on paper. If a
//! guardian is later invited to the parents' pages, their account takes the guardian's id, so the
//! declarations they signed on paper and those they give online name the same custodian.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::ids::{ChildId, GuardianId};
use crate::record::{Record, RecordKind};
use crate::validate::{text, Field, ValidationError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guardian {
    pub id: GuardianId,
    /// As it stands on the consent form.
    pub name: String,
    /// A phone number or address, as the guardian gave it; may be empty.
    pub contact: String,
    /// The children this guardian has custody of (a set: two leads linking two siblings both win).
    pub children: BTreeSet<ChildId>,
}

pub const MAX_GUARDIAN_NAME_CHARS: usize = 80;
pub const MAX_GUARDIAN_CONTACT_CHARS: usize = 120;

impl Guardian {
    /// A name, a short contact, at least one child (a guardian of nobody has no place here).
    pub fn check(&self) -> Result<(), ValidationError> {
        text(Field::Name, &self.name, true, MAX_GUARDIAN_NAME_CHARS)?;
        text(Field::Contact, &self.contact, false, MAX_GUARDIAN_CONTACT_CHARS)?;
        if self.children.is_empty() {
            return Err(ValidationError::Empty { field: Field::Child });
        }
        Ok(())
    }
}

impl Record for Guardian {
    const KIND: RecordKind = RecordKind::Guardian;
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn guardian() -> Guardian {
        Guardian {
            id: GuardianId(Uuid::from_u128(1)),
            name: "Petra Sommer".into(),
            contact: "0421 555 0101".into(),
            children: BTreeSet::from([ChildId(Uuid::from_u128(2))]),
        }
    }

    #[test]
    fn a_guardian_has_a_name_a_short_contact_and_a_child() {
        assert_eq!(guardian().check(), Ok(()));
        assert_eq!(Guardian { contact: String::new(), ..guardian() }.check(), Ok(()));
        let cases = [
            (Guardian { name: "  ".into(), ..guardian() }, ValidationError::Empty { field: Field::Name }),
            (
                Guardian { name: "x".repeat(MAX_GUARDIAN_NAME_CHARS + 1), ..guardian() },
                ValidationError::TextTooLong { field: Field::Name, max: MAX_GUARDIAN_NAME_CHARS },
            ),
            (
                Guardian { contact: "x".repeat(MAX_GUARDIAN_CONTACT_CHARS + 1), ..guardian() },
                ValidationError::TextTooLong { field: Field::Contact, max: MAX_GUARDIAN_CONTACT_CHARS },
            ),
            (
                Guardian { children: BTreeSet::new(), ..guardian() },
                ValidationError::Empty { field: Field::Child },
            ),
        ];
        for (guardian, error) in cases {
            assert_eq!(guardian.check(), Err(error), "{guardian:?}");
        }
    }
}
