//! Who may do what with which record: one table, decided by record kind, operation, the user's role,
//! and how the record relates to the user. The server answers every request from it; the client uses
//! it only to hide what would be refused anyway.
//!
//! Relations, from the user's point of view:
//! - `Own`: the user made the record or it is about them (their time entry, their absence, a session
//!   they are a companion in, a cover grant for them).
//! - `SamePool`: in a pool the user belongs to (or covers, while the grant lasts). Team leads and
//!   admins belong to the pools they coordinate.
//! - `OtherPool`: in another pool of the user's provider. (For team leads and admins the table answers
//!   the same as for `SamePool`: they manage the whole provider.)
//! - `OtherProvider`: anything of another provider. Never allowed.
//! - `OwnChild` / `OtherChild`: for parents, about their own child or about another child.

use crate::code::coded_enum;
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::facts::Facts;
use crate::ids::{ChildId, PoolId, ProviderId, UserId};
use crate::people::Role;
use crate::record::RecordKind;

coded_enum! {
    pub enum Operation {
        Read = "read",
        Create = "create",
        Update = "update",
        Delete = "delete",
    }
}

coded_enum! {
    pub enum Relation {
        Own = "own",
        SamePool = "same_pool",
        OtherPool = "other_pool",
        OtherProvider = "other_provider",
        OwnChild = "own_child",
        OtherChild = "other_child",
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Allow,
    /// Allowed for observations marked shareable with parents only.
    AllowShareable,
    Deny,
}

/// The answer for one cell of the table.
pub fn decide(kind: RecordKind, operation: Operation, role: Role, relation: Relation) -> Answer {
    use Answer::{Allow, AllowShareable, Deny};
    use Operation::{Create, Delete, Read, Update};
    use RecordKind as K;
    use Relation::{OtherChild, OtherPool, OtherProvider, Own, OwnChild, SamePool};

    // Nothing crosses providers, and audit events are never changed or removed by anyone.
    if relation == OtherProvider || (kind == K::AuditEvent && matches!(operation, Update | Delete)) {
        return Deny;
    }
    // Consents are declared, never edited or deleted: a withdrawal is a new declaration, and the
    // history is the proof (GDPR Art. 7(1)).
    if kind == K::Consent && matches!(operation, Update | Delete) {
        return Deny;
    }
    // A guardian stays on record as long as declarations name them as custodian; one who no longer
    // has custody is unlinked from the child, not removed.
    if kind == K::Guardian && operation == Delete {
        return Deny;
    }
    match role {
        Role::Companion => match (kind, relation, operation) {
            // Their own work, until the week is approved (the lock is checked by `merge::apply`).
            (K::TimeEntry | K::GroupSession | K::Observation | K::Absence, Own, _) => Allow,
            // The week they submit for review; approving is the team lead's.
            (K::WeekReview, Own, Read | Create | Update) => Allow,
            // What the pool works with: its children, goals, consents, and colleagues' sessions and
            // observations, for continuity when covering. A session or observation they create is
            // their own (`authority::check` makes sure it names them).
            (K::Child | K::Goal | K::Consent | K::GroupSession | K::Observation, SamePool, Read) => Allow,
            (K::CoverGrant, Own, Read) => Allow,
            // Reads of children's records travel as audit events from the device.
            (K::AuditEvent, Own, Create) => Allow,
            _ => Deny,
        },
        Role::TeamLead | Role::Admin => match (kind, relation, operation) {
            (K::TimeEntry | K::GroupSession | K::Observation | K::Absence, Own, _) => Allow,
            (K::WeekReview, Own, Read | Create | Update) => Allow,
            (_, OwnChild | OtherChild, _) => Deny,
            // The provider's pools: team leads read everything, manage children, their guardians,
            // goals, absences and cover, record consents given on paper, and approve or return weeks.
            // A guardian belongs to no pool (their children may be at two schools): always "other
            // pool", and "same pool" cannot arise, so it allows nothing.
            (K::Guardian, SamePool, _) => Deny,
            (K::Guardian, OtherPool, Read | Create | Update) => Allow,
            (_, SamePool | OtherPool, Read) => Allow,
            (K::Child | K::Goal | K::Absence | K::CoverGrant, SamePool | OtherPool, _) => Allow,
            (K::Consent, SamePool | OtherPool, Create) => Allow,
            (K::WeekReview, SamePool | OtherPool, Create | Update) => Allow,
            (K::AuditEvent, Own, Create) => Allow,
            // Admins read the provider's audit trail; team leads only what concerns their pools.
            (K::AuditEvent, Own, Read) => {
                if role == Role::Admin {
                    Allow
                } else {
                    Deny
                }
            }
            _ => Deny,
        },
        Role::Parent => match (kind, relation, operation) {
            (K::Child | K::Goal, OwnChild, Read) => Allow,
            // Give or withdraw consent for their own child; either custodian's withdrawal wins.
            (K::Consent, OwnChild, Read | Create) => Allow,
            (K::Observation, OwnChild, Read) => AllowShareable,
            (K::AuditEvent, Own | OwnChild, Create) => Allow,
            _ => Deny,
        },
    }
}

/// What the server knows about the user making a request, loaded from its own tables for every request
/// (never taken from the request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub user: UserId,
    pub role: Role,
    pub provider: ProviderId,
    /// The pools the user belongs to, and those they cover today.
    pub pools: BTreeSet<PoolId>,
    /// Every pool of the user's provider.
    pub provider_pools: BTreeSet<PoolId>,
    /// For parents: their children.
    pub children: BTreeSet<ChildId>,
}

