//! The time entry form as plain Rust: what the user typed, how it becomes a [`TimeEntry`], which rules
//! refuse it, and which fields a change touches. The page only binds inputs to a [`TimeEntryDraft`].

use std::collections::BTreeMap;

use begleitbuch_domain::ids::{PoolId, TimeEntryId, UserId};
use begleitbuch_domain::sync::{Change, RecordState};
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_domain::work::{DirectKind, IndirectKind, TimeCategory, TimeEntry};
use begleitbuch_domain::worktime;
use chrono::{NaiveDate, NaiveTime};

/// Every category, in the order the form offers them: direct work first.
pub const CATEGORIES: [TimeCategory; 11] = [
    TimeCategory::Direct(DirectKind::Individual),
    TimeCategory::Direct(DirectKind::Group),
    TimeCategory::Direct(DirectKind::Class),
    TimeCategory::Indirect(IndirectKind::Preparation),
    TimeCategory::Indirect(IndirectKind::TeamMeeting),
    TimeCategory::Indirect(IndirectKind::ParentTalk),
    TimeCategory::Indirect(IndirectKind::SupportPlan),
    TimeCategory::Indirect(IndirectKind::Documentation),
    TimeCategory::Indirect(IndirectKind::Training),
    TimeCategory::Indirect(IndirectKind::Travel),
    TimeCategory::Indirect(IndirectKind::Other),
];

/// The value of a category in the form's `<select>`.
pub fn category_code(category: TimeCategory) -> &'static str {
    match category {
        TimeCategory::Direct(DirectKind::Individual) => "individual",
        TimeCategory::Direct(DirectKind::Group) => "group",
        TimeCategory::Direct(DirectKind::Class) => "class",
        TimeCategory::Indirect(IndirectKind::Preparation) => "preparation",
        TimeCategory::Indirect(IndirectKind::TeamMeeting) => "team_meeting",
        TimeCategory::Indirect(IndirectKind::ParentTalk) => "parent_talk",
        TimeCategory::Indirect(IndirectKind::SupportPlan) => "support_plan",
        TimeCategory::Indirect(IndirectKind::Documentation) => "documentation",
        TimeCategory::Indirect(IndirectKind::Training) => "training",
        TimeCategory::Indirect(IndirectKind::Travel) => "travel",
        TimeCategory::Indirect(IndirectKind::Other) => "other",
    }
}

pub fn parse_category(code: &str) -> Option<TimeCategory> {
    CATEGORIES.into_iter().find(|c| category_code(*c) == code)
}

/// Why the form cannot be saved; the page shows `error.<code>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A required time is empty.
    Missing(Field),
    /// A time is not `HH:MM`.
    NotATime(Field),
    NoCategory,
    /// A domain rule refuses the entry; for an overlap, the other entry comes along to name it.
    Rule(ValidationError, Option<TimeEntry>),
}

/// What the user typed, kept as typed: a refused save leaves it untouched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeEntryDraft {
    pub start: String,
    pub end: String,
    pub category: String,
    pub note: String,
}

fn parse_time(value: &str, field: Field) -> Result<NaiveTime, FormError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FormError::Missing(field));
    }
    // Browsers send `HH:MM`, some with seconds; typed input may use a dot (`8.30`).
    let normalised = value.replace('.', ":");
    NaiveTime::parse_from_str(&normalised, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&normalised, "%H:%M:%S"))
        .map_err(|_| FormError::NotATime(field))
}

impl TimeEntryDraft {
    pub fn from_entry(entry: &TimeEntry) -> Self {
        TimeEntryDraft {
            start: entry.start.format("%H:%M").to_string(),
            end: entry.end.format("%H:%M").to_string(),
            category: category_code(entry.category).to_owned(),
            note: entry.note.clone(),
        }
    }

    /// Checks the draft against the rules and the companion's other entries of the day.
    pub fn to_entry(
        &self,
        id: TimeEntryId,
        pool: PoolId,
        companion: UserId,
        date: NaiveDate,
        others: &[TimeEntry],
    ) -> Result<TimeEntry, FormError> {
        let start = parse_time(&self.start, Field::Start)?;
        let end = parse_time(&self.end, Field::End)?;
        let category = parse_category(&self.category).ok_or(FormError::NoCategory)?;
        let entry =
            TimeEntry { id, pool, companion, date, start, end, category, note: self.note.trim().to_owned() };
        check_entry(&entry, others)?;
        Ok(entry)
    }
}

/// Checks an entry on its own and against the companion's other entries of its day; an overlap names
/// the entry it overlaps, so the message can say which.
pub fn check_entry(entry: &TimeEntry, others: &[TimeEntry]) -> Result<(), FormError> {
    worktime::validate_entry(entry).map_err(|e| FormError::Rule(e, None))?;
    worktime::check_overlap(entry, others).map_err(|error| {
        let other = match &error {
            ValidationError::Overlaps { other } => others.iter().find(|e| e.id == *other).cloned(),
            _ => None,
        };
        FormError::Rule(error, other)
    })
}

