//! The observation form (*Beobachtung*) as plain Rust: what the user chose and wrote, how it becomes an
//! [`Observation`], and which rules refuse it. An observation is health data: it is only recorded for a
//! child whose parents consented to documentation.

use std::collections::BTreeSet;

use begleitbuch_domain::consent;
use begleitbuch_domain::ids::{ChildId, GoalId, ObservationId, PoolId, UserId};
use begleitbuch_domain::validate::{self, Field};
use begleitbuch_domain::work::{Observation, ObservationDomain, Visibility};
use begleitbuch_domain::worktime::MAX_OBSERVATION_CHARS;
use chrono::NaiveDate;

use crate::editing::fields::{parse_date, FormError};

/// What the user chose and wrote, kept until a save succeeds. New observations are internal: sharing
/// with parents is a deliberate choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationDraft {
    pub date: String,
    pub child: Option<ChildId>,
    pub domains: BTreeSet<ObservationDomain>,
    pub goal: Option<GoalId>,
    pub text: String,
    pub shareable: bool,
}

impl ObservationDraft {
    pub fn new(date: NaiveDate, child: Option<ChildId>) -> Self {
        ObservationDraft {
            date: date.format("%Y-%m-%d").to_string(),
            child,
            domains: BTreeSet::new(),
            goal: None,
            text: String::new(),
            shareable: false,
        }
    }

    pub fn from_observation(observation: &Observation) -> Self {
        ObservationDraft {
            date: observation.date.format("%Y-%m-%d").to_string(),
            child: Some(observation.child),
            domains: observation.domains.clone(),
            goal: observation.goal,
            text: observation.text.clone(),
            shareable: observation.visibility == Visibility::Shareable,
        }
    }

    /// Checks the draft. `documentable` are the children whose parents consented to documentation now;
    /// `pool` is the chosen child's pool, where the observation belongs.
    pub fn to_observation(
        &self,
        id: ObservationId,
        pool: PoolId,
        author: UserId,
        documentable: &BTreeSet<ChildId>,
        today: NaiveDate,
    ) -> Result<Observation, FormError> {
        let child = self.child.ok_or(FormError::NoChild)?;
        if let Some((child, purpose)) =
            consent::needed_by_observation(child).into_iter().find(|(child, _)| !documentable.contains(child))
        {
            return Err(FormError::ConsentMissing(child, purpose));
        }
        let date = parse_date(&self.date)?;
        validate::not_after_today(date, today).map_err(|e| FormError::Rule(e, None))?;
        let text = self.text.trim().to_owned();
        validate::text(Field::Text, &text, true, MAX_OBSERVATION_CHARS)
            .map_err(|e| FormError::Rule(e, None))?;
        Ok(Observation {
            id,
            pool,
            child,
            author,
            date,
            domains: self.domains.clone(),
            goal: self.goal,
            text,
            visibility: if self.shareable { Visibility::Shareable } else { Visibility::Internal },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::validate::ValidationError;
    use uuid::Uuid;

    fn child(n: u128) -> ChildId {
        ChildId(Uuid::from_u128(n))
    }

    fn make(draft: &ObservationDraft) -> Result<Observation, FormError> {
        let documentable = [child(10)].into();
        draft.to_observation(
            ObservationId(Uuid::from_u128(1)),
            PoolId(Uuid::from_u128(2)),
            UserId(Uuid::from_u128(3)),
            &documentable,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        )
    }

    fn draft(child_id: u128) -> ObservationDraft {
        let mut draft =
            ObservationDraft::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), Some(child(child_id)));
        draft.text = "  Hat in der Pause einen Streit mit Worten gelöst. ".into();
        draft.domains = [ObservationDomain::SocialEmotional].into();
        draft
    }

    #[test]
    fn a_valid_draft_is_internal_unless_shared_and_round_trips() {
        let made = make(&draft(10)).unwrap();
        assert_eq!(made.visibility, Visibility::Internal);
        assert_eq!(made.text, "Hat in der Pause einen Streit mit Worten gelöst.");
        let mut shared = draft(10);
        shared.shareable = true;
        let made = make(&shared).unwrap();
        assert_eq!(made.visibility, Visibility::Shareable);
        assert_eq!(ObservationDraft::from_observation(&made).text, made.text);
    }

    #[test]
    fn without_documentation_consent_nothing_is_recorded() {
        assert_eq!(
            make(&draft(11)),
            Err(FormError::ConsentMissing(child(11), consent::ConsentPurpose::Documentation))
        );
        let mut no_child = draft(10);
        no_child.child = None;
        assert_eq!(make(&no_child), Err(FormError::NoChild));
    }

    #[test]
    fn an_observation_dated_in_2030_is_refused() {
        let mut later = draft(10);
        later.date = "2030-01-01".into();
        assert_eq!(make(&later), Err(FormError::Rule(ValidationError::InFuture, None)));
        later.date = "2026-11-24".into();
        assert!(make(&later).is_ok(), "today is fine");
    }

    #[test]
    fn the_text_is_required_and_bounded() {
        let mut empty = draft(10);
        empty.text = "   ".into();
        assert_eq!(make(&empty), Err(FormError::Rule(ValidationError::Empty { field: Field::Text }, None)));
        let mut long = draft(10);
        long.text = "ä".repeat(MAX_OBSERVATION_CHARS + 1);
        assert_eq!(
            make(&long),
            Err(FormError::Rule(
                ValidationError::TextTooLong { field: Field::Text, max: MAX_OBSERVATION_CHARS },
                None
            ))
        );
    }
}
