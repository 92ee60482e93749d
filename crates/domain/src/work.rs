//! What a companion records: group sessions, observations and time entries.

use crate::code::coded_enum;
use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::record::{Record, RecordKind};

use crate::ids::{ChildId, GoalId, ObservationId, PoolId, SessionId, TimeEntryId, UserId};

coded_enum! {
    /// Kinds of group session (*Gruppenangebot*).
    pub enum SessionKind {
        SocialEmotionalLearning = "social_emotional_learning",
        ConflictResolution = "conflict_resolution",
        ClassSupport = "class_support",
        TransitionSupport = "transition_support",
        IndividualSupport = "individual_support",
        CrisisIntervention = "crisis_intervention",
        Other = "other",
    }
}

/// A group session is the direct-time record of every companion in it (derived, never copied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSession {
    pub id: SessionId,
    pub pool: PoolId,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub duration_minutes: u32,
    pub kind: SessionKind,
    /// Class or day-care group, e.g. "2b".
    pub group: String,
    /// Named participants: only children whose parents consented to naming.
    pub children: BTreeSet<ChildId>,
    /// Participants not named (no naming consent, or not in the pool).
    pub unnamed_participants: u16,
    pub companions: BTreeSet<UserId>,
    pub note: String,
}

coded_enum! {
    /// Development areas an observation is tagged with.
    pub enum ObservationDomain {
        SocialEmotional = "social_emotional",
        Communication = "communication",
        AttentionLearning = "attention_learning",
        Motor = "motor",
        SelfCare = "self_care",
        GroupBehaviour = "group_behaviour",
    }
}

coded_enum! {
    pub enum Visibility {
        /// Parents see it in their summary.
        Shareable = "shareable",
        /// Only the team sees it.
        Internal = "internal",
    }
}

/// An observation (*Beobachtung*) about one child. Health data: stored encrypted on devices, only
/// with documentation consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub id: ObservationId,
    pub pool: PoolId,
    pub child: ChildId,
    /// The companion who observed; the observation is theirs to edit until the week is approved.
    pub author: UserId,
    pub date: NaiveDate,
    pub domains: BTreeSet<ObservationDomain>,
    pub goal: Option<GoalId>,
    pub text: String,
    pub visibility: Visibility,
}

coded_enum! {
    /// Direct work, with children.
    pub enum DirectKind {
        Individual = "individual",
        Group = "group",
        Class = "class",
    }
}

coded_enum! {
    /// Indirect work, for children but without them.
    pub enum IndirectKind {
        Preparation = "preparation",
        TeamMeeting = "team_meeting",
        ParentTalk = "parent_talk",
        SupportPlan = "support_plan",
        Documentation = "documentation",
        Training = "training",
        Travel = "travel",
        Other = "other",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "kind")]
pub enum TimeCategory {
    Direct(DirectKind),
    Indirect(IndirectKind),
}

/// [`TimeCategory`] as it travels (`{"type": "direct", "kind": "group"}`), decoded flat (see
/// [`crate::wire`]).
#[derive(Deserialize)]
struct TimeCategoryWire {
    r#type: String,
    kind: String,
}

impl<'de> Deserialize<'de> for TimeCategory {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = TimeCategoryWire::deserialize(deserializer)?;
        let unknown_kind = |known: &'static [&'static str]| crate::wire::unknown(&wire.kind, known);
        Ok(match wire.r#type.as_str() {
            "direct" => TimeCategory::Direct(
                DirectKind::from_code(&wire.kind).ok_or_else(|| unknown_kind(&DirectKind::CODES))?,
            ),
            "indirect" => TimeCategory::Indirect(
                IndirectKind::from_code(&wire.kind).ok_or_else(|| unknown_kind(&IndirectKind::CODES))?,
            ),
            other => return Err(crate::wire::unknown(other, &["direct", "indirect"])),
        })
    }
}

