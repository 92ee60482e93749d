//! The office's rooms and their addresses: one hash route each, so that a room can be bookmarked and
//! the browser's back button works, without a router in the download.

use begleitbuch_domain::people::Role;
use begleitbuch_web::lang::Text;

use crate::texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room {
    Cover,
    People,
    Pools,
    Children,
    Tablets,
    Institutions,
}

impl Room {
    pub const ALL: [Room; 6] =
        [Room::Cover, Room::People, Room::Pools, Room::Children, Room::Tablets, Room::Institutions];

    pub fn hash(self) -> &'static str {
        match self {
            Room::Cover => "#/vertretung",
            Room::People => "#/personen",
            Room::Pools => "#/pools",
            Room::Children => "#/kinder",
            Room::Tablets => "#/tablets",
            Room::Institutions => "#/einrichtungen",
        }
    }

    pub fn title(self) -> Text {
        match self {
            Room::Cover => texts::COVER_TITLE,
            Room::People => texts::PEOPLE_TITLE,
            Room::Pools => texts::POOLS_TITLE,
            Room::Children => texts::CHILDREN_TITLE,
            Room::Tablets => texts::TABLETS_TITLE,
            Room::Institutions => texts::INSTITUTIONS_TITLE,
        }
    }

    /// The room an address names; an empty or unknown one opens the role's first room.
    pub fn from_hash(hash: &str, role: Role) -> Room {
        Room::ALL.into_iter().find(|room| room.hash() == hash).unwrap_or(Room::first(role))
    }

    /// Team leads start with the day's cover; admins, who set up the provider, with its people.
    fn first(role: Role) -> Room {
        match role {
            Role::Admin => Room::People,
            _ => Room::Cover,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_room_has_its_own_address_and_an_unknown_one_opens_the_first() {
        for room in Room::ALL {
            assert_eq!(Room::from_hash(room.hash(), Role::TeamLead), room);
        }
        assert_eq!(Room::from_hash("", Role::TeamLead), Room::Cover);
        assert_eq!(Room::from_hash("#/gibt-es-nicht", Role::TeamLead), Room::Cover);
        assert_eq!(Room::from_hash("", Role::Admin), Room::People);
    }
}
