//! Parents' consent, per child and purpose, dated and versioned.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ChildId, ConsentId, UserId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentPurpose {
    /// Observations about the child may be recorded.
    Documentation,
    /// The child may be named in group sessions (otherwise only counted).
    Naming,
    /// Shareable observations may be shown to the parents in the portal.
    ParentSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentState {
    Granted,
    Withdrawn,
}

/// One declaration by one custodian. The current consent for a purpose follows from all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: ConsentId,
    pub child: ChildId,
    pub purpose: ConsentPurpose,
    /// Which consent text was agreed to (texts are versioned; drafts await the provider's DPO).
    pub text_version: String,
    pub state: ConsentState,
    pub custodian: UserId,
    pub at: DateTime<Utc>,
}

/// Whether processing for `purpose` is allowed at `at`: some custodian granted it, and no custodian's
/// latest declaration up to `at` is a withdrawal (either custodian's withdrawal wins).
pub fn is_granted(
    declarations: &[Consent],
    child: ChildId,
    purpose: ConsentPurpose,
    at: DateTime<Utc>,
) -> bool {
    let mut latest: std::collections::BTreeMap<UserId, &Consent> = std::collections::BTreeMap::new();
    for declaration in declarations {
        if declaration.child != child || declaration.purpose != purpose || declaration.at > at {
            continue;
        }
        let newer = latest.get(&declaration.custodian).is_none_or(|known| known.at <= declaration.at);
        if newer {
            latest.insert(declaration.custodian, declaration);
        }
    }
    !latest.is_empty() && latest.values().all(|d| d.state == ConsentState::Granted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn declaration(custodian: u128, state: ConsentState, hour: u32) -> Consent {
        Consent {
            id: ConsentId(Uuid::from_u128(u128::from(hour) + 1000 * custodian)),
            child: ChildId(Uuid::from_u128(1)),
            purpose: ConsentPurpose::Documentation,
            text_version: "2026-08".into(),
            state,
            custodian: UserId(Uuid::from_u128(custodian)),
            at: Utc.with_ymd_and_hms(2026, 11, 2, hour, 0, 0).unwrap(),
        }
    }

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, hour, 30, 0).unwrap()
    }

    #[test]
    fn consent_applies_from_its_time_until_a_withdrawal() {
        let child = ChildId(Uuid::from_u128(1));
        let history = [declaration(7, ConsentState::Granted, 8), declaration(7, ConsentState::Withdrawn, 10)];
        assert!(!is_granted(&history, child, ConsentPurpose::Documentation, at(7)));
        assert!(is_granted(&history, child, ConsentPurpose::Documentation, at(9)));
        assert!(!is_granted(&history, child, ConsentPurpose::Documentation, at(11)));
        assert!(!is_granted(&history, child, ConsentPurpose::Naming, at(9)));
    }

    #[test]
    fn either_custodians_withdrawal_wins() {
        let child = ChildId(Uuid::from_u128(1));
        let history = [
            declaration(7, ConsentState::Granted, 8),
            declaration(8, ConsentState::Withdrawn, 9),
            declaration(7, ConsentState::Granted, 10),
        ];
        assert!(!is_granted(&history, child, ConsentPurpose::Documentation, at(11)));
        let regranted = [history.as_slice(), &[declaration(8, ConsentState::Granted, 11)]].concat();
        assert!(is_granted(&regranted, child, ConsentPurpose::Documentation, at(11)));
    }
}
