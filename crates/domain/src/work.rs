//! What a companion records: group sessions, observations and time entries.

use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::ids::{ChildId, GoalId, ObservationId, PoolId, SessionId, TimeEntryId, UserId};

/// Kinds of group session (*Gruppenangebot*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionKind {
    SocialEmotionalLearning,
    ConflictResolution,
    ClassSupport,
    TransitionSupport,
    IndividualSupport,
    CrisisIntervention,
    Other,
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

/// Development areas an observation is tagged with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationDomain {
    SocialEmotional,
    Communication,
    AttentionLearning,
    Motor,
    SelfCare,
    GroupBehaviour,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Parents see it in their summary.
    Shareable,
    /// Only the team sees it.
    Internal,
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

/// Direct work, with children.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DirectKind {
    Individual,
    Group,
    Class,
}

impl DirectKind {
    pub const ALL: [DirectKind; 3] = [DirectKind::Individual, DirectKind::Group, DirectKind::Class];
}

/// Indirect work, for children but without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndirectKind {
    Preparation,
    TeamMeeting,
    ParentTalk,
    SupportPlan,
    Documentation,
    Training,
    Travel,
    Other,
}

impl IndirectKind {
    pub const ALL: [IndirectKind; 8] = [
        IndirectKind::Preparation,
        IndirectKind::TeamMeeting,
        IndirectKind::ParentTalk,
        IndirectKind::SupportPlan,
        IndirectKind::Documentation,
        IndirectKind::Training,
        IndirectKind::Travel,
        IndirectKind::Other,
    ];
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
        use serde::de::value::StrDeserializer;
        let wire = TimeCategoryWire::deserialize(deserializer)?;
        let kind = StrDeserializer::<D::Error>::new(&wire.kind);
        Ok(match wire.r#type.as_str() {
            "direct" => TimeCategory::Direct(DirectKind::deserialize(kind)?),
            "indirect" => TimeCategory::Indirect(IndirectKind::deserialize(kind)?),
            other => return Err(crate::wire::unknown(other, &["direct", "indirect"])),
        })
    }
}

impl TimeCategory {
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