/// How a record relates to the user. `record_provider` is the provider the record was stored under;
/// `facts.pool` must already be resolved (the server fills in the child's pool for goals, consents
/// and audit events).
pub fn relation(scope: &Scope, record_provider: ProviderId, facts: &Facts) -> Relation {
    if record_provider != scope.provider || facts.pool.is_some_and(|p| !scope.provider_pools.contains(&p)) {
        return Relation::OtherProvider;
    }
    if scope.role == Role::Parent {
        // A record about a child is about their own child or someone else's, whoever made it: a parent
        // cannot write (an audit event, say) about another child by naming themselves.
        return match facts.child {
            Some(child) if scope.children.contains(&child) => Relation::OwnChild,
            Some(_) => Relation::OtherChild,
            None if facts.owners.contains(&scope.user) => Relation::Own,
            None => Relation::OtherChild,
        };
    }
    // Pool membership (or a cover in force) comes first: a record of a pool the user is not in is
    // never their own, even if it names them (a cover that ended, or a forged name).
    let in_pool = facts.pool.is_none_or(|p| scope.pools.contains(&p));
    if facts.owners.contains(&scope.user) && in_pool {
        Relation::Own
    } else if facts.pool.is_some_and(|p| scope.pools.contains(&p)) {
        Relation::SamePool
    } else {
        Relation::OtherPool
    }
}

/// Whether the user may do `operation` on a record with these facts: the table's answer, with
/// `AllowShareable` allowing only observations marked shareable.
pub fn permits(
    scope: &Scope,
    kind: RecordKind,
    operation: Operation,
    record_provider: ProviderId,
    facts: &Facts,
) -> bool {
    match decide(kind, operation, scope.role, relation(scope, record_provider, facts)) {
        Answer::Allow => true,
        Answer::AllowShareable => facts.shareable,
        Answer::Deny => false,
    }
}

/// The relations that can arise for a role (see [`relation`]); every other cell of the table is
/// unreachable, and the table must answer `Deny` there so that nothing is allowed untested.
pub fn reachable(role: Role, relation: Relation) -> bool {
    match role {
        Role::Parent => matches!(
            relation,
            Relation::Own | Relation::OwnChild | Relation::OtherChild | Relation::OtherProvider
        ),
        Role::Companion | Role::TeamLead | Role::Admin => {
            !matches!(relation, Relation::OwnChild | Relation::OtherChild)
        }
    }
}

