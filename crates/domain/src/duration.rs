//! Durations as companions read them: whole hours and minutes.

use serde::{Deserialize, Serialize};

/// A non-negative duration split for display, e.g. 90 minutes → 1 h 30 min.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursMinutes {
    pub hours: u32,
    pub minutes: u32,
}

impl HoursMinutes {
    pub fn from_minutes(total: u32) -> Self {
        HoursMinutes { hours: total / 60, minutes: total % 60 }
    }
}

/// The share of `part` in `whole` in whole percent, rounded half up; 0 when nothing was recorded.
pub fn percent_share(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    ((u64::from(part) * 200 + u64::from(whole)) / (2 * u64::from(whole))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_minutes_into_hours_and_minutes() {
        assert_eq!(HoursMinutes::from_minutes(90), HoursMinutes { hours: 1, minutes: 30 });
        assert_eq!(HoursMinutes::from_minutes(59), HoursMinutes { hours: 0, minutes: 59 });
        assert_eq!(HoursMinutes::from_minutes(120), HoursMinutes { hours: 2, minutes: 0 });
        assert_eq!(HoursMinutes::from_minutes(0), HoursMinutes { hours: 0, minutes: 0 });
    }

    #[test]
    fn share_rounds_half_up_and_handles_nothing_recorded() {
        assert_eq!(percent_share(0, 0), 0);
        assert_eq!(percent_share(1, 3), 33);
        assert_eq!(percent_share(2, 3), 67);
        assert_eq!(percent_share(1, 8), 13);
        assert_eq!(percent_share(45, 45), 100);
    }
}
