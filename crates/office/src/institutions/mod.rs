//! The provider's institutions, as the office lists them for a school year — region, systemic year
//! levels, allocated FTE — and the import of the authority's allocation list: upload, preview (what
//! each line would change, or every bad line with its number and reason), import all or nothing.
//! Only admins import; the rule and the plan are the server's (`domain::org::plan_allocation`).
//! Admins also enter an institution by hand or correct one — a school's year levels as the levels
//! themselves, a day-care centre's groups — through the same checks as the server's
//! (`InstitutionDetails::checked`).

pub mod page;

use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::org::{
    parse_year_levels, year_levels_text, AllocationChange, AllocationPlan, Fte, ImportError, Institution,
    InstitutionDetails, InstitutionKind, PlannedLine, ALLOCATION_HEADER,
};
use begleitbuch_web::lang::{Lang, Text};

use crate::texts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionRow {
    pub institution: Institution,
    pub name: String,
    pub region: String,
    pub served: String,
    pub fte: Option<Fte>,
}

/// The list for `school_year`, by region and name.
pub fn rows(institutions: &[Institution], school_year: SchoolYear) -> Vec<InstitutionRow> {
    let mut rows: Vec<InstitutionRow> = institutions
        .iter()
        .map(|institution| InstitutionRow {
            institution: institution.clone(),
            name: institution.name.clone(),
            region: institution.region.clone(),
            served: served(institution),
            fte: institution.fte_in(school_year),
        })
        .collect();
    // Names compare without case, so "Schule am Wasser" stands among the other "Schule …".
    rows.sort_by(|a, b| a.region.cmp(&b.region).then(a.name.to_lowercase().cmp(&b.name.to_lowercase())));
    rows
}

/// What is served systemically: a school's year levels as runs (`1–4`), a day-care centre's groups;
/// "–" for pooling only.
pub fn served(institution: &Institution) -> String {
    let text = match institution.kind {
        InstitutionKind::School => year_levels_text(&institution.year_levels),
        InstitutionKind::DayCare => institution.groups.join(", "),
    };
    if text.is_empty() {
        "–".into()
    } else {
        text
    }
}

/// What an admin typed to enter or correct an institution: year levels as `1-4, 6`, groups one per
/// line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionForm {
    pub name: String,
    pub kind: InstitutionKind,
    pub region: String,
    pub year_levels: String,
    pub groups: String,
}

impl Default for InstitutionForm {
    fn default() -> Self {
        InstitutionForm {
            name: String::new(),
            kind: InstitutionKind::School,
            region: String::new(),
            year_levels: String::new(),
            groups: String::new(),
        }
    }
}

impl InstitutionForm {
    /// The form filled with `institution`, to correct it.
    pub fn of(institution: &Institution) -> InstitutionForm {
        InstitutionForm {
            name: institution.name.clone(),
            kind: institution.kind,
            region: institution.region.clone(),
            year_levels: year_levels_text(&institution.year_levels),
            groups: institution.groups.join("\n"),
        }
    }

    /// The request, or what to correct first. A school keeps no groups and a day-care centre no year
    /// levels, whatever was typed in the field the other kind uses.
    pub fn request(&self) -> Result<InstitutionDetails, Text> {
        let school = self.kind == InstitutionKind::School;
        let year_levels = if school {
            parse_year_levels(&self.year_levels).ok_or(texts::INSTITUTION_LEVELS_NEEDED)?
        } else {
            Vec::new()
        };
        let groups = if school {
            Vec::new()
        } else {
            self.groups.lines().map(str::trim).filter(|g| !g.is_empty()).map(str::to_owned).collect()
        };
        InstitutionDetails {
            name: self.name.clone(),
            kind: self.kind,
            region: self.region.clone(),
            year_levels,
            groups,
        }
        .checked()
        .map_err(|error| texts::institution_error(error.code()).unwrap_or(texts::INSTITUTION_LEVELS_NEEDED))
    }
}

/// `3,3` in German, `3.3` in English; hundredths only where there are any.
pub fn fte(lang: Lang, fte: Fte) -> String {
    decimal(lang, fte.0)
}

/// A number kept in hundredths, as the office writes it: the language's decimal mark, hundredths
/// only where there are any (`3,3`, `1,05`, `2`).
pub fn decimal(lang: Lang, hundredths: u32) -> String {
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    let separator = match lang {
        Lang::De => ',',
        Lang::En => '.',
    };
    match fraction {
        0 => whole.to_string(),
        h if h % 10 == 0 => format!("{whole}{separator}{}", h / 10),
        h => format!("{whole}{separator}{h:02}"),
    }
}

/// How many institutions have FTE in `school_year`, and their sum.
pub fn total(rows: &[InstitutionRow]) -> (usize, Fte) {
    let allocated: Vec<Fte> = rows.iter().filter_map(|row| row.fte).collect();
    (allocated.len(), Fte(allocated.iter().map(|fte| fte.0).sum()))
}