/// The whole table, every cell, in a fixed order: for documentation and for the test that walks it
/// against the running server.
pub fn table() -> Vec<(RecordKind, Operation, Role, Relation, Answer)> {
    let mut cells = Vec::new();
    for kind in RecordKind::ALL {
        for operation in Operation::ALL {
            for role in Role::ALL {
                for relation in Relation::ALL {
                    cells.push((kind, operation, role, relation, decide(kind, operation, role, relation)));
                }
            }
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreachable_cells_allow_nothing() {
        for (kind, operation, role, relation, answer) in table() {
            if !reachable(role, relation) {
                assert_eq!(answer, Answer::Deny, "{kind:?} {operation:?} {role:?} {relation:?}");
            }
        }
    }

    fn scope(role: Role) -> Scope {
        let id = |n| uuid::Uuid::from_u128(n);
        Scope {
            user: UserId(id(1)),
            role,
            provider: ProviderId(id(100)),
            pools: BTreeSet::from([PoolId(id(10))]),
            provider_pools: BTreeSet::from([PoolId(id(10)), PoolId(id(11))]),
            children: BTreeSet::from([ChildId(id(50))]),
        }
    }

    #[test]
    fn relations_follow_pools_owners_and_children() {
        let id = |n| uuid::Uuid::from_u128(n);
        let provider = ProviderId(id(100));
        let in_pool = |pool| Facts { pool: Some(PoolId(id(pool))), ..Facts::default() };
        let companion = scope(Role::Companion);
        assert_eq!(relation(&companion, provider, &in_pool(10)), Relation::SamePool);
        assert_eq!(relation(&companion, provider, &in_pool(11)), Relation::OtherPool);
        assert_eq!(relation(&companion, provider, &in_pool(12)), Relation::OtherProvider, "a foreign pool");
        assert_eq!(relation(&companion, ProviderId(id(101)), &in_pool(10)), Relation::OtherProvider);
        let own = Facts { owners: BTreeSet::from([UserId(id(1))]), ..in_pool(10) };
        assert_eq!(relation(&companion, provider, &own), Relation::Own);
        let parent = scope(Role::Parent);
        let about = |child| Facts { child: Some(ChildId(id(child))), ..in_pool(10) };
        assert_eq!(relation(&parent, provider, &about(50)), Relation::OwnChild);
        assert_eq!(relation(&parent, provider, &about(51)), Relation::OtherChild);
        for role in Role::ALL {
            for facts in [in_pool(10), in_pool(11), in_pool(12), own.clone(), about(50), about(51)] {
                assert!(reachable(role, relation(&scope(role), provider, &facts)));
            }
        }
    }

    #[test]
    fn a_record_naming_the_user_in_a_pool_they_are_not_in_is_not_theirs() {
        let id = |n| uuid::Uuid::from_u128(n);
        let companion = scope(Role::Companion);
        // A cover that ended, or a colleague's name forged into a record of another pool.
        let elsewhere =
            Facts { pool: Some(PoolId(id(11))), owners: BTreeSet::from([UserId(id(1))]), ..Facts::default() };
        assert_eq!(relation(&companion, ProviderId(id(100)), &elsewhere), Relation::OtherPool);
        assert!(!permits(
            &companion,
            RecordKind::TimeEntry,
            Operation::Create,
            ProviderId(id(100)),
            &elsewhere
        ));
        // Records that belong to no pool (an audit event about no child) stay their actor's.
        let unpooled = Facts { owners: BTreeSet::from([UserId(id(1))]), ..Facts::default() };
        assert_eq!(relation(&companion, ProviderId(id(100)), &unpooled), Relation::Own);
    }

    #[test]
    fn parents_see_shareable_observations_only() {
        let id = |n| uuid::Uuid::from_u128(n);
        let observation = |shareable| Facts {
            pool: Some(PoolId(id(10))),
            child: Some(ChildId(id(50))),
            shareable,
            ..Facts::default()
        };
        let parent = scope(Role::Parent);
        let read = |facts: &Facts| {
            permits(&parent, RecordKind::Observation, Operation::Read, ProviderId(id(100)), facts)
        };
        assert!(read(&observation(true)));
        assert!(!read(&observation(false)));
    }

    #[test]
    fn the_table_has_every_cell_once() {
        assert_eq!(table().len(), RecordKind::ALL.len() * 4 * 4 * 6);
    }

    #[test]
    fn nothing_crosses_providers() {
        assert!(table().iter().filter(|c| c.3 == Relation::OtherProvider).all(|c| c.4 == Answer::Deny));
    }

    #[test]
    fn audit_events_and_consents_are_never_rewritten_away() {
        for (kind, operation, _, _, answer) in table() {
            if kind == RecordKind::AuditEvent && matches!(operation, Operation::Update | Operation::Delete) {
                assert_eq!(answer, Answer::Deny);
            }
            if kind == RecordKind::Consent && matches!(operation, Operation::Update | Operation::Delete) {
                assert_eq!(answer, Answer::Deny);
            }
            if kind == RecordKind::Guardian && operation == Operation::Delete {
                assert_eq!(answer, Answer::Deny, "a custodian named by declarations stays on record");
            }
        }
    }

    #[test]
    fn only_the_office_knows_guardians() {
        for (kind, operation, role, relation, answer) in table() {
            if kind != RecordKind::Guardian || answer == Answer::Deny {
                continue;
            }
            assert!(matches!(role, Role::TeamLead | Role::Admin), "{role:?} {operation:?} {relation:?}");
        }
        let lead = |operation| decide(RecordKind::Guardian, operation, Role::TeamLead, Relation::OtherPool);
        assert_eq!(
            decide(RecordKind::Guardian, Operation::Read, Role::Admin, Relation::SamePool),
            Answer::Deny
        );
        assert_eq!(
            [lead(Operation::Read), lead(Operation::Create), lead(Operation::Update)],
            [Answer::Allow; 3]
        );
    }

    #[test]
    fn parents_see_only_their_own_child_and_only_what_is_shareable() {
        for (kind, operation, role, relation, answer) in table() {
            if role != Role::Parent {
                continue;
            }
            if relation == Relation::OtherChild
                || matches!(relation, Relation::SamePool | Relation::OtherPool)
            {
                assert_eq!(answer, Answer::Deny, "{kind:?} {operation:?} {relation:?}");
            }
            if kind == RecordKind::Observation && answer != Answer::Deny {
                assert_eq!((operation, answer), (Operation::Read, Answer::AllowShareable));
            }
            // Other children's data never reaches a parent through a group session.
            if kind == RecordKind::GroupSession {
                assert_eq!(answer, Answer::Deny);
            }
        }
    }

    #[test]
    fn companions_work_in_their_pools_only() {
        let decide_companion = |kind, operation, relation| decide(kind, operation, Role::Companion, relation);
        assert_eq!(decide_companion(RecordKind::TimeEntry, Operation::Update, Relation::Own), Answer::Allow);
        assert_eq!(
            decide_companion(RecordKind::TimeEntry, Operation::Read, Relation::SamePool),
            Answer::Deny
        );
        assert_eq!(decide_companion(RecordKind::Child, Operation::Read, Relation::SamePool), Answer::Allow);
        assert_eq!(decide_companion(RecordKind::Child, Operation::Update, Relation::SamePool), Answer::Deny);
        for kind in RecordKind::ALL {
            for operation in Operation::ALL {
                assert_eq!(decide_companion(kind, operation, Relation::OtherPool), Answer::Deny, "{kind:?}");
            }
        }
        assert_eq!(decide_companion(RecordKind::WeekReview, Operation::Delete, Relation::Own), Answer::Deny);
    }

    #[test]
    fn team_leads_manage_their_provider_but_do_not_edit_companions_work() {
        let lead = |kind, operation, relation| decide(kind, operation, Role::TeamLead, relation);
        assert_eq!(lead(RecordKind::TimeEntry, Operation::Read, Relation::OtherPool), Answer::Allow);
        assert_eq!(lead(RecordKind::TimeEntry, Operation::Update, Relation::SamePool), Answer::Deny);
        assert_eq!(lead(RecordKind::WeekReview, Operation::Update, Relation::SamePool), Answer::Allow);
        assert_eq!(lead(RecordKind::CoverGrant, Operation::Create, Relation::OtherPool), Answer::Allow);
        assert_eq!(lead(RecordKind::AuditEvent, Operation::Read, Relation::Own), Answer::Deny);
        assert_eq!(
            decide(RecordKind::AuditEvent, Operation::Read, Role::Admin, Relation::Own),
            Answer::Allow
        );
    }
}
