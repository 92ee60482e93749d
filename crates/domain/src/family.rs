//! What parents see of their children on the parents' pages: who the child is to the team (the name or
//! pseudonym, group, school) and, per purpose, whether consent holds now. Nothing about the work itself:
//! the documented summary comes with the parents' portal.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::child::Child;
use crate::consent::{self, Consent, ConsentPurpose};
use crate::ids::ChildId;

/// `GET /api/v1/family`: one per child of the signed-in parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FamilyChild {
    pub id: ChildId,
    pub display_name: String,
    pub group: String,
    pub institution: String,
    /// Every purpose, in [`ConsentPurpose::ALL`]'s order.
    pub consents: Vec<PurposeConsent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurposeConsent {
    pub purpose: ConsentPurpose,
    pub granted: bool,
}

/// The parent's view of `child`, from all declarations about it (anyone's: either custodian's
/// withdrawal wins, see [`consent::is_granted`]).
pub fn summarise(
    child: &Child,
    institution: String,
    declarations: &[Consent],
    now: DateTime<Utc>,
) -> FamilyChild {
    FamilyChild {
        id: child.id,
        display_name: child.display_name.clone(),
        group: child.group.clone(),
        institution,
        consents: ConsentPurpose::ALL
            .into_iter()
            .map(|purpose| PurposeConsent {
                purpose,
                granted: consent::is_granted(declarations, child.id, purpose, now),
            })
            .collect(),
    }
}
