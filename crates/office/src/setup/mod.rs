//! The first start's guide: while a provider is not set up, the office says what to do next —
//! institutions, their school year's FTE, pools, people, pool members, children — each step leading to
//! its room.
//! Whether a step is done is read from what the office lists, not kept anywhere.

pub mod page;

use begleitbuch_domain::account::PersonView;
use begleitbuch_domain::org::{Institution, Membership, PoolDirectory};
use begleitbuch_domain::people::Role;
use begleitbuch_web::lang::Text;

use crate::rooms::Room;
use crate::texts;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Institutions,
    Fte,
    Pools,
    People,
    Members,
    Children,
}

impl Step {
    pub const ALL: [Step; 6] =
        [Step::Institutions, Step::Fte, Step::Pools, Step::People, Step::Members, Step::Children];

    pub fn room(self) -> Room {
        match self {
            Step::Institutions | Step::Fte => Room::Institutions,
            Step::Pools | Step::Members => Room::Pools,
            Step::People => Room::People,
            Step::Children => Room::Children,
        }
    }

    pub fn text(self) -> Text {
        match self {
            Step::Institutions => texts::SETUP_INSTITUTIONS,
            Step::Fte => texts::SETUP_FTE,
            Step::Pools => texts::SETUP_POOLS,
            Step::People => texts::SETUP_PEOPLE,
            Step::Members => texts::SETUP_MEMBERS,
            Step::Children => texts::SETUP_CHILDREN,
        }
    }
}

/// Each step and whether it is done; `None` once every one is (the guide then keeps quiet).
pub fn steps(
    institutions: &[Institution],
    pools: &[PoolDirectory],
    people: &[PersonView],
    memberships: &[Membership],
    children: usize,
) -> Option<Vec<(Step, bool)>> {
    let done = |step: Step| match step {
        Step::Institutions => !institutions.is_empty(),
        Step::Fte => institutions.iter().any(|institution| !institution.fte.is_empty()),
        Step::Pools => !pools.is_empty(),
        Step::People => people.iter().any(|person| person.role == Role::Companion),
        Step::Members => !memberships.is_empty(),
        Step::Children => children > 0,
    };
    let steps: Vec<(Step, bool)> = Step::ALL.into_iter().map(|step| (step, done(step))).collect();
    steps.iter().any(|(_, done)| !done).then_some(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::account::AccountStatus;
    use begleitbuch_domain::calendar::SchoolYear;
    use begleitbuch_domain::ids::{InstitutionId, MembershipId, PoolId, ProviderId, UserId};
    use begleitbuch_domain::org::{Fte, InstitutionKind};
    use uuid::Uuid;

    #[test]
    fn an_empty_office_starts_with_the_institutions_and_a_set_up_one_shows_no_guide() {
        let admin = PersonView {
            id: UserId(Uuid::nil()),
            login: "admin".into(),
            display_name: "Admin".into(),
            role: Role::Admin,
            status: AccountStatus::Active,
            last_active_at: None,
            manageable: false,
        };
        let undone = |steps: Option<Vec<(Step, bool)>>| -> Vec<Step> {
            steps.unwrap().into_iter().filter(|(_, done)| !done).map(|(step, _)| step).collect()
        };
        assert_eq!(undone(steps(&[], &[], std::slice::from_ref(&admin), &[], 0)), Step::ALL);

        let mut school = Institution {
            id: InstitutionId(Uuid::nil()),
            provider: ProviderId(Uuid::nil()),
            name: "Schule am Wasser".into(),
            kind: InstitutionKind::School,
            region: "Nord".into(),
            year_levels: vec![1, 2, 3, 4],
            groups: vec![],
            fte: Default::default(),
        };
        assert_eq!(undone(steps(std::slice::from_ref(&school), &[], &[], &[], 0))[0], Step::Fte);
        school.fte.insert(2026, Fte(330));
        let pool = PoolDirectory {
            id: PoolId(Uuid::nil()),
            institution: school.name.clone(),
            school_year: 2026,
            people: vec![],
        };
        let companion = PersonView { role: Role::Companion, ..admin.clone() };
        let institutions = [school];
        assert_eq!(
            undone(steps(&institutions, std::slice::from_ref(&pool), std::slice::from_ref(&admin), &[], 0)),
            [Step::People, Step::Members, Step::Children]
        );
        let membership = Membership {
            id: MembershipId(Uuid::nil()),
            pool: pool.id,
            person: companion.id,
            display_name: companion.display_name.clone(),
            role: Role::Companion,
            contract_minutes_per_week: 1170,
            first_day: SchoolYear { start_year: 2026 }.first_day(),
            last_day: None,
        };
        let all = [admin, companion];
        let memberships = [membership];
        assert_eq!(
            undone(steps(&institutions, std::slice::from_ref(&pool), &all, &memberships, 0)),
            [Step::Children]
        );
        assert_eq!(steps(&institutions, &[pool], &all, &memberships, 1), None);
    }
}
