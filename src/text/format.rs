//! German-first formatting of dates, times, durations and the labels of the domain's enums through the
//! translation files. Labels are matched on the enum, never on a code string, so a new variant cannot
//! silently show another's label.
//!
//! The patterns (`Mo, 23.11.2026`, `1 Std. 30 Min.`) live in `locales/*.json` so that a translator can
//! change them; this module only decides which pattern applies and fills it in.

use crate::i18n::{td_string, Locale};
use begleitbuch_domain::duration::HoursMinutes;
use begleitbuch_domain::review::AbsenceReason;
use begleitbuch_domain::work::{DirectKind, IndirectKind, ObservationDomain, SessionKind, TimeCategory};
use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};

pub fn weekday_short(locale: Locale, weekday: Weekday) -> String {
    match weekday {
        Weekday::Mon => td_string!(locale, weekday.mon).to_string(),
        Weekday::Tue => td_string!(locale, weekday.tue).to_string(),
        Weekday::Wed => td_string!(locale, weekday.wed).to_string(),
        Weekday::Thu => td_string!(locale, weekday.thu).to_string(),
        Weekday::Fri => td_string!(locale, weekday.fri).to_string(),
        Weekday::Sat => td_string!(locale, weekday.sat).to_string(),
        Weekday::Sun => td_string!(locale, weekday.sun).to_string(),
    }
}

/// `Mo, 23.11.2026` in German, `Mon, 23/11/2026` in English.
pub fn date(locale: Locale, date: NaiveDate) -> String {
    let weekday = weekday_short(locale, date.weekday());
    let day = format!("{:02}", date.day());
    let month = format!("{:02}", date.month());
    let year = date.year();
    td_string!(locale, date_format, weekday, day, month, year).to_string()
}

/// One day, or `Di, 24.11.2026 – Do, 26.11.2026` for several.
pub fn date_range(locale: Locale, first: NaiveDate, last: NaiveDate) -> String {
    if first == last {
        return date(locale, first);
    }
    format!("{} – {}", date(locale, first), date(locale, last))
}

/// `08:05 Uhr` in German, `08:05` in English.
pub fn time(locale: Locale, time: NaiveTime) -> String {
    let hour = format!("{:02}", time.hour());
    let minute = format!("{:02}", time.minute());
    td_string!(locale, time_format, hour, minute).to_string()
}

/// `08:00–09:30 Uhr` in German, `08:00–09:30` in English.
pub fn time_range(locale: Locale, start: NaiveTime, end: NaiveTime) -> String {
    let start = start.format("%H:%M").to_string();
    let end = end.format("%H:%M").to_string();
    td_string!(locale, entry_time_range, start, end).to_string()
}

/// `1 Std. 30 Min.`, `2 Std.`, `45 Min.`; zero is `0 Min.`.
pub fn duration(locale: Locale, total_minutes: u32) -> String {
    let HoursMinutes { hours, minutes } = HoursMinutes::from_minutes(total_minutes);
    match (hours, minutes) {
        (0, minutes) => td_string!(locale, duration_minutes, minutes).to_string(),
        (hours, 0) => td_string!(locale, duration_hours, hours).to_string(),
        (hours, minutes) => td_string!(locale, duration_hours_minutes, hours, minutes).to_string(),
    }
}

/// The label of a time category.
pub fn category(locale: Locale, category: TimeCategory) -> String {
    match category {
        TimeCategory::Direct(DirectKind::Individual) => td_string!(locale, category.individual),
        TimeCategory::Direct(DirectKind::Group) => td_string!(locale, category.group),
        TimeCategory::Direct(DirectKind::Class) => td_string!(locale, category.class),
        TimeCategory::Indirect(IndirectKind::Preparation) => td_string!(locale, category.preparation),
        TimeCategory::Indirect(IndirectKind::TeamMeeting) => td_string!(locale, category.team_meeting),
        TimeCategory::Indirect(IndirectKind::ParentTalk) => td_string!(locale, category.parent_talk),
        TimeCategory::Indirect(IndirectKind::SupportPlan) => td_string!(locale, category.support_plan),
        TimeCategory::Indirect(IndirectKind::Documentation) => td_string!(locale, category.documentation),
        TimeCategory::Indirect(IndirectKind::Training) => td_string!(locale, category.training),
        TimeCategory::Indirect(IndirectKind::Travel) => td_string!(locale, category.travel),
        TimeCategory::Indirect(IndirectKind::Other) => td_string!(locale, category.other),
    }
    .to_string()
}

/// The label of a group session's kind.
pub fn session_kind(locale: Locale, kind: SessionKind) -> String {
    match kind {
        SessionKind::SocialEmotionalLearning => td_string!(locale, session_kind.social_emotional_learning),
        SessionKind::ConflictResolution => td_string!(locale, session_kind.conflict_resolution),
        SessionKind::ClassSupport => td_string!(locale, session_kind.class_support),
        SessionKind::TransitionSupport => td_string!(locale, session_kind.transition_support),
        SessionKind::IndividualSupport => td_string!(locale, session_kind.individual_support),
        SessionKind::CrisisIntervention => td_string!(locale, session_kind.crisis_intervention),
        SessionKind::Other => td_string!(locale, session_kind.other),
    }
    .to_string()
}

/// The label of an observation's domain tag.
pub fn observation_domain(locale: Locale, domain: ObservationDomain) -> String {
    match domain {
        ObservationDomain::SocialEmotional => td_string!(locale, observation_domain.social_emotional),
        ObservationDomain::Communication => td_string!(locale, observation_domain.communication),
        ObservationDomain::AttentionLearning => td_string!(locale, observation_domain.attention_learning),
        ObservationDomain::Motor => td_string!(locale, observation_domain.motor),
        ObservationDomain::SelfCare => td_string!(locale, observation_domain.self_care),
        ObservationDomain::GroupBehaviour => td_string!(locale, observation_domain.group_behaviour),
    }
    .to_string()
}

/// The label of an absence reason, from the catalogue the office shares (one set of words for both).
pub fn absence_reason(locale: Locale, reason: AbsenceReason) -> String {
    begleitbuch_web::texts::absence_reason(reason).get(crate::io::preferences::lang_of(locale)).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn german_date_has_weekday_and_dotted_date() {
        assert_eq!(date(Locale::de, day(2026, 11, 23)), "Mo, 23.11.2026");
        assert_eq!(date(Locale::de, day(2027, 1, 3)), "So, 03.01.2027");
        assert_eq!(date(Locale::en, day(2026, 11, 23)), "Mon, 23/11/2026");
    }

    #[test]
    fn german_time_says_uhr() {
        let t = NaiveTime::from_hms_opt(8, 5, 0).unwrap();
        assert_eq!(time(Locale::de, t), "08:05 Uhr");
        assert_eq!(time(Locale::en, t), "08:05");
    }

    #[test]
    fn german_durations() {
        assert_eq!(duration(Locale::de, 90), "1 Std. 30 Min.");
        assert_eq!(duration(Locale::de, 120), "2 Std.");
        assert_eq!(duration(Locale::de, 45), "45 Min.");
        assert_eq!(duration(Locale::de, 0), "0 Min.");
        assert_eq!(duration(Locale::en, 90), "1 h 30 min");
    }
}
