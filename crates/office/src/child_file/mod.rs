//! A child's file in the office: what the child received against the approved hours; the goals of
//! their support plan (added, reworded, closed and taken up again); who has custody (a name and how to
//! reach them, no account needed); which purposes the consents allow, every declaration with the
//! signed form it came from, and the forms that record a guardian, link one to a sibling, and record a
//! signed paper form as a new declaration — never by editing one. Each is one office write through the
//! push rules; the pool's tablets learn goals and consents at their next sync and follow them.

pub mod page;

use std::collections::BTreeSet;

use begleitbuch_domain::child::Goal;
use begleitbuch_domain::consent::{self, Consent, ConsentPurpose, ConsentState, PaperForm};
use begleitbuch_domain::guardian::Guardian;
use begleitbuch_domain::ids::{ChildId, ConsentId, GoalId, GuardianId};
use begleitbuch_domain::protocol::{OfficeWrite, RecordView};
use begleitbuch_domain::record::{Change, Record};
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_domain::worktime::Delivered;
use begleitbuch_web::format::parse_day;
use begleitbuch_web::lang::{Lang, Text};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::pools::hours;
use crate::texts;

/// A guardian as listed, with the version the office read (a link is based on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuardianLine {
    pub guardian: Guardian,
    pub version: u64,
}

/// A goal as listed, with the version the office read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalLine {
    pub goal: Goal,
    pub version: u64,
}

/// One declaration about the child, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    pub consent: Consent,
    /// The custodian's name, or none if their record is not readable.
    pub guardian: Option<String>,
}

/// What the office knows about one child's custody and consents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildFile {
    pub child: ChildId,
    /// The support plan's goals: open ones first, each group by title.
    pub goals: Vec<GoalLine>,
    /// Linked to the child, by name.
    pub guardians: Vec<GuardianLine>,
    /// The provider's other guardians (a sibling's parents), by name.
    pub others: Vec<GuardianLine>,
    /// Every purpose, in [`ConsentPurpose::ALL`]'s order, and whether consent holds.
    pub purposes: Vec<(ConsentPurpose, bool)>,
    /// Newest first.
    pub declarations: Vec<Declaration>,
}

impl ChildFile {
    /// `child`'s file from the provider's guardian and consent records. Consent is read as every
    /// declaration listed leaves it: the server dates each on arrival, so all of them are in force
    /// already, and the office's clock may run behind the server's (a form just recorded would
    /// otherwise read "not granted" for a while).
    pub fn of(child: ChildId, records: &[RecordView]) -> ChildFile {
        let mut guardians: Vec<GuardianLine> = records
            .iter()
            .filter_map(|r| {
                r.decode::<Guardian>().map(|guardian| GuardianLine { guardian, version: r.version })
            })
            .collect();
        guardians.sort_by_cached_key(|line| line.guardian.name.to_lowercase());
        let (guardians, others): (Vec<_>, Vec<_>) =
            guardians.into_iter().partition(|line| line.guardian.children.contains(&child));
        let mut goals: Vec<GoalLine> = records
            .iter()
            .filter_map(|r| r.decode::<Goal>().map(|goal| GoalLine { goal, version: r.version }))
            .filter(|line| line.goal.child == child)
            .collect();
        goals.sort_by_cached_key(|line| (!line.goal.active, line.goal.title.to_lowercase()));
        let consents: Vec<Consent> =
            records.iter().filter_map(|r| r.decode::<Consent>()).filter(|c| c.child == child).collect();
        let purposes = ConsentPurpose::ALL
            .into_iter()
            .map(|purpose| {
                (purpose, consent::is_granted(&consents, child, purpose, DateTime::<Utc>::MAX_UTC))
            })
            .collect();
        let name = |id: GuardianId| {
            guardians
                .iter()
                .chain(&others)
                .find(|line| line.guardian.id == id)
                .map(|line| line.guardian.name.clone())
        };
        let mut declarations: Vec<Declaration> = consents
            .into_iter()
            .map(|consent| Declaration { guardian: name(consent.custodian), consent })
            .collect();
        declarations.sort_by_key(|d| std::cmp::Reverse(d.consent.at));
        ChildFile { child, goals, guardians, others, purposes, declarations }
    }
}

