//! Parents' consent, per child and purpose, dated and versioned.

use crate::code::coded_enum;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ChildId, ConsentId, GuardianId, UserId};
use crate::record::{Record, RecordKind, RecordState};

coded_enum! {
    pub enum ConsentPurpose {
        /// Observations about the child may be recorded.
        Documentation = "documentation",
        /// The child may be named in group sessions (otherwise only counted).
        Naming = "naming",
        /// Shareable observations may be shown to the parents in the portal.
        ParentSummary = "parent_summary",
    }
}

coded_enum! {
    pub enum ConsentState {
        Granted = "granted",
        Withdrawn = "withdrawn",
    }
}

/// The consent text in force: every declaration names the version it was given under. The texts are
/// drafts until the provider's data-protection officer has reviewed them.
pub const TEXT_VERSION: &str = "2026-08 (Entwurf, DSB-Prüfung ausstehend)";

/// The signed paper form a declaration was recorded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperForm {
    /// Where the form is filed (its number or file reference at the provider).
    pub reference: String,
    /// The day the guardian signed it.
    pub signed_on: NaiveDate,
}

/// The longest form reference.
pub const MAX_FORM_REFERENCE_CHARS: usize = 60;

impl PaperForm {
    pub fn check(&self) -> Result<(), crate::validate::ValidationError> {
        use crate::validate::{date_in_range, text, Field};
        text(Field::FormReference, &self.reference, true, MAX_FORM_REFERENCE_CHARS)?;
        date_in_range(self.signed_on)
    }
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
    /// The guardian who declared it (a guardian record; their account, if any, has the same id).
    pub custodian: GuardianId,
    /// When the server received the declaration (it stamps this itself).
    pub at: DateTime<Utc>,
    /// Who entered it: the custodian in the parents' portal, or the team lead who recorded a paper
    /// form (stamped by the server; absent on declarations imported before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<UserId>,
    /// The signed form a team lead recorded this from; none when the guardian declared it themselves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<PaperForm>,
}

/// Whether processing for `purpose` is allowed at `at`: some custodian granted it, and no custodian's
/// latest declaration up to `at` is a withdrawal (either custodian's withdrawal wins).
pub fn is_granted(
    declarations: &[Consent],
    child: ChildId,
    purpose: ConsentPurpose,
    at: DateTime<Utc>,
) -> bool {
    let mut latest: std::collections::BTreeMap<GuardianId, &Consent> = std::collections::BTreeMap::new();
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

/// The consents a change needs: an observation needs documentation consent for its child, every time
/// it is written (a withdrawal stops further processing); a group session needs naming consent for each
/// child it newly names (a child named before a withdrawal stays lawfully named, GDPR Art. 7(3)). A
/// deletion needs none. `before` is the stored record, `after` what the change makes of it.
pub fn needed(before: Option<&RecordState>, after: &RecordState) -> Vec<(ChildId, ConsentPurpose)> {
    if after.deleted {
        return Vec::new();
    }
    let children = |state: &RecordState| -> Vec<ChildId> {
        state.sets.get("children").into_iter().flatten().filter_map(|m| m.parse().ok().map(ChildId)).collect()
    };
    match after.kind {
        RecordKind::Observation => after
            .fields
            .get("child")
            .and_then(|child| serde_json::from_value::<ChildId>(child.clone()).ok())
            .map(needed_by_observation)
            .unwrap_or_default(),
        RecordKind::GroupSession => {
            let named_before = before.map(children).unwrap_or_default();
            needed_by_session(children(after), |child| named_before.contains(&child))
        }
        _ => Vec::new(),
    }
}

/// What an observation about `child` needs, each time it is written: documentation consent.
pub fn needed_by_observation(child: ChildId) -> Vec<(ChildId, ConsentPurpose)> {
    vec![(child, ConsentPurpose::Documentation)]
}

/// What a group session naming `named` needs: naming consent for each child it did not name before.
pub fn needed_by_session(
    named: impl IntoIterator<Item = ChildId>,
    named_before: impl Fn(ChildId) -> bool,
) -> Vec<(ChildId, ConsentPurpose)> {
    named
        .into_iter()
        .filter(|child| !named_before(*child))
        .map(|child| (child, ConsentPurpose::Naming))
        .collect()
}

/// The first of `needed` that `declarations` do not grant at `at`, if any.
pub fn first_missing(
    needed: &[(ChildId, ConsentPurpose)],
    declarations: &[Consent],
    at: DateTime<Utc>,
) -> Option<(ChildId, ConsentPurpose)> {
    needed.iter().copied().find(|(child, purpose)| !is_granted(declarations, *child, *purpose, at))
}

impl Record for Consent {
    const KIND: RecordKind = RecordKind::Consent;
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
            custodian: GuardianId(Uuid::from_u128(custodian)),
            recorded_by: None,
            form: None,
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

    fn record(kind: RecordKind, fields: serde_json::Value, children: &[u128]) -> RecordState {
        let mut state = RecordState {
            version: 1,
            fields: fields.as_object().unwrap().clone().into_iter().collect(),
            ..RecordState::empty(kind, Uuid::from_u128(50))
        };
        if kind == RecordKind::GroupSession {
            let members = children.iter().map(|c| Uuid::from_u128(*c).to_string()).collect();
            state.sets.insert("children".into(), members);
        }
        state
    }

    #[test]
    fn an_observation_always_needs_documentation_consent_and_a_session_naming_for_new_names() {
        let child = |n| ChildId(Uuid::from_u128(n));
        let observation =
            record(RecordKind::Observation, serde_json::json!({"child": Uuid::from_u128(1)}), &[]);
        assert_eq!(needed(Some(&observation), &observation), vec![(child(1), ConsentPurpose::Documentation)]);
        let mut deleted = observation.clone();
        deleted.deleted = true;
        assert_eq!(needed(Some(&observation), &deleted), vec![]);

        let before = record(RecordKind::GroupSession, serde_json::json!({}), &[1]);
        let after = record(RecordKind::GroupSession, serde_json::json!({}), &[1, 2]);
        assert_eq!(
            needed(None, &after),
            vec![(child(1), ConsentPurpose::Naming), (child(2), ConsentPurpose::Naming)]
        );
        assert_eq!(needed(Some(&before), &after), vec![(child(2), ConsentPurpose::Naming)]);
        assert_eq!(needed(None, &record(RecordKind::TimeEntry, serde_json::json!({}), &[])), vec![]);
    }

    #[test]
    fn the_first_missing_consent_is_named() {
        let granted = declaration(7, ConsentState::Granted, 8);
        let child = granted.child;
        let needs = [(child, ConsentPurpose::Documentation), (child, ConsentPurpose::Naming)];
        assert_eq!(first_missing(&needs[..1], std::slice::from_ref(&granted), at(9)), None);
        assert_eq!(first_missing(&needs, &[granted], at(9)), Some((child, ConsentPurpose::Naming)));
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
