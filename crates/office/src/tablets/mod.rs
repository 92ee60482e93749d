//! The provider's tablets, as the office lists them: active ones first, the most recently connected at
//! the top; revoked ones after them.

pub mod page;

use begleitbuch_domain::account::DeviceView;
use begleitbuch_web::lang::Text;

use crate::texts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabletRow {
    pub label: String,
    pub last_seen_at: i64,
    pub status: Text,
    pub revoked: bool,
}

/// The rows of the list, in the order shown.
pub fn rows(devices: Vec<DeviceView>) -> Vec<TabletRow> {
    let mut rows: Vec<TabletRow> = devices
        .into_iter()
        .map(|device| TabletRow {
            label: device.label,
            last_seen_at: device.last_seen_at,
            status: if device.revoked { texts::REVOKED } else { texts::ACTIVE },
            revoked: device.revoked,
        })
        .collect();
    rows.sort_by(|a, b| a.revoked.cmp(&b.revoked).then(b.last_seen_at.cmp(&a.last_seen_at)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::DeviceId;
    use uuid::Uuid;

    fn device(label: &str, last_seen_at: i64, revoked: bool) -> DeviceView {
        let id = DeviceId(Uuid::from_u128(last_seen_at.unsigned_abs().into()));
        DeviceView { id, label: label.into(), last_seen_at, revoked }
    }

    #[test]
    fn active_tablets_come_first_most_recent_at_the_top() {
        let rows = rows(vec![
            device("Tablet 1", 100, false),
            device("Tablet alt", 900, true),
            device("Tablet 2", 300, false),
        ]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Tablet 2", "Tablet 1", "Tablet alt"]);
        assert_eq!(rows[2].status, texts::REVOKED);
        assert_eq!(rows[0].status, texts::ACTIVE);
    }
}