impl TimeCategory {
    /// Every category, direct work first, each in its kind's order.
    pub const ALL: [TimeCategory; DirectKind::ALL.len() + IndirectKind::ALL.len()] = {
        let mut all =
            [TimeCategory::Direct(DirectKind::Individual); DirectKind::ALL.len() + IndirectKind::ALL.len()];
        let mut i = 0;
        while i < DirectKind::ALL.len() {
            all[i] = TimeCategory::Direct(DirectKind::ALL[i]);
            i += 1;
        }
        let mut j = 0;
        while j < IndirectKind::ALL.len() {
            all[i + j] = TimeCategory::Indirect(IndirectKind::ALL[j]);
            j += 1;
        }
        all
    };

    /// The category's code: its kind's, which is unique across direct and indirect work.
    pub const fn code(self) -> &'static str {
        match self {
            TimeCategory::Direct(kind) => kind.code(),
            TimeCategory::Indirect(kind) => kind.code(),
        }
    }

    /// The category with this code, if any.
    pub fn from_code(code: &str) -> Option<Self> {
        DirectKind::from_code(code)
            .map(TimeCategory::Direct)
            .or_else(|| IndirectKind::from_code(code).map(TimeCategory::Indirect))
    }

    pub fn is_direct(self) -> bool {
        matches!(self, TimeCategory::Direct(_))
    }
}

/// A block of a companion's working time on one day, in Europe/Berlin wall-clock time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeEntry {
    pub id: TimeEntryId,
    pub pool: PoolId,
    pub companion: UserId,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub category: TimeCategory,
    pub note: String,
}

impl Record for TimeEntry {
    const KIND: RecordKind = RecordKind::TimeEntry;
}

impl Record for GroupSession {
    const KIND: RecordKind = RecordKind::GroupSession;
}

impl Record for Observation {
    const KIND: RecordKind = RecordKind::Observation;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Change, SetDelta};

    #[test]
    fn every_category_round_trips_through_its_code_and_the_codes_are_distinct() {
        let codes: BTreeSet<&str> = TimeCategory::ALL.iter().map(|category| category.code()).collect();
        assert_eq!(codes.len(), TimeCategory::ALL.len());
        for category in TimeCategory::ALL {
            assert_eq!(TimeCategory::from_code(category.code()), Some(category));
            let json = serde_json::to_string(&category).unwrap();
            assert_eq!(serde_json::from_str::<TimeCategory>(&json).unwrap(), category);
        }
        assert_eq!(TimeCategory::ALL[0], TimeCategory::Direct(DirectKind::Individual));
    }

    fn session(children: &[u128]) -> GroupSession {
        use crate::ids::{ChildId, PoolId, SessionId, UserId};
        use chrono::{NaiveDate, NaiveTime};
        use uuid::Uuid;
        GroupSession {
            id: SessionId(Uuid::from_u128(1)),
            pool: PoolId(Uuid::from_u128(2)),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            duration_minutes: 45,
            kind: SessionKind::ConflictResolution,
            group: "2b".into(),
            children: children.iter().map(|c| ChildId(Uuid::from_u128(*c))).collect(),
            unnamed_participants: 1,
            companions: [UserId(Uuid::from_u128(3))].into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_new_record_sends_every_field_and_every_set() {
        let Some(Change::Put { fields, sets }) = Change::between(None, &session(&[])) else {
            panic!("a new session is a put")
        };
        assert!(fields.contains_key("duration_minutes") && !fields.contains_key("id"));
        assert!(!fields.contains_key("children"), "sets travel as deltas");
        assert_eq!(sets["children"], SetDelta::default());
        assert_eq!(sets["companions"].add, BTreeSet::from([uuid::Uuid::from_u128(3).to_string()]));
    }

    #[test]
    fn an_edit_sends_the_changed_fields_and_the_members_added_and_removed() {
        let before = session(&[10, 11]);
        let mut after = session(&[11, 12]);
        after.note = "Streit geschlichtet".into();
        let Some(Change::Put { fields, sets }) = Change::between(Some(&before), &after) else {
            panic!("an edit is a put")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["note"]);
        assert_eq!(sets.keys().collect::<Vec<_>>(), ["children"]);
        assert_eq!(sets["children"].add, BTreeSet::from([uuid::Uuid::from_u128(12).to_string()]));
        assert_eq!(sets["children"].remove, BTreeSet::from([uuid::Uuid::from_u128(10).to_string()]));
        assert_eq!(Change::between(Some(&before), &before), None);
    }
}
