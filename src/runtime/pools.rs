//! Which pool a new record goes into, as plain Rust. A record stays in the pool it was written in, so
//! the choice matters: a companion's own time entries and absences go only into pools they are a
//! member of — never into a pool they merely cover, which leaves the tablet when the cover ends. Group
//! sessions and observations may go into a covered pool: that is the cover's work.

use begleitbuch_domain::ids::{PoolId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::work::TimeEntry;

use crate::io::store::{LocalStore, StoreError, Vault};

/// A pool the user may write into, with its institution's name for the form's choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolChoice {
    pub pool: PoolId,
    pub institution: String,
}

/// The pools a user may write into: their own (a member) and those they cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WritingPools {
    /// Pools the user is a member of, the default first.
    pub own: Vec<PoolChoice>,
    /// Pools the user covers now (their directory entry does not list them as a member).
    pub covered: Vec<PoolChoice>,
}

impl WritingPools {
    /// Reads the pool directory the server sent at the last sync. `last_worked` is the pool of the
    /// user's most recent own record, if any: the school they last worked at comes first.
    pub fn from_directory(directory: &[PoolDirectory], me: UserId, last_worked: Option<PoolId>) -> Self {
        let choice =
            |pool: &PoolDirectory| PoolChoice { pool: pool.id, institution: pool.institution.clone() };
        let (mut own, mut covered): (Vec<PoolChoice>, Vec<PoolChoice>) = (Vec::new(), Vec::new());
        for pool in directory {
            if pool.people.iter().any(|person| person.id == me) {
                own.push(choice(pool));
            } else {
                covered.push(choice(pool));
            }
        }
        own.sort_by(|a, b| a.institution.cmp(&b.institution));
        covered.sort_by(|a, b| a.institution.cmp(&b.institution));
        if let Some(at) = own.iter().position(|choice| Some(choice.pool) == last_worked) {
            let last = own.remove(at);
            own.insert(0, last);
        }
        WritingPools { own, covered }
    }

    /// The pool the user's own records (time entries, absences, the timer) go into unless they choose:
    /// `None` before the first sync told the tablet their pools.
    pub fn default_own(&self) -> Option<PoolId> {
        self.own.first().map(|choice| choice.pool)
    }

    /// The choices for a group session: own pools first, then covered ones.
    pub fn for_sessions(&self) -> Vec<PoolChoice> {
        self.own.iter().chain(&self.covered).cloned().collect()
    }
}

impl WritingPools {
    /// The pools the user may write into, from the pool directory the last sync kept (none before it).
    /// A companion in several pools gets the one of the school they last worked at first: the pool of
    /// their latest time entry of the last two weeks (read only then, so a start with one pool reads
    /// nothing more).
    pub async fn load(store: &LocalStore, vault: &Vault) -> Result<Self, StoreError> {
        let directory = store.pool_directory(vault).await?;
        let pools = WritingPools::from_directory(&directory, vault.user, None);
        if pools.own.len() < 2 {
            return Ok(pools);
        }
        let today = crate::runtime::clock::today();
        let recent =
            store.records_between(vault, RecordKind::TimeEntry, today - chrono::Days::new(14), today).await?;
        let last_worked = recent
            .iter()
            .filter_map(begleitbuch_domain::record::RecordState::decode::<TimeEntry>)
            .filter(|entry| entry.companion == vault.user)
            .max_by_key(|entry| (entry.date, entry.start))
            .map(|entry| entry.pool);
        Ok(WritingPools::from_directory(&directory, vault.user, last_worked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::org::PoolPerson;
    use begleitbuch_domain::people::Role;
    use uuid::Uuid;

    const ME: UserId = UserId(Uuid::from_u128(1));
    const COLLEAGUE: UserId = UserId(Uuid::from_u128(2));

    fn pool(n: u128, institution: &str, members: &[UserId]) -> PoolDirectory {
        PoolDirectory {
            id: PoolId(Uuid::from_u128(100 + n)),
            institution: institution.into(),
            school_year: 2026,
            people: members
                .iter()
                .map(|id| PoolPerson { id: *id, display_name: "x".into(), role: Role::Companion })
                .collect(),
        }
    }

    #[test]
    fn a_covering_companion_files_their_own_work_in_their_own_pool() {
        // The covered pool sorts first by id and by name: it must still not be the default.
        let directory = [pool(1, "Am Anfang", &[COLLEAGUE]), pool(2, "Schule Nordstraße", &[ME, COLLEAGUE])];
        let pools = WritingPools::from_directory(&directory, ME, None);
        assert_eq!(pools.default_own(), Some(PoolId(Uuid::from_u128(102))));
        assert_eq!(pools.covered.len(), 1);
        assert_eq!(
            pools.for_sessions().iter().map(|c| c.institution.as_str()).collect::<Vec<_>>(),
            ["Schule Nordstraße", "Am Anfang"],
            "sessions may go into the covered pool, own pools first"
        );
    }

    #[test]
    fn with_two_own_pools_the_school_last_worked_at_comes_first() {
        let directory = [pool(1, "A-Schule", &[ME]), pool(2, "B-Schule", &[ME])];
        assert_eq!(
            WritingPools::from_directory(&directory, ME, None).default_own(),
            Some(PoolId(Uuid::from_u128(101)))
        );
        let pools = WritingPools::from_directory(&directory, ME, Some(PoolId(Uuid::from_u128(102))));
        assert_eq!(pools.default_own(), Some(PoolId(Uuid::from_u128(102))));
        assert_eq!(pools.own.len(), 2);
    }

    #[test]
    fn before_the_first_sync_there_is_no_pool_to_write_into() {
        assert_eq!(WritingPools::from_directory(&[], ME, None).default_own(), None);
    }
}