/// What the child received this week and month against the hours approved per week (none for a
/// child supported within the systemic allocation).
pub fn delivered_text(
    lang: Lang,
    approved_minutes_per_week: Option<u32>,
    delivered: Option<Delivered>,
) -> String {
    let Delivered { week_minutes, month_minutes } = delivered.unwrap_or_default();
    let (week, month) = (hours(lang, week_minutes), hours(lang, month_minutes));
    match approved_minutes_per_week {
        Some(approved) => texts::FILE_WEEK_OF.fill(lang, &[&week, &hours(lang, approved), &month]),
        None => texts::FILE_WEEK.fill(lang, &[&week, &month]),
    }
}

/// The write that adds a goal titled `title` to `child` (`editing` none) or rewords `editing`.
pub fn goal_write(
    title: &str,
    child: ChildId,
    editing: Option<&GoalLine>,
    (record_id, change_id): (Uuid, Uuid),
) -> Result<OfficeWrite, Text> {
    let goal = match editing {
        Some(line) => Goal { title: title.trim().to_owned(), ..line.goal.clone() },
        None => Goal { id: GoalId(record_id), child, title: title.trim().to_owned(), active: true },
    };
    goal.check().map_err(|_| texts::GOAL_TITLE_NEEDED)?;
    let change = Change::between(editing.map(|line| &line.goal), &goal).ok_or(texts::CHILDREN_UNCHANGED)?;
    Ok(write(Goal::KIND, goal.id.0, editing.map_or(0, |line| line.version), change, change_id))
}

/// The write that closes an open goal or takes a closed one up again.
pub fn goal_toggle(line: &GoalLine, change_id: Uuid) -> Option<OfficeWrite> {
    let toggled = Goal { active: !line.goal.active, ..line.goal.clone() };
    let change = Change::between(Some(&line.goal), &toggled)?;
    Some(write(Goal::KIND, line.goal.id.0, line.version, change, change_id))
}

/// What a team lead typed to record a guardian.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardianForm {
    pub name: String,
    pub contact: String,
}

impl GuardianForm {
    /// The write that records a guardian of `child`; `ids` are the record's id and the change's.
    pub fn write(&self, child: ChildId, (record_id, change_id): (Uuid, Uuid)) -> Result<OfficeWrite, Text> {
        let guardian = Guardian {
            id: GuardianId(record_id),
            name: self.name.trim().to_owned(),
            contact: self.contact.trim().to_owned(),
            children: BTreeSet::from([child]),
        };
        guardian.check().map_err(|error| match error {
            ValidationError::TextTooLong { field: Field::Contact, .. } => texts::GUARDIAN_CONTACT_NEEDED,
            _ => texts::GUARDIAN_NAME_NEEDED,
        })?;
        let change = Change::between(None, &guardian).ok_or(texts::GUARDIAN_NAME_NEEDED)?;
        Ok(write(Guardian::KIND, record_id, 0, change, change_id))
    }
}

/// The write that links `line` (a sibling's guardian, say) to `child` as well.
pub fn link(line: &GuardianLine, child: ChildId, change_id: Uuid) -> Option<OfficeWrite> {
    let mut linked = line.guardian.clone();
    linked.children.insert(child);
    let change = Change::between(Some(&line.guardian), &linked)?;
    Some(write(Guardian::KIND, line.guardian.id.0, line.version, change, change_id))
}

fn write(
    kind: begleitbuch_domain::record::RecordKind,
    record: Uuid,
    base_version: u64,
    change: Change,
    id: Uuid,
) -> OfficeWrite {
    OfficeWrite { id, kind, record, base_version, change }
}

/// What a team lead typed from a signed paper form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclarationForm {
    pub guardian: Option<GuardianId>,
    pub purpose: ConsentPurpose,
    pub state: ConsentState,
    pub reference: String,
    pub signed_on: String,
}

impl DeclarationForm {
    /// An empty form: documentation granted, signed `today`.
    pub fn starting(today: NaiveDate) -> DeclarationForm {
        DeclarationForm {
            guardian: None,
            purpose: ConsentPurpose::Documentation,
            state: ConsentState::Granted,
            reference: String::new(),
            signed_on: today.to_string(),
        }
    }

