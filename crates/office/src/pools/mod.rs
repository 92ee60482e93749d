//! The provider's pools, as the office sets them up for a school year: one per institution, and the
//! people in each with their weekly contract hours, first and last day. Joining and ending are the
//! domain's rules (`org::check_new_membership`, `org::check_end`), checked here before sending so the
//! form says what to correct, and again by the server, which decides.

pub mod page;

use begleitbuch_domain::account::{AccountStatus, PersonView};
use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::{InstitutionId, PoolId, UserId};
use begleitbuch_domain::org::{
    check_end, check_new_membership, Institution, Membership, MembershipError, NewMembership, PoolDirectory,
};
use begleitbuch_web::lang::{Lang, Text};
use chrono::NaiveDate;

use crate::texts;

/// One pool of the chosen school year with its memberships: open ones first by name, then ended
/// ones, latest last day first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolCard {
    pub id: PoolId,
    pub institution: String,
    pub members: Vec<Membership>,
}

pub fn cards(pools: &[PoolDirectory], memberships: &[Membership], year: SchoolYear) -> Vec<PoolCard> {
    let mut cards: Vec<PoolCard> = pools
        .iter()
        .filter(|pool| pool.school_year == year.start_year)
        .map(|pool| {
            let mut members: Vec<Membership> =
                memberships.iter().filter(|m| m.pool == pool.id).cloned().collect();
            members.sort_by(|a, b| {
                a.last_day
                    .is_some()
                    .cmp(&b.last_day.is_some())
                    .then(b.last_day.cmp(&a.last_day))
                    .then(a.display_name.to_lowercase().cmp(&b.display_name.to_lowercase()))
            });
            PoolCard { id: pool.id, institution: pool.institution.clone(), members }
        })
        .collect();
    cards.sort_by_cached_key(|card| card.institution.to_lowercase());
    cards
}

/// The school years offered: the current one, the next, and any a pool is in, in order.
pub fn years(today: SchoolYear, pools: &[PoolDirectory]) -> Vec<SchoolYear> {
    let mut years: Vec<SchoolYear> = pools
        .iter()
        .map(|pool| SchoolYear { start_year: pool.school_year })
        .chain([today, SchoolYear { start_year: today.start_year + 1 }])
        .collect();
    years.sort();
    years.dedup();
    years
}

/// The institutions that have no pool in `year` yet, by name: where a new pool can be made.
pub fn without_pool(
    institutions: &[Institution],
    pools: &[PoolDirectory],
    year: SchoolYear,
) -> Vec<(InstitutionId, String)> {
    let taken: Vec<&str> = pools
        .iter()
        .filter(|pool| pool.school_year == year.start_year)
        .map(|pool| pool.institution.as_str())
        .collect();
    let mut free: Vec<(InstitutionId, String)> = institutions
        .iter()
        .filter(|institution| !taken.contains(&institution.name.as_str()))
        .map(|institution| (institution.id, institution.name.clone()))
        .collect();
    free.sort_by_cached_key(|(_, name)| name.to_lowercase());
    free
}

/// Who can join a pool: active accounts of the roles that work in pools, by name.
pub fn candidates(people: &[PersonView]) -> Vec<(UserId, String)> {
    let mut candidates: Vec<(UserId, String)> = people
        .iter()
        .filter(|person| person.role.works_in_pools() && person.status != AccountStatus::Deactivated)
        .map(|person| (person.id, person.display_name.clone()))
        .collect();
    candidates.sort_by_cached_key(|(_, name)| name.to_lowercase());
    candidates
}

/// Weekly hours as typed: `19,5` or `19.5` or `19`, to whole minutes.
pub fn parse_hours(typed: &str) -> Option<u32> {
    let typed = typed.trim().replace(',', ".");
    let (whole, fraction) = match typed.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (typed.as_str(), ""),
    };
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let hundredths = format!("{fraction:0<2}").parse::<u32>().ok()?;
    let minutes = whole.parse::<u32>().ok()?.checked_mul(60)?.checked_add(hundredths * 60 / 100)?;
    // Hundredths of an hour that are no whole minute (19,01) would be rounded away silently.
    (hundredths * 60 % 100 == 0).then_some(minutes)
}

/// Weekly hours as the office writes them: `19,5` in German, `19.5` in English.
pub fn hours(lang: Lang, minutes: u32) -> String {
    crate::institutions::decimal(lang, minutes * 100 / 60)
}

