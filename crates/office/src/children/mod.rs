//! Kinder in the office: the provider's children of a school year, by institution and pool, with
//! what the work needs — name or pseudonym, class or group, legal basis, approved hours, status and
//! dates — and the form that records a child or corrects one. A child is a record like any other:
//! the office writes it online through the same rules as a tablet's push (`Child::check`, the
//! authorization table), and the pool's tablets receive it at their next sync.

pub mod page;

use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::child::{Child, LegalBasis, SupportStatus};
use begleitbuch_domain::ids::{ChildId, PoolId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{OfficeWrite, RecordView};
use begleitbuch_domain::record::{Change, Record};
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_web::format::parse_day;
use begleitbuch_web::lang::Text;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::pools::{hours, parse_hours};
use crate::texts;

/// The record kinds the room reads: the children, and for their files their goals, guardians and
/// consents.
pub const KINDS: &str = "child,goal,guardian,consent";

/// A child as listed, with the version the office read (a correction is based on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildLine {
    pub child: Child,
    pub version: u64,
}

/// One pool of the school year and its children: those still supported or waiting first, by name;
/// ended ones last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolChildren {
    pub pool: PoolId,
    pub institution: String,
    pub children: Vec<ChildLine>,
}

pub fn by_pool(records: &[RecordView], pools: &[PoolDirectory], year: SchoolYear) -> Vec<PoolChildren> {
    let lines: Vec<ChildLine> = records
        .iter()
        .filter_map(|r| r.decode::<Child>().map(|child| ChildLine { child, version: r.version }))
        .collect();
    let mut shown: Vec<PoolChildren> = pools
        .iter()
        .filter(|pool| pool.school_year == year.start_year)
        .map(|pool| {
            let mut children: Vec<ChildLine> =
                lines.iter().filter(|line| line.child.pool == pool.id).cloned().collect();
            children.sort_by_cached_key(|line| {
                (line.child.status == SupportStatus::Ended, line.child.display_name.to_lowercase())
            });
            PoolChildren { pool: pool.id, institution: pool.institution.clone(), children }
        })
        .collect();
    shown.sort_by_cached_key(|pool| pool.institution.to_lowercase());
    shown
}

/// How the approved hours read in the list: `10 Std.`, or "–" without an individual entitlement.
pub fn approved(lang: begleitbuch_web::lang::Lang, child: &Child) -> String {
    match child.approved_minutes_per_week {
        Some(minutes) => texts::CHILDREN_HOURS.fill(lang, &[&hours(lang, minutes)]),
        None => "–".into(),
    }
}

/// What a team lead typed to record a child or correct one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildForm {
    pub pool: Option<PoolId>,
    pub display_name: String,
    pub group: String,
    pub legal_basis: LegalBasis,
    pub approved_hours: String,
    pub status: SupportStatus,
    /// The day of approval, as a date input gives it; may be empty.
    pub approved_on: String,
    pub since: String,
    pub until: String,
}

impl ChildForm {
    /// An empty form: supported from `today`.
    pub fn starting(today: NaiveDate) -> ChildForm {
        ChildForm {
            pool: None,
            display_name: String::new(),
            group: String::new(),
            legal_basis: LegalBasis::Sgb8Section35a,
            approved_hours: String::new(),
            status: SupportStatus::Supported,
            approved_on: String::new(),
            since: today.to_string(),
            until: String::new(),
        }
    }

    /// The form filled with `child`, to correct it, its hours written for `lang`.
    pub fn of(child: &Child, lang: begleitbuch_web::lang::Lang) -> ChildForm {
        ChildForm {
            pool: Some(child.pool),
            display_name: child.display_name.clone(),
            group: child.group.clone(),
            legal_basis: child.legal_basis,
            approved_hours: child
                .approved_minutes_per_week
                .map(|minutes| hours(lang, minutes))
                .unwrap_or_default(),
            status: child.status,
            approved_on: child.approved_on.map(|day| day.to_string()).unwrap_or_default(),
            since: child.since.to_string(),
            until: child.until.map(|day| day.to_string()).unwrap_or_default(),
        }
    }

