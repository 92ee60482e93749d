//! The group session form (*Gruppenangebot*) as plain Rust: what the user typed and chose, how it becomes
//! a [`GroupSession`], and which rules refuse it. The page binds inputs and chips to a [`SessionDraft`].

use std::collections::BTreeSet;

use begleitbuch_domain::consent;
use begleitbuch_domain::ids::{ChildId, PoolId, SessionId, UserId};
use begleitbuch_domain::validate::{self, Field};
use begleitbuch_domain::work::{GroupSession, SessionKind};
use begleitbuch_domain::worktime;
use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::editing::fields::{parse_date, parse_number, parse_time, FormError};

/// What the user typed and chose, kept as typed: a refused save leaves it untouched. The companion
/// filling in the form is always in the session; `co_companions` are the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDraft {
    pub date: String,
    pub start: String,
    pub duration: String,
    pub kind: String,
    pub group: String,
    pub children: BTreeSet<ChildId>,
    pub unnamed: String,
    pub co_companions: BTreeSet<UserId>,
    pub note: String,
}

/// The length a new session starts with: one school lesson.
pub const DEFAULT_MINUTES: u32 = 45;

/// Where a new session's start is put: a session is usually recorded right after it ended, so it began
/// one lesson ago, on the five minutes before. Never before midnight.
pub fn suggested_start(now: NaiveTime) -> NaiveTime {
    let minutes = (now.num_seconds_from_midnight() / 60).saturating_sub(DEFAULT_MINUTES);
    let rounded = minutes - minutes % 5;
    NaiveTime::from_num_seconds_from_midnight_opt(rounded * 60, 0).unwrap_or(NaiveTime::MIN)
}

impl SessionDraft {
    /// A new session on `date` that began at `start`: a school lesson long, nobody chosen yet.
    pub fn new(date: NaiveDate, start: NaiveTime) -> Self {
        SessionDraft {
            date: date.format("%Y-%m-%d").to_string(),
            start: start.format("%H:%M").to_string(),
            duration: DEFAULT_MINUTES.to_string(),
            kind: String::new(),
            group: String::new(),
            children: BTreeSet::new(),
            unnamed: "0".into(),
            co_companions: BTreeSet::new(),
            note: String::new(),
        }
    }

    pub fn from_session(session: &GroupSession, me: UserId) -> Self {
        SessionDraft {
            date: session.date.format("%Y-%m-%d").to_string(),
            start: session.start.format("%H:%M").to_string(),
            duration: session.duration_minutes.to_string(),
            kind: session.kind.code().to_owned(),
            group: session.group.clone(),
            children: session.children.clone(),
            unnamed: session.unnamed_participants.to_string(),
            co_companions: session.companions.iter().copied().filter(|c| *c != me).collect(),
            note: session.note.clone(),
        }
    }