/// The day a form offers first: today when it lies in the pool's school year, else the year's first day.
pub fn first_day_offered(year: SchoolYear, today: NaiveDate) -> NaiveDate {
    if SchoolYear::of(today) == year {
        today
    } else {
        year.first_day()
    }
}

/// What a manager typed to add someone to a pool.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JoinForm {
    pub pool: Option<PoolId>,
    pub person: Option<UserId>,
    pub hours: String,
    pub first_day: String,
}

impl JoinForm {
    /// The request, or what to correct first; `people` for the person's role, `memberships` for their
    /// earlier ones in the pool.
    pub fn request(
        &self,
        year: SchoolYear,
        people: &[PersonView],
        memberships: &[Membership],
    ) -> Result<NewMembership, Text> {
        let pool = self.pool.ok_or(texts::POOLS_POOL_NEEDED)?;
        let person = self
            .person
            .and_then(|id| people.iter().find(|p| p.id == id))
            .ok_or(texts::POOLS_PERSON_NEEDED)?;
        let minutes = parse_hours(&self.hours).ok_or(texts::POOLS_HOURS_NEEDED)?;
        let first_day = begleitbuch_web::format::parse_day(&self.first_day).ok_or(texts::POOLS_DAY_NEEDED)?;
        let request =
            NewMembership { pool, person: person.id, contract_minutes_per_week: minutes, first_day };
        let earlier: Vec<Membership> =
            memberships.iter().filter(|m| m.pool == pool && m.person == person.id).cloned().collect();
        check_new_membership(&request, person.role, year, &earlier).map_err(membership_error)?;
        Ok(request)
    }
}

/// Ending `membership` on the typed day, or what to correct first.
pub fn end_request(membership: &Membership, year: SchoolYear, typed: &str) -> Result<NaiveDate, Text> {
    let last_day = begleitbuch_web::format::parse_day(typed).ok_or(texts::POOLS_DAY_NEEDED)?;
    check_end(membership, year, last_day).map_err(membership_error)?;
    Ok(last_day)
}