/// The school years offered for the list and an import: the current one, the next, and any the
/// institutions have FTE for, in order.
pub fn years(today: SchoolYear, institutions: &[Institution]) -> Vec<SchoolYear> {
    let mut years: Vec<SchoolYear> = institutions
        .iter()
        .flat_map(|institution| institution.fte.keys().map(|&start_year| SchoolYear { start_year }))
        .chain([today, SchoolYear { start_year: today.start_year + 1 }])
        .collect();
    years.sort();
    years.dedup();
    years
}

/// A line's change, in words.
pub fn change_text(lang: Lang, line: &PlannedLine) -> String {
    match &line.change {
        AllocationChange::New => texts::IMPORT_NEW.get(lang).to_owned(),
        AllocationChange::Unchanged => texts::IMPORT_UNCHANGED.get(lang).to_owned(),
        AllocationChange::Changed { fte_before, details_changed } => {
            let mut parts = Vec::new();
            match fte_before {
                None => parts.push(texts::IMPORT_FTE_ADDED.get(lang).to_owned()),
                Some(before) if *before != line.row.fte => {
                    parts.push(texts::IMPORT_FTE_CHANGED.fill(lang, &[&fte(lang, *before)]))
                }
                Some(_) => {}
            }
            if *details_changed {
                parts.push(texts::IMPORT_DETAILS_CHANGED.get(lang).to_owned());
            }
            parts.join(", ")
        }
    }
}

/// How many lines are new, changed and unchanged.
pub fn counts(plan: &AllocationPlan) -> (usize, usize, usize) {
    let count = |f: fn(&AllocationChange) -> bool| plan.lines.iter().filter(|line| f(&line.change)).count();
    (
        count(|c| matches!(c, AllocationChange::New)),
        count(|c| matches!(c, AllocationChange::Changed { .. })),
        count(|c| matches!(c, AllocationChange::Unchanged)),
    )
}