    /// The child the form describes (`id` its record's), or what to correct first. A child supported
    /// within the systemic allocation has no approved hours, whatever the field holds.
    pub fn child(&self, id: ChildId) -> Result<Child, Text> {
        let pool = self.pool.ok_or(texts::POOLS_POOL_NEEDED)?;
        let approved_minutes_per_week = match (self.legal_basis, self.approved_hours.trim()) {
            (LegalBasis::SystemicOnly, _) => None,
            (_, "") => return Err(texts::CHILDREN_HOURS_NEEDED),
            (_, typed) => Some(parse_hours(typed).ok_or(texts::CHILDREN_HOURS_NEEDED)?),
        };
        let since = parse_day(&self.since).ok_or(texts::CHILDREN_SINCE_NEEDED)?;
        let until = match self.until.trim() {
            "" => None,
            typed => Some(parse_day(typed).ok_or(texts::CHILDREN_SINCE_NEEDED)?),
        };
        let approved_on = match self.approved_on.trim() {
            "" => None,
            typed => Some(parse_day(typed).ok_or(texts::CHILDREN_SINCE_NEEDED)?),
        };
        // Said here in its own words: the domain refuses it with the rule of a range's order.
        if approved_on.is_some_and(|approved| since < approved) {
            return Err(texts::CHILDREN_APPROVED_AFTER_START);
        }
        let child = Child {
            id,
            pool,
            display_name: self.display_name.trim().to_owned(),
            group: self.group.trim().to_owned(),
            legal_basis: self.legal_basis,
            approved_minutes_per_week,
            status: self.status,
            approved_on,
            since,
            until,
        };
        child.check().map_err(|error| problem(&error))?;
        Ok(child)
    }

    /// The write that records the child (`editing` none) or corrects `editing`; `ids` are a new
    /// child's record id and the change's.
    pub fn write(
        &self,
        editing: Option<&ChildLine>,
        (record_id, change_id): (Uuid, Uuid),
    ) -> Result<OfficeWrite, Text> {
        let id = editing.map_or(ChildId(record_id), |line| line.child.id);
        let child = self.child(id)?;
        let change =
            Change::between(editing.map(|line| &line.child), &child).ok_or(texts::CHILDREN_UNCHANGED)?;
        Ok(OfficeWrite {
            id: change_id,
            kind: Child::KIND,
            record: id.0,
            base_version: editing.map_or(0, |line| line.version),
            change,
        })
    }
}

