//! The provider's people, as the office lists and manages them: who works here in which role, whether
//! their account can be used and when it last was. A new account's first password is made by the
//! server and shown once; the rule of who manages whom is the domain's (`Role::may_manage`), the
//! server enforces it, and this model only offers what it will allow.

pub mod page;

use begleitbuch_domain::account::{AccountStatus, NewPerson, PersonView};
use begleitbuch_domain::people::Role;
use begleitbuch_web::lang::Text;

use crate::texts;

/// The longest login and display name the server takes (`crates/server/src/api/accounts.rs`), so that
/// the form says so before sending.
const MAX_LOGIN_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 80;

/// The roles a manager may give a new account, in the order offered. Parents get their accounts by
/// invitation from their child's record, not here.
pub fn creatable_roles(manager: Role) -> Vec<Role> {
    [Role::Companion, Role::TeamLead, Role::Admin]
        .into_iter()
        .filter(|role| manager.may_manage(*role))
        .collect()
}

/// The list in the order shown: usable accounts first, then by role (admins, team leads, companions,
/// parents) and name.
pub fn rows(mut people: Vec<PersonView>) -> Vec<PersonView> {
    let rank = |role: Role| match role {
        Role::Admin => 0,
        Role::TeamLead => 1,
        Role::Companion => 2,
        Role::Parent => 3,
    };
    people.sort_by(|a, b| {
        (a.status == AccountStatus::Deactivated)
            .cmp(&(b.status == AccountStatus::Deactivated))
            .then(rank(a.role).cmp(&rank(b.role)))
            .then(a.display_name.to_lowercase().cmp(&b.display_name.to_lowercase()))
    });
    people
}

pub fn status_text(status: AccountStatus) -> Text {
    match status {
        AccountStatus::Active => texts::ACTIVE,
        AccountStatus::FirstPasswordPending => texts::PEOPLE_FIRST_PASSWORD,
        AccountStatus::Deactivated => texts::PEOPLE_DEACTIVATED,
    }
}

/// What a manager typed to create an account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPersonForm {
    pub display_name: String,
    pub login: String,
    pub role: Option<Role>,
}

impl NewPersonForm {
    /// The request, or what to correct first.
    pub fn request(&self, manager: Role) -> Result<NewPerson, Text> {
        let display_name = self.display_name.trim();
        let login = self.login.trim();
        if display_name.is_empty() || display_name.chars().count() > MAX_NAME_CHARS {
            return Err(texts::PEOPLE_NAME_NEEDED);
        }
        if login.is_empty()
            || login.chars().count() > MAX_LOGIN_CHARS
            || login.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(texts::PEOPLE_LOGIN_NEEDED);
        }
        let role = self.role.filter(|role| manager.may_manage(*role)).ok_or(texts::PEOPLE_ROLE_NEEDED)?;
        Ok(NewPerson { login: login.to_owned(), display_name: display_name.to_owned(), role })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, role: Role, status: AccountStatus) -> PersonView {
        crate::fixtures::person(name.len() as u128, name, role, status)
    }

    #[test]
    fn team_leads_are_offered_companions_only_and_admins_every_staff_role() {
        assert_eq!(creatable_roles(Role::TeamLead), [Role::Companion]);
        assert_eq!(creatable_roles(Role::Admin), [Role::Companion, Role::TeamLead, Role::Admin]);
        assert!(creatable_roles(Role::Companion).is_empty());
    }

    #[test]
    fn usable_accounts_come_first_by_role_then_name() {
        let rows = rows(vec![
            person("Zora", Role::Companion, AccountStatus::Active),
            person("alt", Role::Admin, AccountStatus::Deactivated),
            person("Berta", Role::Companion, AccountStatus::FirstPasswordPending),
            person("Leitung", Role::TeamLead, AccountStatus::Active),
        ]);
        let names: Vec<&str> = rows.iter().map(|p| p.display_name.as_str()).collect();
        assert_eq!(names, ["Leitung", "Berta", "Zora", "alt"]);
    }

    #[test]
    fn the_form_says_what_is_missing_before_sending() {
        let mut form = NewPersonForm::default();
        assert_eq!(form.request(Role::Admin), Err(texts::PEOPLE_NAME_NEEDED));
        form.display_name = "  Lena Berg ".into();
        assert_eq!(form.request(Role::Admin), Err(texts::PEOPLE_LOGIN_NEEDED));
        form.login = "lena berg".into();
        assert_eq!(form.request(Role::Admin), Err(texts::PEOPLE_LOGIN_NEEDED), "no spaces in a login");
        form.login = " lena.berg ".into();
        assert_eq!(form.request(Role::Admin), Err(texts::PEOPLE_ROLE_NEEDED));
        form.role = Some(Role::TeamLead);
        assert_eq!(
            form.request(Role::TeamLead),
            Err(texts::PEOPLE_ROLE_NEEDED),
            "not a role the lead may give"
        );
        let request = form.request(Role::Admin).unwrap();
        assert_eq!((request.login.as_str(), request.display_name.as_str()), ("lena.berg", "Lena Berg"));
    }
}
