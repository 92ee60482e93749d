//! Who may do what with which record: one table, decided by record kind, operation, the user's role,
//! and how the record relates to the user. The server answers every request from it; the client uses
//! it only to hide what would be refused anyway.
//!
//! Relations, from the user's point of view:
//! - `Own`: the user made the record or it is about them (their time entry, their absence, a session
//!   they are a companion in, a cover grant for them).
//! - `SamePool`: in a pool the user belongs to (or covers, while the grant lasts). For team leads and
//!   admins every pool of their provider counts as the same pool.
//! - `OtherPool`: in another pool of the user's provider.
//! - `OtherProvider`: anything of another provider. Never allowed.
//! - `OwnChild` / `OtherChild`: for parents, about their own child or about another child.

use serde::{Deserialize, Serialize};

use crate::people::Role;
use crate::record::RecordKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    Read,
    Create,
    Update,
    Delete,
}

impl Operation {
    pub const ALL: [Operation; 4] =
        [Operation::Read, Operation::Create, Operation::Update, Operation::Delete];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Own,
    SamePool,
    OtherPool,
    OtherProvider,
    OwnChild,
    OtherChild,
}

impl Relation {
    pub const ALL: [Relation; 6] = [
        Relation::Own,
        Relation::SamePool,
        Relation::OtherPool,
        Relation::OtherProvider,
        Relation::OwnChild,
        Relation::OtherChild,
    ];
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
    // Consents are withdrawn, never deleted: the history is the proof (GDPR Art. 7(1)).
    if kind == K::Consent && operation == Delete {
        return Deny;
    }
    match role {
        Role::Companion => match (kind, relation, operation) {
            // Their own work, until the week is approved (the lock is checked by `sync::apply`).
            (K::TimeEntry | K::GroupSession | K::Observation | K::Absence, Own, _) => Allow,
            // The week they submit for review; approving is the team lead's.
            (K::WeekReview, Own, Read | Create | Update) => Allow,
            // What the pool works with: its children, goals, consents, and colleagues' sessions and
            // observations, for continuity when covering. New sessions and observations go into the pool.
            (K::Child | K::Goal | K::Consent | K::GroupSession | K::Observation, SamePool, Read) => Allow,
            (K::GroupSession | K::Observation, SamePool, Create) => Allow,
            (K::CoverGrant, Own, Read) => Allow,
            // Reads of children's records travel as audit events from the device.
            (K::AuditEvent, Own, Create) => Allow,
            _ => Deny,
        },
        Role::TeamLead | Role::Admin => match (kind, relation, operation) {
            (K::TimeEntry | K::GroupSession | K::Observation | K::Absence, Own, _) => Allow,
            (K::WeekReview, Own, Read | Create | Update) => Allow,
            (_, OwnChild | OtherChild, _) => Deny,
            // The provider's pools: team leads read everything, manage children, goals, absences and
            // cover, record consents given on paper, and approve or return weeks.
            (_, SamePool | OtherPool, Read) => Allow,
            (K::Child | K::Goal | K::Absence | K::CoverGrant, SamePool | OtherPool, _) => Allow,
            (K::Consent, SamePool | OtherPool, Create | Update) => Allow,
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
            (K::Consent, OwnChild, Read | Create | Update) => Allow,
            (K::Observation, OwnChild, Read) => AllowShareable,
            (K::AuditEvent, Own, Create) => Allow,
            _ => Deny,
        },
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
            if kind == RecordKind::Consent && operation == Operation::Delete {
                assert_eq!(answer, Answer::Deny);
            }
        }
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