    /// Checks the draft. A child may be named when their parents consented to naming (`nameable`), or
    /// when the session named them before (`previous`): a later withdrawal does not undo that.
    pub fn to_session(
        &self,
        id: SessionId,
        pool: PoolId,
        me: UserId,
        nameable: &BTreeSet<ChildId>,
        previous: Option<&GroupSession>,
        today: NaiveDate,
    ) -> Result<GroupSession, FormError> {
        let date = parse_date(&self.date)?;
        validate::not_after_today(date, today).map_err(|error| FormError::Rule(error, None))?;
        let start = parse_time(&self.start, Field::Start)?;
        let duration_minutes = parse_number(&self.duration, Field::Duration, false)?;
        let kind = SessionKind::from_code(&self.kind).ok_or(FormError::NoKind)?;
        let unnamed_participants = parse_number(&self.unnamed, Field::Participants, true)?;
        let named_before = |child| previous.is_some_and(|p| p.children.contains(&child));
        let needed = consent::needed_by_session(self.children.iter().copied(), named_before);
        if let Some((child, purpose)) = needed.into_iter().find(|(child, _)| !nameable.contains(child)) {
            return Err(FormError::ConsentMissing(child, purpose));
        }
        let mut companions = self.co_companions.clone();
        companions.insert(me);
        let session = GroupSession {
            id,
            pool: previous.map_or(pool, |p| p.pool),
            date,
            start,
            duration_minutes,
            kind,
            group: self.group.trim().to_owned(),
            children: self.children.clone(),
            unnamed_participants,
            companions,
            note: self.note.trim().to_owned(),
        };
        worktime::validate_session(&session).map_err(|error| FormError::Rule(error, None))?;
        Ok(session)
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

    const ME: UserId = UserId(Uuid::from_u128(1));
    /// The tablet's today in the tests: the day after the drafts' Monday.
    const TODAY: NaiveDate = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    const PARTNER: UserId = UserId(Uuid::from_u128(2));

    fn draft() -> SessionDraft {
        let mut draft =
            SessionDraft::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), suggested_start(time(10, 37)));
        draft.kind = "conflict_resolution".into();
        draft.group = " 2b ".into();
        draft.children = [child(10), child(11)].into();
        draft.unnamed = "2".into();
        draft.co_companions = [PARTNER].into();
        draft
    }

    fn make(draft: &SessionDraft, previous: Option<&GroupSession>) -> Result<GroupSession, FormError> {
        let nameable = [child(10), child(11)].into();
        draft.to_session(
            SessionId(Uuid::from_u128(5)),
            PoolId(Uuid::from_u128(7)),
            ME,
            &nameable,
            previous,
            TODAY,
        )
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn a_new_session_began_one_lesson_ago_on_the_five_minutes() {
        assert_eq!(suggested_start(time(10, 37)), time(9, 50));
        assert_eq!(suggested_start(time(10, 35)), time(9, 50));
        assert_eq!(suggested_start(time(0, 20)), time(0, 0), "not before midnight");
    }

    #[test]
    fn a_kind_the_form_does_not_offer_is_refused() {
        let mut typed = draft();
        typed.kind = "quatsch".into();
        assert_eq!(make(&typed, None), Err(FormError::NoKind));
    }

    #[test]
    fn a_valid_draft_becomes_a_session_with_me_in_it() {
        let session = make(&draft(), None).unwrap();
        assert_eq!(session.companions, [ME, PARTNER].into());
        assert_eq!(session.group, "2b");
        assert_eq!(session.duration_minutes, 45);
        assert_eq!(session.unnamed_participants, 2);
        assert_eq!(SessionDraft::from_session(&session, ME), SessionDraft { group: "2b".into(), ..draft() });
    }

    #[test]
    fn bad_input_is_refused_with_the_reason() {
        let with = |change: fn(&mut SessionDraft)| {
            let mut typed = draft();
            change(&mut typed);
            make(&typed, None)
        };
        assert_eq!(with(|d| d.start.clear()), Err(FormError::Missing(Field::Start)));
        assert_eq!(with(|d| d.date = "gestern".into()), Err(FormError::NotADate));
        // A session dated 01.01.2030 was saved and synced, and seemed to vanish.
        assert_eq!(
            with(|d| d.date = "2030-01-01".into()),
            Err(FormError::Rule(ValidationError::InFuture, None))
        );
        assert_eq!(
            with(|d| d.date = "2026-11-25".into()),
            Err(FormError::Rule(ValidationError::InFuture, None))
        );
        assert!(with(|d| d.date = "2026-11-24".into()).is_ok(), "today is fine");
        assert_eq!(with(|d| d.duration = "eine Stunde".into()), Err(FormError::NotANumber(Field::Duration)));
        assert_eq!(with(|d| d.kind.clear()), Err(FormError::NoKind));
        assert_eq!(
            with(|d| d.duration = "0".into()),
            Err(FormError::Rule(ValidationError::TooShort { field: Field::Duration }, None))
        );
        assert_eq!(
            with(|d| {
                d.children.clear();
                d.unnamed = String::new();
            }),
            Err(FormError::Rule(ValidationError::Empty { field: Field::Participants }, None))
        );
    }

    #[test]
    fn a_child_without_naming_consent_is_refused_unless_the_session_named_them_before() {
        let mut typed = draft();
        typed.children.insert(child(12));
        assert_eq!(
            make(&typed, None),
            Err(FormError::ConsentMissing(child(12), consent::ConsentPurpose::Naming))
        );
        let mut before = make(&draft(), None).unwrap();
        before.children.insert(child(12));
        assert!(make(&typed, Some(&before)).is_ok(), "named before the withdrawal");
    }
}
