//! Accounts, devices, tokens and sign-in failures behave the same on SQLite and PostgreSQL.

mod common;

use std::sync::Arc;

use begleitbuch_domain::account::WayIn;
use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::{DeviceId, MembershipId, ProviderId, UserId};
use begleitbuch_domain::org::NewMembership;
use begleitbuch_domain::people::Role;
use begleitbuch_store::{
    open, BrowserSignIn, Holder, PoolRecord, Rotation, Store, StoreError, TokenGrant, UserRecord,
};
use chrono::NaiveDate;
use uuid::Uuid;

fn user(provider: ProviderId, login: &str, role: Role) -> UserRecord {
    UserRecord {
        id: UserId(Uuid::now_v7()),
        provider,
        login: login.into(),
        display_name: format!("Demo {login}"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        must_change_password: false,
        disabled: false,
    }
}

async fn accounts_and_tokens(store: Arc<dyn Store>) {
    let provider = ProviderId(Uuid::now_v7());
    store.create_provider(provider, "Träger Demo", 1_000).await.unwrap();
    assert_eq!(store.providers().await.unwrap(), vec![(provider, "Träger Demo".to_owned())]);

    let lena = user(provider, "lena", Role::Companion);
    store.create_user(&lena, 1_000).await.unwrap();
    let taken = store.create_user(&user(provider, "lena", Role::Admin), 1_001).await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert_eq!(store.user_by_login("lena").await.unwrap(), Some(lena.clone()));
    assert_eq!(store.user(lena.id).await.unwrap(), Some(lena.clone()));
    assert_eq!(store.user_by_login("nobody").await.unwrap(), None);

    store.set_password(lena.id, "$argon2id$new", true, 2_000).await.unwrap();
    let changed = store.user(lena.id).await.unwrap().unwrap();
    assert_eq!((changed.password_hash.as_str(), changed.must_change_password), ("$argon2id$new", true));

    let tablet = DeviceId(Uuid::now_v7());
    let device = store.register_device(tablet, provider, "Tablet 2b", "hash-a", 3_000).await.unwrap();
    assert_eq!((device.label.as_str(), device.last_seen_at, device.revoked), ("Tablet 2b", 3_000, false));
    let again = store.register_device(tablet, provider, "Tablet Klasse 2b", "hash-b", 4_000).await.unwrap();
    assert_eq!((again.label.as_str(), again.last_seen_at), ("Tablet Klasse 2b", 4_000));
    assert_eq!(again.secret_hash.as_deref(), Some("hash-a"), "a device's secret never changes");
    store.touch_device(tablet, 3_500).await.unwrap();
    assert_eq!(
        store.device(tablet).await.unwrap().unwrap().last_seen_at,
        4_000,
        "last contact never goes back"
    );

    let grant = TokenGrant { user: lena.id, device: tablet, expires_at: 10_000 };
    store.store_refresh_token(grant, "refresh-1", 4_000).await.unwrap();
    store.store_refresh_token(grant, "refresh-2", 4_100).await.unwrap();
    assert_eq!(store.refresh_token("refresh-1").await.unwrap(), None, "a new sign-in replaces the old token");
    assert_eq!(store.refresh_token("refresh-2").await.unwrap(), Some(grant));
    store.store_access_token(TokenGrant { expires_at: 5_000, ..grant }, "access-old", 4_200).await.unwrap();
    store.store_access_token(grant, "access-1", 6_000).await.unwrap();
    assert_eq!(store.access_token("access-old").await.unwrap(), None, "expired tokens are cleared");
    assert_eq!(store.access_token("access-1").await.unwrap(), Some(grant));

    store.revoke_user_tokens(lena.id, None).await.unwrap();
    assert_eq!(store.refresh_token("refresh-2").await.unwrap(), None);
    assert_eq!(store.access_token("access-1").await.unwrap(), None);

    store.store_refresh_token(grant, "refresh-3", 7_000).await.unwrap();
    store.store_access_token(grant, "access-2", 7_000).await.unwrap();
    store.revoke_device(tablet, 8_000).await.unwrap();
    assert!(store.device(tablet).await.unwrap().unwrap().revoked);
    // The tokens stay so that the device's next contact can be told to wipe (the server checks the device).
    assert_eq!(store.refresh_token("refresh-3").await.unwrap(), Some(grant));
    assert_eq!(store.devices(provider).await.unwrap().len(), 1);

    // Rotation: the current token rotates (its successor lives longer); the replaced one rotates again
    // within its grace window, which does not move; after the window it ends the session.
    let lukas = UserRecord { id: UserId(Uuid::now_v7()), login: "lukas".into(), ..lena.clone() };
    store.create_user(&lukas, 1_000).await.unwrap();
    let rotating = TokenGrant { user: lukas.id, device: tablet, expires_at: 20_000 };
    store.store_refresh_token(rotating, "r-1", 8_000).await.unwrap();
    store.store_access_token(rotating, "a-1", 8_000).await.unwrap();
    let rotated = |expires_at| Rotation::Rotated(TokenGrant { expires_at, ..rotating });
    assert_eq!(
        store.rotate_refresh_token("r-1", "r-2", 9_000, 9_500, 30_000).await.unwrap(),
        rotated(30_000)
    );
    assert_eq!(
        store.refresh_token("r-2").await.unwrap(),
        Some(TokenGrant { expires_at: 30_000, ..rotating })
    );
    assert_eq!(
        store.rotate_refresh_token("r-1", "r-3", 9_400, 9_900, 31_000).await.unwrap(),
        rotated(31_000),
        "the answer was lost"
    );
    assert_eq!(store.refresh_token("r-2").await.unwrap(), None, "never received: replaced");
    assert_eq!(
        store.rotate_refresh_token("r-3", "r-4", 9_450, 9_950, 32_000).await.unwrap(),
        rotated(32_000)
    );
    assert_eq!(
        store.rotate_refresh_token("nonsense", "r-x", 9_460, 9_960, 32_000).await.unwrap(),
        Rotation::Unknown
    );
    assert_eq!(
        store.rotate_refresh_token("r-3", "r-5", 10_000, 10_500, 33_000).await.unwrap(),
        Rotation::Reused(TokenGrant { expires_at: 32_000, ..rotating }),
        "the replaced token after its window: someone else holds a copy"
    );
    assert_eq!(store.refresh_token("r-4").await.unwrap(), None, "the session ended");
    assert_eq!(store.access_token("a-1").await.unwrap(), None);
    assert_eq!(
        store.refresh_token("refresh-3").await.unwrap(),
        Some(grant),
        "another user's session on the tablet stays"
    );
    store.store_refresh_token(rotating, "r-6", 11_000).await.unwrap();
    assert_eq!(
        store.rotate_refresh_token("r-6", "r-7", 20_000, 20_500, 40_000).await.unwrap(),
        Rotation::Unknown,
        "expired"
    );

    // Attempts count before the password is checked; a forgotten one (a success) no longer counts, and
    // rows older than the window are pruned.
    let attempt = |n: u128| Uuid::from_u128(n);
    assert_eq!(
        store.begin_sign_in_attempt(attempt(1), &["login:lena", "address:a"], 100, 0).await.unwrap(),
        [1, 1]
    );
    assert_eq!(
        store.begin_sign_in_attempt(attempt(2), &["login:lena", "address:a"], 200, 0).await.unwrap(),
        [2, 2]
    );
    store.forget_sign_in_attempt(attempt(2)).await.unwrap();
    assert_eq!(
        store.begin_sign_in_attempt(attempt(3), &["login:lena", "address:b"], 300, 150).await.unwrap(),
        [1, 1]
    );
    store.clear_sign_in_failures("login:lena").await.unwrap();
    assert_eq!(store.begin_sign_in_attempt(attempt(4), &["login:lena"], 400, 0).await.unwrap(), [1]);

    // A password changed on one device signs the user out on the others.
    let other = DeviceId(Uuid::now_v7());
    store.register_device(other, provider, "Tablet 3a", "hash-c", 9_000).await.unwrap();
    store.store_refresh_token(TokenGrant { device: other, ..grant }, "refresh-other", 9_000).await.unwrap();
    store.store_refresh_token(grant, "refresh-4", 9_000).await.unwrap();
    store.revoke_user_tokens(lena.id, Some(Holder::Device(other))).await.unwrap();
    assert_eq!(store.refresh_token("refresh-4").await.unwrap(), None);
    assert!(store.refresh_token("refresh-other").await.unwrap().is_some());

    // A browser sign-in (office, parents' pages) is no device; signing out everywhere ends it too.
    let office = BrowserSignIn { user: lena.id, way: WayIn::Office, last_seen_at: 10_000, ends_at: 20_000 };
    store.store_browser_sign_in(&office, "browser-1", 10_000).await.unwrap();
    store
        .store_browser_sign_in(&BrowserSignIn { ends_at: 10_500, ..office.clone() }, "browser-old", 10_000)
        .await
        .unwrap();
    store.store_browser_sign_in(&office, "browser-2", 11_000).await.unwrap();
    assert_eq!(store.browser_sign_in("browser-old").await.unwrap(), None, "ended sign-ins are cleared");
    store.touch_browser_sign_in("browser-1", 12_000).await.unwrap();
    assert_eq!(
        store.browser_sign_in("browser-1").await.unwrap(),
        Some(BrowserSignIn { last_seen_at: 12_000, ..office.clone() })
    );
    assert_eq!(store.devices(provider).await.unwrap().len(), 2, "browsers are not devices");
    store.revoke_user_tokens(lena.id, Some(Holder::Browser("browser-2"))).await.unwrap();
    assert_eq!(store.browser_sign_in("browser-1").await.unwrap(), None);
    assert!(store.browser_sign_in("browser-2").await.unwrap().is_some(), "where the password changed");
    assert_eq!(store.refresh_token("refresh-other").await.unwrap(), None);
    store.end_browser_sign_in("browser-2").await.unwrap();
    assert_eq!(store.browser_sign_in("browser-2").await.unwrap(), None);
}

#[tokio::test]
async fn sqlite_accounts_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    accounts_and_tokens(open(None, dir.path()).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_accounts_and_tokens() {
    let url = common::fresh_postgres_database().await;
    accounts_and_tokens(open(Some(&url), std::path::Path::new("/nonexistent")).await.unwrap()).await;
}

/// Regression: PostgreSQL answered 503 for the institutions list because allocation columns were
/// INTEGER (INT4) and the store reads every number as i64.
async fn institutions_and_pools(store: Arc<dyn Store>) {
    use begleitbuch_domain::ids::{InstitutionId, PoolId};
    use begleitbuch_domain::org::{Fte, Institution, InstitutionKind};

    let provider = ProviderId(Uuid::now_v7());
    store.create_provider(provider, "Träger", 1).await.unwrap();
    let school = Institution {
        id: InstitutionId(Uuid::now_v7()),
        provider,
        name: "Schule am Wasser".into(),
        kind: InstitutionKind::School,
        region: "Nord".into(),
        year_levels: vec![1, 2, 3, 4],
        groups: vec![],
        fte: [(2026, Fte(330)), (2027, Fte(350))].into(),
    };
    store.create_institution(&school, 1).await.unwrap();
    assert!(matches!(
        store
            .create_institution(&Institution { id: InstitutionId(Uuid::now_v7()), ..school.clone() }, 2)
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.institutions(provider).await.unwrap(), vec![school.clone()]);

    let pool = PoolId(Uuid::now_v7());
    store.create_pool(pool, provider, school.id, 2026, 3).await.unwrap();
    let companion = user(provider, "kim", Role::Companion);
    store.create_user(&companion, 3).await.unwrap();
    assert_eq!(
        store.pool(pool).await.unwrap(),
        Some(PoolRecord {
            id: pool,
            provider,
            institution: school.id,
            school_year: SchoolYear { start_year: 2026 }
        })
    );
    assert_eq!(store.pool(PoolId(Uuid::now_v7())).await.unwrap(), None);

    // Memberships: dated; one open per person and pool; an ended one stays, and the person may join
    // again after it; the scope and the pool's directory count only memberships in force that day.
    let day = |text: &str| text.parse::<NaiveDate>().unwrap();
    let joins = |first: &str, minutes| NewMembership {
        pool,
        person: companion.id,
        contract_minutes_per_week: minutes,
        first_day: day(first),
    };
    let first = MembershipId(Uuid::now_v7());
    store.add_membership(first, &joins("2026-09-01", 1800), 3).await.unwrap();
    let twice = store.add_membership(MembershipId(Uuid::now_v7()), &joins("2026-10-01", 1500), 3).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let sees = |today: &'static str| {
        let store = store.clone();
        let companion = companion.clone();
        async move {
            let scope = store.scope(&companion, day(today)).await.unwrap();
            let directory = store.pool_directory(&[pool].into(), day(today)).await.unwrap();
            (scope.pools.contains(&pool), directory[0].people.len())
        }
    };
    assert_eq!(sees("2026-08-31").await, (false, 0), "not before the first day");
    assert_eq!(sees("2026-09-01").await, (true, 1));
    store.end_membership(first, day("2026-10-31")).await.unwrap();
    store.end_membership(first, day("2027-01-31")).await.unwrap();
    assert_eq!(sees("2026-10-31").await, (true, 1), "up to the last day");
    assert_eq!(sees("2026-11-01").await, (false, 0));
    let again = MembershipId(Uuid::now_v7());
    store.add_membership(again, &joins("2027-02-01", 900), 4).await.unwrap();
    assert_eq!(sees("2027-02-01").await, (true, 1));
    let listed: Vec<_> = store
        .memberships(provider)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.id, m.person, m.role, m.contract_minutes_per_week, m.first_day, m.last_day))
        .collect();
    assert_eq!(
        listed,
        [
            (first, companion.id, Role::Companion, 1800, day("2026-09-01"), Some(day("2026-10-31"))),
            (again, companion.id, Role::Companion, 900, day("2027-02-01"), None),
        ]
    );

    // An allocation list: the known school keeps its id and other years, a new one arrives; the same
    // list again changes nothing; the next year's list adds its FTE beside. Year levels: a count on
    // from the known first level, a range as it stands.
    let csv = format!(
        "{}\nOst,Schule am Wasser,2,3.4\nSüd,Neue Schule,4,1.5\nOst OS,Oberschule,5-6,1\n",
        begleitbuch_domain::org::ALLOCATION_HEADER
    );
    let rows = begleitbuch_domain::org::parse_allocation(&csv).unwrap();
    let import = async |provider: ProviderId, year: i32, now: i64| {
        let existing = store.institutions(provider).await.unwrap();
        let lines = begleitbuch_domain::org::plan_allocation(&existing, rows.clone(), year);
        store.import_allocation(provider, year, &lines, now).await.unwrap();
    };
    import(provider, 2026, 4).await;
    let after = store.institutions(provider).await.unwrap();
    import(provider, 2026, 5).await;
    assert_eq!(store.institutions(provider).await.unwrap(), after, "the same list twice changes nothing");
    let known = after.iter().find(|i| i.name == "Schule am Wasser").unwrap();
    assert_eq!(
        (known.id, known.region.as_str(), known.year_levels.as_slice(), &known.fte),
        (school.id, "Ost", &[1, 2][..], &[(2026, Fte(340)), (2027, Fte(350))].into())
    );
    let oberschule = after.iter().find(|i| i.name == "Oberschule").unwrap();
    assert_eq!(oberschule.year_levels, [5, 6]);
    import(provider, 2028, 6).await;
    let new =
        store.institutions(provider).await.unwrap().into_iter().find(|i| i.name == "Neue Schule").unwrap();
    assert_eq!(
        (new.kind, new.year_levels.len(), new.fte),
        (InstitutionKind::School, 4, [(2026, Fte(150)), (2028, Fte(150))].into())
    );
    let other = ProviderId(Uuid::now_v7());
    store.create_provider(other, "Anderer Träger", 7).await.unwrap();
    import(other, 2026, 7).await;
    assert_eq!(store.institutions(provider).await.unwrap().len(), 3, "another provider's import is its own");
    assert_eq!(store.institutions(other).await.unwrap().len(), 3);

    // Corrected by hand: a day-care centre with its groups; its FTE stay. Another institution's name is
    // taken; another provider's institution is not found.
    let kita = begleitbuch_domain::org::InstitutionDetails {
        name: "Kita am Wasser".into(),
        kind: InstitutionKind::DayCare,
        region: "Ost".into(),
        year_levels: vec![],
        groups: vec!["Sonnen".into(), "Sterne".into()],
    };
    assert!(store.update_institution(provider, school.id, &kita).await.unwrap());
    let changed =
        store.institutions(provider).await.unwrap().into_iter().find(|i| i.id == school.id).unwrap();
    assert_eq!(
        (
            changed.name.as_str(),
            changed.kind,
            changed.groups.as_slice(),
            changed.year_levels.len(),
            changed.fte.len()
        ),
        ("Kita am Wasser", InstitutionKind::DayCare, &["Sonnen".to_owned(), "Sterne".to_owned()][..], 0, 3)
    );
    let taken = begleitbuch_domain::org::InstitutionDetails { name: "Neue Schule".into(), ..kita.clone() };
    assert!(matches!(
        store.update_institution(provider, school.id, &taken).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(!store.update_institution(other, school.id, &kita).await.unwrap(), "not another provider's");
}

#[tokio::test]
async fn sqlite_institutions_and_pools() {
    let dir = tempfile::tempdir().unwrap();
    institutions_and_pools(open(None, dir.path()).await.unwrap()).await;
}

#[tokio::test]
async fn postgres_institutions_and_pools() {
    let url = common::fresh_postgres_database().await;
    institutions_and_pools(open(Some(&url), std::path::Path::new("/nonexistent")).await.unwrap()).await;
}