fn membership_error(error: MembershipError) -> Text {
    texts::pools_error(error.code()).unwrap_or(texts::POOLS_DAY_NEEDED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::person;
    use begleitbuch_domain::ids::MembershipId;
    use begleitbuch_domain::people::Role;
    use uuid::Uuid;

    const YEAR: SchoolYear = SchoolYear { start_year: 2026 };

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn membership(pool: PoolId, who: &PersonView, first: &str, last: Option<&str>) -> Membership {
        Membership {
            id: MembershipId(Uuid::nil()),
            pool,
            person: who.id,
            display_name: who.display_name.clone(),
            role: who.role,
            contract_minutes_per_week: 1170,
            first_day: day(first),
            last_day: last.map(day),
        }
    }

    fn pool(n: u128, institution: &str, school_year: i32) -> PoolDirectory {
        PoolDirectory {
            id: PoolId(Uuid::from_u128(n)),
            institution: institution.into(),
            school_year,
            people: vec![],
        }
    }

    #[test]
    fn hours_are_typed_and_shown_with_either_decimal_mark() {
        assert_eq!(parse_hours("19,5"), Some(1170));
        assert_eq!(parse_hours(" 19.5 "), Some(1170));
        assert_eq!(parse_hours("20"), Some(1200));
        assert_eq!(parse_hours("19,25"), Some(1155));
        for bad in ["", "x", "19,", ",5", "-3", "19,5,1", "1e3", "19,01", "19,123"] {
            assert_eq!(parse_hours(bad), None, "{bad:?}");
        }
        assert_eq!(hours(Lang::De, 1170), "19,5");
        assert_eq!(hours(Lang::En, 1155), "19.25");
        assert_eq!(hours(Lang::De, 1200), "20");
        assert_eq!(parse_hours(&hours(Lang::De, 1155)), Some(1155), "what is shown can be typed back");
    }

    #[test]
    fn a_school_year_lists_its_pools_by_institution_with_open_memberships_first() {
        let ada = person(1, "Ada", Role::Companion, AccountStatus::Active);
        let bea = person(2, "bea", Role::Companion, AccountStatus::Active);
        let (wasser, eins, next) =
            (pool(10, "Schule am Wasser", 2026), pool(11, "Eins", 2026), pool(12, "Eins", 2027));
        let memberships = [
            membership(wasser.id, &ada, "2026-08-01", Some("2026-10-31")),
            membership(wasser.id, &bea, "2026-09-01", None),
            membership(wasser.id, &ada, "2026-11-02", None),
            membership(next.id, &ada, "2027-08-01", None),
        ];
        let shown = cards(&[wasser.clone(), eins, next.clone()], &memberships, YEAR);
        let names: Vec<&str> = shown.iter().map(|c| c.institution.as_str()).collect();
        assert_eq!(names, ["Eins", "Schule am Wasser"]);
        let members: Vec<(&str, Option<NaiveDate>)> =
            shown[1].members.iter().map(|m| (m.display_name.as_str(), m.last_day)).collect();
        assert_eq!(members, [("Ada", None), ("bea", None), ("Ada", Some(day("2026-10-31")))]);
        assert_eq!(years(YEAR, &[next]), [YEAR, SchoolYear { start_year: 2027 }]);
    }

    #[test]
    fn new_pools_go_where_there_is_none_yet_and_only_active_pool_workers_join() {
        let institution = |n: u128, name: &str| Institution {
            id: InstitutionId(Uuid::from_u128(n)),
            provider: begleitbuch_domain::ids::ProviderId(Uuid::nil()),
            name: name.into(),
            kind: begleitbuch_domain::org::InstitutionKind::School,
            region: "Nord".into(),
            year_levels: vec![1, 2, 3, 4],
            groups: vec![],
            fte: Default::default(),
        };
        let all = [institution(1, "Zeppelin"), institution(2, "Eins"), institution(3, "am Deich")];
        let free = without_pool(&all, &[pool(10, "Eins", 2026)], YEAR);
        assert_eq!(free.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>(), ["am Deich", "Zeppelin"]);
        assert_eq!(without_pool(&all, &[pool(10, "Eins", 2027)], YEAR).len(), 3);

        let people = [
            person(1, "Lea", Role::TeamLead, AccountStatus::Active),
            person(2, "Alt", Role::Companion, AccountStatus::Deactivated),
            person(3, "Neu", Role::Companion, AccountStatus::FirstPasswordPending),
            person(4, "Admin", Role::Admin, AccountStatus::Active),
            person(5, "Mutter", Role::Parent, AccountStatus::Active),
        ];
        let names: Vec<String> = candidates(&people).into_iter().map(|(_, name)| name).collect();
        assert_eq!(names, ["Lea", "Neu"]);
    }

    #[test]
    fn the_join_form_says_what_to_correct_by_the_domain_rules() {
        let ada = person(1, "Ada", Role::Companion, AccountStatus::Active);
        let admin = person(2, "Admin", Role::Admin, AccountStatus::Active);
        let people = [ada.clone(), admin.clone()];
        let p = pool(10, "Eins", 2026).id;
        let mut form = JoinForm::default();
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::POOLS_POOL_NEEDED));
        form.pool = Some(p);
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::POOLS_PERSON_NEEDED));
        form.person = Some(ada.id);
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::POOLS_HOURS_NEEDED));
        form.hours = "49".into();
        form.first_day = "2026-09-01".into();
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::pools_error("contract_hours").unwrap()));
        form.hours = "19,5".into();
        form.first_day = "2027-08-01".into();
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::pools_error("outside_school_year").unwrap()));
        form.first_day = "2026-09-01".into();
        let open = membership(p, &ada, "2026-08-01", None);
        assert_eq!(
            form.request(YEAR, &people, std::slice::from_ref(&open)),
            Err(texts::pools_error("membership_overlaps").unwrap())
        );
        let request = form.request(YEAR, &people, &[]).unwrap();
        assert_eq!((request.contract_minutes_per_week, request.first_day), (1170, day("2026-09-01")));
        form.person = Some(admin.id);
        assert_eq!(form.request(YEAR, &people, &[]), Err(texts::pools_error("not_pool_work").unwrap()));

        assert_eq!(end_request(&open, YEAR, ""), Err(texts::POOLS_DAY_NEEDED));
        assert_eq!(
            end_request(&open, YEAR, "2026-07-31"),
            Err(texts::pools_error("ends_before_start").unwrap())
        );
        assert_eq!(end_request(&open, YEAR, "2026-12-18"), Ok(day("2026-12-18")));
        assert_eq!(first_day_offered(YEAR, day("2026-12-03")), day("2026-12-03"));
        use MembershipError::*;
        for error in [ContractHours, OutsideSchoolYear, EndsBeforeStart, NotPoolWork, Overlaps, AlreadyEnded]
        {
            assert!(texts::pools_error(error.code()).is_some(), "{error:?} has a text");
        }
        assert_eq!(first_day_offered(SchoolYear { start_year: 2027 }, day("2026-12-03")), day("2027-08-01"));
    }
}