/// A bad line, with its number and what is wrong, in words.
pub fn problem_text(lang: Lang, error: &ImportError) -> String {
    match error {
        ImportError::Header => texts::IMPORT_HEADER.fill(lang, &[ALLOCATION_HEADER]),
        ImportError::FieldCount { line, found } => {
            texts::IMPORT_FIELD_COUNT.fill(lang, &[&line.to_string(), &found.to_string()])
        }
        ImportError::Empty { line, field } => {
            let field =
                if field == "region" { texts::IMPORT_FIELD_REGION } else { texts::IMPORT_FIELD_SCHOOL };
            texts::IMPORT_EMPTY.fill(lang, &[&line.to_string(), field.get(lang)])
        }
        ImportError::Text { line, field } => {
            let field =
                if field == "region" { texts::IMPORT_FIELD_REGION } else { texts::IMPORT_FIELD_SCHOOL };
            texts::IMPORT_TEXT.fill(lang, &[&line.to_string(), field.get(lang)])
        }
        ImportError::YearLevels { line, value } => {
            texts::IMPORT_YEAR_LEVELS.fill(lang, &[&line.to_string(), value])
        }
        ImportError::Fte { line, value } => texts::IMPORT_FTE.fill(lang, &[&line.to_string(), value]),
        ImportError::Duplicate { line, school } => {
            texts::IMPORT_DUPLICATE.fill(lang, &[&line.to_string(), school])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::{InstitutionId, ProviderId};
    use begleitbuch_domain::org::ListedLevels;
    use uuid::Uuid;

    fn school(name: &str, region: &str, levels: u8, fte: &[(i32, u32)]) -> Institution {
        Institution {
            id: InstitutionId(Uuid::from_u128(name.len() as u128)),
            provider: ProviderId(Uuid::from_u128(1)),
            name: name.into(),
            kind: InstitutionKind::School,
            region: region.into(),
            year_levels: (1..=levels).collect(),
            groups: vec![],
            fte: fte.iter().map(|&(year, hundredths)| (year, Fte(hundredths))).collect(),
        }
    }

    #[test]
    fn the_list_of_a_school_year_by_region_with_levels_and_fte() {
        let institutions =
            [school("Schule B", "Süd", 2, &[(2026, 150)]), school("Schule A", "Nord", 4, &[(2027, 330)])];
        let year = SchoolYear { start_year: 2026 };
        let rows = rows(&institutions, year);
        assert_eq!(
            rows.iter().map(|r| (r.name.as_str(), r.served.as_str())).collect::<Vec<_>>(),
            [("Schule A", "1–4"), ("Schule B", "1–2")]
        );
        assert_eq!((rows[0].fte, rows[1].fte), (None, Some(Fte(150))));
        assert_eq!(total(&rows), (1, Fte(150)));
        assert_eq!(
            years(year, &institutions).iter().map(|y| y.label()).collect::<Vec<_>>(),
            ["2026/27", "2027/28"]
        );
        assert_eq!(served(&school("Pool", "Nord", 0, &[])), "–");
        let kita = Institution {
            kind: InstitutionKind::DayCare,
            year_levels: vec![],
            groups: vec!["Sonnen".into(), "Sterne".into()],
            ..school("Kita", "Ost", 0, &[])
        };
        assert_eq!(served(&kita), "Sonnen, Sterne");
        let mixed = [school("Schule am Wasser", "Nord", 4, &[]), school("Schule Borchshöhe", "Nord", 4, &[])];
        assert_eq!(super::rows(&mixed, year)[0].name, "Schule am Wasser", "names compare without case");
    }

    #[test]
    fn the_institution_form_takes_year_levels_for_schools_and_groups_for_day_care() {
        let mut form =
            InstitutionForm { name: " Schule am See ".into(), region: "Süd".into(), ..Default::default() };
        form.year_levels = "1-2, 5".into();
        form.groups = "wird ignoriert".into();
        let request = form.request().unwrap();
        assert_eq!(
            (request.name.as_str(), request.year_levels.as_slice(), request.groups.len()),
            ("Schule am See", &[1, 2, 5][..], 0)
        );
        form.year_levels = "1-14".into();
        assert_eq!(form.request(), Err(texts::INSTITUTION_LEVELS_NEEDED));
        form.kind = InstitutionKind::DayCare;
        form.groups = "Sonnen\n\n Sterne \nSonnen".into();
        assert_eq!(
            form.request(),
            Err(texts::institution_error("invalid_groups").unwrap()),
            "twice the same group"
        );
        form.groups = "Sonnen\nSterne".into();
        assert_eq!(form.request().unwrap().groups, ["Sonnen", "Sterne"]);
        form.region = " ".into();
        assert_eq!(form.request(), Err(texts::institution_error("invalid_region").unwrap()));
        let kita = Institution {
            kind: InstitutionKind::DayCare,
            year_levels: vec![],
            groups: vec!["Sonnen".into(), "Sterne".into()],
            ..school("Kita", "Ost", 0, &[])
        };
        assert_eq!(InstitutionForm::of(&kita).groups, "Sonnen\nSterne");
        assert_eq!(InstitutionForm::of(&school("A", "Nord", 4, &[])).year_levels, "1–4");
        for code in ["invalid_institution_name", "invalid_region", "invalid_year_levels", "invalid_groups"] {
            assert!(texts::institution_error(code).is_some(), "{code}");
        }
    }

    #[test]
    fn fte_reads_as_the_authority_writes_it() {
        assert_eq!(fte(Lang::De, Fte(330)), "3,3");
        assert_eq!(fte(Lang::En, Fte(330)), "3.3");
        assert_eq!(fte(Lang::De, Fte(7333)), "73,33");
        assert_eq!(fte(Lang::De, Fte(200)), "2");
        assert_eq!(fte(Lang::De, Fte(105)), "1,05");
    }

    #[test]
    fn every_change_and_every_bad_line_in_words() {
        let row = begleitbuch_domain::org::AllocationRow {
            line: 2,
            region: "Nord".into(),
            school: "A".into(),
            systemic_year_levels: ListedLevels::Count(4),
            fte: Fte(330),
        };
        let plan = AllocationPlan {
            lines: vec![
                PlannedLine {
                    row: row.clone(),
                    year_levels: vec![1, 2, 3, 4],
                    change: AllocationChange::New,
                },
                PlannedLine {
                    row: row.clone(),
                    year_levels: vec![1, 2, 3, 4],
                    change: AllocationChange::Changed { fte_before: Some(Fte(300)), details_changed: true },
                },
                PlannedLine {
                    row: row.clone(),
                    year_levels: vec![1, 2, 3, 4],
                    change: AllocationChange::Unchanged,
                },
                PlannedLine {
                    row,
                    year_levels: vec![1, 2, 3, 4],
                    change: AllocationChange::Changed { fte_before: Some(Fte(330)), details_changed: true },
                },
            ],
            errors: vec![],
        };
        assert_eq!(counts(&plan), (1, 2, 1));
        assert_eq!(
            change_text(Lang::De, &plan.lines[1]),
            "VZÄ geändert (vorher 3), Region oder Jahrgänge geändert"
        );
        assert_eq!(
            change_text(Lang::De, &plan.lines[3]),
            "Region oder Jahrgänge geändert",
            "the same FTE is no change"
        );
        assert_eq!(
            problem_text(Lang::De, &ImportError::Fte { line: 7, value: "drei".into() }),
            "Zeile 7: „drei“ ist kein VZÄ-Wert wie 3,3."
        );
        assert_eq!(
            problem_text(Lang::En, &ImportError::Empty { line: 4, field: "school".into() }),
            "Line 4: the school is empty."
        );
    }
}