/// What to correct, for a child the domain refuses.
pub fn problem(error: &ValidationError) -> Text {
    match error {
        ValidationError::Empty { field: Field::DisplayName }
        | ValidationError::TextTooLong { field: Field::DisplayName, .. } => texts::CHILDREN_NAME_NEEDED,
        ValidationError::Empty { field: Field::Group }
        | ValidationError::TextTooLong { field: Field::Group, .. } => texts::CHILDREN_GROUP_NEEDED,
        ValidationError::UntilBeforeFrom => texts::COVER_UNTIL_BEFORE_FROM,
        ValidationError::Empty { field: Field::End } => texts::CHILDREN_ENDED_NEEDS_END,
        _ => texts::CHILDREN_HOURS_NEEDED,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::record::RecordState;

    const POOL: PoolId = PoolId(Uuid::from_u128(10));

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn child(n: u128, name: &str, status: SupportStatus) -> Child {
        Child {
            id: ChildId(Uuid::from_u128(n)),
            pool: POOL,
            display_name: name.into(),
            group: "2b".into(),
            legal_basis: LegalBasis::Sgb8Section35a,
            approved_minutes_per_week: Some(600),
            status,
            approved_on: None,
            since: day("2026-08-20"),
            until: (status == SupportStatus::Ended).then(|| day("2026-10-30")),
        }
    }

    fn view(child: &Child) -> RecordView {
        RecordView::of(RecordState::first_version(Child::KIND, child.id.0, child).unwrap(), Some(child.pool))
    }

    #[test]
    fn a_school_years_children_by_institution_with_ended_ones_last() {
        let pool = |id: PoolId, institution: &str, school_year| PoolDirectory {
            id,
            institution: institution.into(),
            school_year,
            people: vec![],
        };
        let pools = [
            pool(POOL, "Schule am Wasser", 2026),
            pool(PoolId(Uuid::from_u128(11)), "Eins", 2026),
            pool(PoolId(Uuid::from_u128(12)), "Eins", 2027),
        ];
        let records = [
            view(&child(1, "Zoe", SupportStatus::Supported)),
            view(&child(2, "Alt", SupportStatus::Ended)),
            view(&child(3, "ben", SupportStatus::Unsupplied)),
        ];
        let shown = by_pool(&records, &pools, SchoolYear { start_year: 2026 });
        assert_eq!(
            shown.iter().map(|p| p.institution.as_str()).collect::<Vec<_>>(),
            ["Eins", "Schule am Wasser"]
        );
        assert!(shown[0].children.is_empty());
        let names: Vec<&str> =
            shown[1].children.iter().map(|line| line.child.display_name.as_str()).collect();
        assert_eq!(names, ["ben", "Zoe", "Alt"]);
        assert_eq!(approved(begleitbuch_web::lang::Lang::De, &shown[1].children[0].child), "10 Std.");
    }

    #[test]
    fn the_form_records_a_child_and_corrects_one_by_the_domain_rules() {
        let mut form = ChildForm::starting(day("2026-12-03"));
        let ids = (Uuid::from_u128(7), Uuid::from_u128(8));
        assert_eq!(form.write(None, ids), Err(texts::POOLS_POOL_NEEDED));
        form.pool = Some(POOL);
        assert_eq!(
            form.write(None, ids),
            Err(texts::CHILDREN_HOURS_NEEDED),
            "an individual entitlement has hours"
        );
        form.approved_hours = "7,5".into();
        assert_eq!(form.write(None, ids), Err(texts::CHILDREN_NAME_NEEDED));
        form.display_name = " Kind A. ".into();
        form.group = "x".repeat(41);
        assert_eq!(form.write(None, ids), Err(texts::CHILDREN_GROUP_NEEDED));
        form.group = "3a".into();
        form.until = "2026-12-01".into();
        assert_eq!(form.write(None, ids), Err(texts::COVER_UNTIL_BEFORE_FROM));
        form.until.clear();
        form.approved_on = "2026-12-04".into();
        assert_eq!(form.write(None, ids), Err(texts::CHILDREN_APPROVED_AFTER_START));
        form.approved_on = "2026-11-02".into();
        form.status = SupportStatus::Ended;
        assert_eq!(form.write(None, ids), Err(texts::CHILDREN_ENDED_NEEDS_END));
        form.status = SupportStatus::Waiting;
        let write = form.write(None, ids).unwrap();
        assert_eq!((write.record, write.base_version, write.kind), (Uuid::from_u128(7), 0, Child::KIND));
        let made = form.child(ChildId(Uuid::from_u128(7))).unwrap();
        assert_eq!((made.display_name.as_str(), made.approved_minutes_per_week), ("Kind A.", Some(450)));
        assert_eq!((made.status, made.approved_on), (SupportStatus::Waiting, Some(day("2026-11-02"))));

        // A systemic child keeps no hours; a correction is based on the version read; no change, no write.
        let line = ChildLine { child: made.clone(), version: 3 };
        let mut again = ChildForm::of(&made, begleitbuch_web::lang::Lang::En);
        assert_eq!(again.approved_hours, "7.5");
        assert_eq!(again.write(Some(&line), ids), Err(texts::CHILDREN_UNCHANGED));
        again.legal_basis = LegalBasis::SystemicOnly;
        let corrected = again.write(Some(&line), ids).unwrap();
        assert_eq!((corrected.record, corrected.base_version), (made.id.0, 3));
        assert_eq!(again.child(made.id).unwrap().approved_minutes_per_week, None);
    }
}
