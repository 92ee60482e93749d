//! The day a page shows: today in Europe/Berlin, the day a page was linked for (`?tag=`), and the
//! notice when the link names no day it can show.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// Why a page's `?tag=` could not be shown: the page then shows today and says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagProblem {
    /// Not a calendar date `YYYY-MM-DD` (`2026-02-30`, `quatsch`).
    NotADate,
    /// A day after today: time cannot be worked ahead.
    InFuture,
}

/// The day a page shows for its `?tag=` parameter (`YYYY-MM-DD`): that day if it is today or earlier;
/// otherwise today, with the reason, so a broken link still opens a working page and says so.
pub fn shown_day(tag: Option<&str>, today: NaiveDate) -> (NaiveDate, Option<TagProblem>) {
    let Some(tag) = tag else { return (today, None) };
    match NaiveDate::parse_from_str(tag, "%Y-%m-%d") {
        Ok(day) if day <= today => (day, None),
        Ok(_) => (today, Some(TagProblem::InFuture)),
        Err(_) => (today, Some(TagProblem::NotADate)),
    }
}

/// The link to a page (Heute, or a form) for `day`; plain `path` for today.
pub fn day_link(path: &str, day: NaiveDate, today: NaiveDate) -> String {
    if day == today {
        path.to_owned()
    } else {
        format!("{path}?tag={}", day.format("%Y-%m-%d"))
    }
}

/// The notice of a page opened with a `?tag=` it cannot show: it shows today and says why.
#[component]
pub(crate) fn TagNotice(problem: Memo<Option<TagProblem>>) -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    move || {
        problem.get().map(|problem| {
            let text = match problem {
                TagProblem::NotADate => crate::i18n::t!(i18n, tag_not_a_date).into_any(),
                TagProblem::InFuture => crate::i18n::t!(i18n, tag_in_future).into_any(),
            };
            view! { <p class="notice notice-warn" role="status" data-testid="tag-problem">{text}</p> }
        })
    }
}

/// The day a page was linked for (`?tag=YYYY-MM-DD`, see [`shown_day`]), or today.
pub(crate) fn linked_day(query: Memo<ParamsMap>) -> NaiveDate {
    query.with_untracked(|q| shown_day(q.get("tag").as_deref(), crate::runtime::clock::today()).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heute_shows_the_linked_day_but_never_a_future_or_broken_one() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let friday = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(shown_day(Some("2026-11-20"), today), (friday, None));
        assert_eq!(shown_day(None, today), (today, None));
        assert_eq!(shown_day(Some("2026-11-24"), today), (today, Some(TagProblem::InFuture)));
        assert_eq!(shown_day(Some("2030-01-01"), today), (today, Some(TagProblem::InFuture)));
        assert_eq!(shown_day(Some("20.11.2026"), today), (today, Some(TagProblem::NotADate)));
        assert_eq!(shown_day(Some("2026-02-30"), today), (today, Some(TagProblem::NotADate)));
        assert_eq!(shown_day(Some("quatsch"), today), (today, Some(TagProblem::NotADate)));
        assert_eq!(day_link("/heute", friday, today), "/heute?tag=2026-11-20");
        assert_eq!(day_link("/heute", today, today), "/heute");
        let link = day_link("/gruppenangebot", friday, today);
        assert_eq!(shown_day(link.strip_prefix("/gruppenangebot?tag="), today), (friday, None));
    }
}
