//! The day a page shows: today in Europe/Berlin, the day a page was linked for (`?tag=`), and the
//! notice when the link names no day it can show.

use begleitbuch_domain::calendar;
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::features::today::model::TagProblem;

/// Today's date in Europe/Berlin, whatever time zone the tablet is set to.
pub(crate) fn today() -> NaiveDate {
    calendar::berlin_date(Utc::now())
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

/// The day a page was linked for (`?tag=YYYY-MM-DD`, see [`crate::features::today::model::shown_day`]), or today.
pub(crate) fn linked_day(query: Memo<ParamsMap>) -> NaiveDate {
    query.with_untracked(|q| crate::features::today::model::shown_day(q.get("tag").as_deref(), today()).0)
}