fn fields_of(entry: &TimeEntry) -> BTreeMap<String, serde_json::Value> {
    let serde_json::Value::Object(object) = serde_json::to_value(entry).expect("a time entry serialises")
    else {
        unreachable!("a struct serialises to an object")
    };
    object.into_iter().filter(|(key, _)| key != "id").collect()
}

/// The change that turns `previous` into `entry`: every field for a new entry, only the changed ones
/// for an edit (so that two devices editing different fields do not conflict). `None` if nothing changed.
pub fn change_for(previous: Option<&TimeEntry>, entry: &TimeEntry) -> Option<Change> {
    let mut fields = fields_of(entry);
    if let Some(previous) = previous {
        let before = fields_of(previous);
        fields.retain(|key, value| before.get(key) != Some(value));
        if fields.is_empty() {
            return None;
        }
    }
    Some(Change::Put { fields, sets: BTreeMap::new() })
}

/// Reads a stored record back as a time entry; records that do not decode are left out by the caller.
pub fn entry_from_state(state: &RecordState) -> Option<TimeEntry> {
    serde_json::from_value(state.to_json()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn draft(start: &str, end: &str) -> TimeEntryDraft {
        TimeEntryDraft {
            start: start.into(),
            end: end.into(),
            category: "individual".into(),
            note: String::new(),
        }
    }

    fn entry(n: u128, start: &str, end: &str) -> TimeEntry {
        draft(start, end).to_entry(TimeEntryId(id(n)), PoolId(id(100)), UserId(id(200)), date(), &[]).unwrap()
    }

    #[test]
    fn every_category_round_trips_through_its_code() {
        for category in CATEGORIES {
            assert_eq!(parse_category(category_code(category)), Some(category));
        }
        assert_eq!(parse_category(""), None);
    }

    #[test]
    fn a_valid_draft_becomes_an_entry_with_a_trimmed_note() {
        let mut typed = draft("8:05", "09.30");
        typed.note = "  Pause begleitet ".into();
        let made = typed.to_entry(TimeEntryId(id(1)), PoolId(id(2)), UserId(id(3)), date(), &[]).unwrap();
        assert_eq!(made.start, NaiveTime::from_hms_opt(8, 5, 0).unwrap());
        assert_eq!(made.end, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(made.note, "Pause begleitet");
        assert_eq!(TimeEntryDraft::from_entry(&made).start, "08:05");
    }

    #[test]
    fn bad_input_is_refused_with_the_field_named() {
        let make =
            |d: TimeEntryDraft| d.to_entry(TimeEntryId(id(1)), PoolId(id(2)), UserId(id(3)), date(), &[]);
        assert_eq!(make(draft("", "09:00")), Err(FormError::Missing(Field::Start)));
        assert_eq!(make(draft("08:00", "25:00")), Err(FormError::NotATime(Field::End)));
        assert_eq!(
            make(draft("09:00", "08:00")),
            Err(FormError::Rule(ValidationError::EndNotAfterStart, None))
        );
        let mut no_category = draft("08:00", "09:00");
        no_category.category.clear();
        assert_eq!(make(no_category), Err(FormError::NoCategory));
    }

    #[test]
    fn an_overlap_names_the_other_entry() {
        let existing = entry(1, "08:00", "09:00");
        let result = draft("08:30", "10:00").to_entry(
            TimeEntryId(id(2)),
            PoolId(id(100)),
            UserId(id(200)),
            date(),
            std::slice::from_ref(&existing),
        );
        assert_eq!(
            result,
            Err(FormError::Rule(ValidationError::Overlaps { other: existing.id }, Some(existing.clone())))
        );
        // Editing the entry itself is not an overlap with its old version.
        assert!(draft("08:30", "09:30")
            .to_entry(existing.id, PoolId(id(100)), UserId(id(200)), date(), std::slice::from_ref(&existing))
            .is_ok());
    }

    #[test]
    fn an_edit_sends_only_the_changed_fields() {
        let before = entry(1, "08:00", "09:00");
        let Some(Change::Put { fields, .. }) = change_for(None, &before) else {
            panic!("a new entry is a put")
        };
        assert!(fields.contains_key("start") && fields.contains_key("pool") && !fields.contains_key("id"));

        let mut after = before.clone();
        after.end = NaiveTime::from_hms_opt(9, 15, 0).unwrap();
        let Some(Change::Put { fields, .. }) = change_for(Some(&before), &after) else {
            panic!("an edit is a put")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["end"]);
        assert_eq!(change_for(Some(&before), &before), None);
    }

    #[test]
    fn a_stored_state_reads_back_as_the_entry() {
        let made = entry(1, "08:00", "09:00");
        let Some(Change::Put { fields, .. }) = change_for(None, &made) else { unreachable!() };
        let state = RecordState {
            kind: begleitbuch_domain::record::RecordKind::TimeEntry,
            id: made.id.0,
            version: 0,
            fields,
            sets: BTreeMap::new(),
            field_versions: BTreeMap::new(),
            field_sources: BTreeMap::new(),
            deleted: false,
            lost: Vec::new(),
        };
        assert_eq!(entry_from_state(&state), Some(made));
    }
}