    /// The new declaration about `child` (the server dates it on arrival and names who recorded it;
    /// `now` only fills the field until then), or what to correct first. A form signed after `today`
    /// has not been signed.
    pub fn write(
        &self,
        child: ChildId,
        today: NaiveDate,
        now: DateTime<Utc>,
        (record_id, change_id): (Uuid, Uuid),
    ) -> Result<OfficeWrite, Text> {
        let custodian = self.guardian.ok_or(texts::CONSENT_GUARDIAN_NEEDED)?;
        let signed_on =
            parse_day(&self.signed_on).filter(|day| *day <= today).ok_or(texts::CONSENT_SIGNED_NEEDED)?;
        let form = PaperForm { reference: self.reference.trim().to_owned(), signed_on };
        form.check().map_err(|error| match error {
            ValidationError::Empty { .. } | ValidationError::TextTooLong { .. } => {
                texts::CONSENT_REFERENCE_NEEDED
            }
            _ => texts::CONSENT_SIGNED_NEEDED,
        })?;
        let consent = Consent {
            id: ConsentId(record_id),
            child,
            purpose: self.purpose,
            text_version: consent::TEXT_VERSION.into(),
            state: self.state,
            custodian,
            at: now,
            recorded_by: None,
            form: Some(form),
        };
        let change = Change::between(None, &consent).ok_or(texts::CONSENT_GUARDIAN_NEEDED)?;
        Ok(write(Consent::KIND, record_id, 0, change, change_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::record::RecordState;
    use chrono::TimeZone;

    const CHILD: ChildId = ChildId(Uuid::from_u128(1));
    const SIBLING: ChildId = ChildId(Uuid::from_u128(2));

    fn guardian(n: u128, name: &str, children: &[ChildId]) -> RecordView {
        let guardian = Guardian {
            id: GuardianId(Uuid::from_u128(n)),
            name: name.into(),
            contact: String::new(),
            children: children.iter().copied().collect(),
        };
        RecordView::of(RecordState::first_version(Guardian::KIND, guardian.id.0, &guardian).unwrap(), None)
    }

    fn declaration(
        n: u128,
        custodian: u128,
        purpose: ConsentPurpose,
        state: ConsentState,
        day: u32,
    ) -> RecordView {
        let consent = Consent {
            id: ConsentId(Uuid::from_u128(100 + n)),
            child: CHILD,
            purpose,
            text_version: consent::TEXT_VERSION.into(),
            state,
            custodian: GuardianId(Uuid::from_u128(custodian)),
            at: Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap(),
            recorded_by: None,
            form: Some(PaperForm {
                reference: format!("EV-{n}"),
                signed_on: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            }),
        };
        RecordView::of(RecordState::first_version(Consent::KIND, consent.id.0, &consent).unwrap(), None)
    }

    #[test]
    fn a_childs_file_shows_its_guardians_what_holds_and_every_declaration_newest_first() {
        let records = [
            guardian(10, "Sommer, Petra", &[CHILD, SIBLING]),
            guardian(11, "adler, Jan", &[CHILD]),
            guardian(12, "Berg, Ute", &[SIBLING]),
            declaration(1, 10, ConsentPurpose::Documentation, ConsentState::Granted, 2),
            declaration(2, 10, ConsentPurpose::Naming, ConsentState::Granted, 2),
            // The other custodian withdraws naming: either custodian's withdrawal wins.
            declaration(3, 11, ConsentPurpose::Naming, ConsentState::Withdrawn, 20),
        ];
        let file = ChildFile::of(CHILD, &records);
        let names =
            |lines: &[GuardianLine]| lines.iter().map(|l| l.guardian.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&file.guardians), ["adler, Jan", "Sommer, Petra"]);
        assert_eq!(names(&file.others), ["Berg, Ute"]);
        assert_eq!(
            file.purposes,
            [
                (ConsentPurpose::Documentation, true),
                (ConsentPurpose::Naming, false),
                (ConsentPurpose::ParentSummary, false)
            ]
        );
        let history: Vec<_> = file
            .declarations
            .iter()
            .map(|d| (d.consent.form.as_ref().unwrap().reference.as_str(), d.guardian.as_deref()))
            .collect();
        assert_eq!(history[0], ("EV-3", Some("adler, Jan")));
        assert_eq!(history.len(), 3);
    }

    #[test]
    fn goals_are_added_reworded_closed_and_taken_up_again_open_ones_first() {
        let ids = (Uuid::from_u128(7), Uuid::from_u128(8));
        assert_eq!(goal_write("  ", CHILD, None, ids), Err(texts::GOAL_TITLE_NEEDED));
        let added = goal_write(" Pausen ohne Streit ", CHILD, None, ids).unwrap();
        assert_eq!((added.kind, added.record, added.base_version), (Goal::KIND, Uuid::from_u128(7), 0));
        let goal = |n: u128, title: &str, active: bool| {
            let goal = Goal { id: GoalId(Uuid::from_u128(n)), child: CHILD, title: title.into(), active };
            RecordView::of(RecordState::first_version(Goal::KIND, goal.id.0, &goal).unwrap(), None)
        };
        let records = [
            goal(20, "Zuhören", false),
            goal(21, "pausen ohne Streit", true),
            goal(22, "Arbeitsauftrag beginnen", true),
        ];
        let file = ChildFile::of(CHILD, &records);
        let titles: Vec<&str> = file.goals.iter().map(|line| line.goal.title.as_str()).collect();
        assert_eq!(titles, ["Arbeitsauftrag beginnen", "pausen ohne Streit", "Zuhören"]);
        let open = &file.goals[0];
        let reworded = goal_write("Arbeitsauftrag selbst beginnen", CHILD, Some(open), ids).unwrap();
        assert_eq!((reworded.record, reworded.base_version), (open.goal.id.0, 1));
        assert_eq!(
            goal_write("Arbeitsauftrag beginnen", CHILD, Some(open), ids),
            Err(texts::CHILDREN_UNCHANGED)
        );
        let closed = goal_toggle(open, Uuid::from_u128(9)).unwrap();
        let Change::Put { fields, .. } = closed.change else { panic!("closing puts") };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["active"]);
        assert_eq!(fields["active"], false);
    }

    #[test]
    fn what_a_child_received_reads_against_the_approved_hours() {
        let delivered = Some(Delivered { week_minutes: 15, month_minutes: 90 });
        assert_eq!(
            delivered_text(Lang::De, Some(600), delivered),
            "Diese Woche 0,25 Std. von 10 Std. bewilligt; diesen Monat 1,5 Std."
        );
        assert_eq!(delivered_text(Lang::En, None, None), "This week 0 h; this month 0 h.");
    }

    #[test]
    fn a_guardian_is_recorded_for_the_child_and_linked_to_a_sibling() {
        let ids = (Uuid::from_u128(7), Uuid::from_u128(8));
        assert_eq!(GuardianForm::default().write(CHILD, ids), Err(texts::GUARDIAN_NAME_NEEDED));
        let form = GuardianForm { name: " Petra Sommer ".into(), contact: "x".repeat(121) };
        assert_eq!(form.write(CHILD, ids), Err(texts::GUARDIAN_CONTACT_NEEDED));
        let form = GuardianForm { contact: "0421 555 0101".into(), ..form };
        let write = form.write(CHILD, ids).unwrap();
        assert_eq!((write.kind, write.record, write.base_version), (Guardian::KIND, Uuid::from_u128(7), 0));

        let line = GuardianLine {
            guardian: guardian(12, "Berg, Ute", &[SIBLING]).decode::<Guardian>().unwrap(),
            version: 4,
        };
        let linked = link(&line, CHILD, Uuid::from_u128(9)).unwrap();
        assert_eq!(linked.base_version, 4);
        let Change::Put { sets, fields } = linked.change else { panic!("a link puts") };
        assert!(fields.is_empty(), "a link changes only the children");
        assert_eq!(sets["children"].add, BTreeSet::from([CHILD.to_string()]));
        assert_eq!(link(&line, SIBLING, Uuid::from_u128(9)), None, "already linked");
    }

    #[test]
    fn a_paper_form_becomes_a_new_declaration_with_its_reference_and_day() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        let ids = (Uuid::from_u128(7), Uuid::from_u128(8));
        let mut form = DeclarationForm::starting(today);
        assert_eq!(form.write(CHILD, today, now, ids), Err(texts::CONSENT_GUARDIAN_NEEDED));
        form.guardian = Some(GuardianId(Uuid::from_u128(10)));
        assert_eq!(form.write(CHILD, today, now, ids), Err(texts::CONSENT_REFERENCE_NEEDED));
        form.reference = "EV-2026-014".into();
        form.signed_on = "2026-12-04".into();
        assert_eq!(form.write(CHILD, today, now, ids), Err(texts::CONSENT_SIGNED_NEEDED), "not signed yet");
        form.signed_on = "2026-11-28".into();
        form.purpose = ConsentPurpose::Naming;
        form.state = ConsentState::Withdrawn;
        let write = form.write(CHILD, today, now, ids).unwrap();
        assert_eq!((write.kind, write.base_version), (Consent::KIND, 0));
        let Change::Put { fields, .. } = write.change else { panic!("a declaration puts") };
        assert_eq!(fields["state"], "withdrawn");
        assert_eq!(fields["purpose"], "naming");
        assert_eq!(fields["form"]["reference"], "EV-2026-014");
        assert_eq!(fields["text_version"], consent::TEXT_VERSION);
    }
}
