//! A small world of two providers for the sync and authorization tests, set up through the store on
//! the same database the server binary uses (accounts, pools, guardians), while every operation under
//! test goes through the running server's API.

use std::collections::BTreeMap;
use std::sync::Arc;

use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::{ChildId, DeviceId, InstitutionId, MembershipId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::{Institution, InstitutionKind, NewMembership};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::{Mutation, PROTOCOL_VERSION};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_server::auth::token_hash;
use begleitbuch_store::{Store, TokenGrant, UserRecord};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{Database, Server};

pub const PASSWORD: &str = "welt-passwort-lang";

/// One signed-in user on their own device.
pub struct Member {
    pub id: UserId,
    pub login: String,
    pub role: Role,
    pub device: DeviceId,
    pub token: String,
    next_number: std::sync::atomic::AtomicU64,
}

impl Member {
    pub fn next_number(&self) -> u64 {
        self.next_number.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1
    }
}

/// Provider P with pools P1 (where the users work) and P2, and provider Q with pool Q1. Users of P:
/// a companion, a second companion (the owner of "someone else's" records), a team lead, an admin (all
/// members of P1), a companion of P2 (the neighbour) and a parent; Q has a companion, a team lead and
/// an admin.
pub struct World {
    pub store: Arc<dyn Store>,
    pub server: Server,
    pub client: Client,
    pub provider: ProviderId,
    pub other_provider: ProviderId,
    pub p1: PoolId,
    pub p2: PoolId,
    pub q1: PoolId,
    pub members: BTreeMap<&'static str, Member>,
    /// A child in P1 whose guardian the parent is, one in P1 who is not theirs, one in P2, one in Q1.
    pub own_child: ChildId,
    pub pool_child: ChildId,
    pub p2_child: ChildId,
    pub q1_child: ChildId,
}

pub const NOW: i64 = 1_795_000_000_000;

impl World {
    pub async fn build(database: &Database) -> World {
        // The server migrates the database; the store connects to it afterwards.
        let server = Server::start(database);
        let store = match database {
            Database::Sqlite(dir) => begleitbuch_store::open(None, dir.path()).await.unwrap(),
            Database::Postgres(url) => {
                begleitbuch_store::open(Some(url), std::path::Path::new(".")).await.unwrap()
            }
        };
        let provider = ProviderId(Uuid::now_v7());
        let other_provider = ProviderId(Uuid::now_v7());
        store.create_provider(provider, "Träger P", NOW).await.unwrap();
        store.create_provider(other_provider, "Träger Q", NOW).await.unwrap();
        let pool_in = async |provider: ProviderId, name: &str| {
            let institution = Institution {
                id: InstitutionId(Uuid::now_v7()),
                provider,
                name: name.into(),
                kind: InstitutionKind::School,
                region: "Mitte".into(),
                year_levels: vec![1, 2, 3, 4],
                groups: vec![],
                fte: Default::default(),
            };
            store.create_institution(&institution, NOW).await.unwrap();
            let pool = PoolId(Uuid::now_v7());
            store.create_pool(pool, provider, institution.id, 2026, NOW).await.unwrap();
            pool
        };
        let p1 = pool_in(provider, "Schule Eins").await;
        let p2 = pool_in(provider, "Schule Zwei").await;
        let q1 = pool_in(other_provider, "Schule Q").await;

        let hash = begleitbuch_server::auth::hash_password(PASSWORD);
        let client = Client::new();
        let mut members = BTreeMap::new();
        for (name, role, provider, pool) in [
            ("companion", Role::Companion, provider, Some(p1)),
            ("colleague", Role::Companion, provider, Some(p1)),
            ("lead", Role::TeamLead, provider, Some(p1)),
            ("admin", Role::Admin, provider, Some(p1)),
            ("neighbour", Role::Companion, provider, Some(p2)),
            ("parent", Role::Parent, provider, None),
            ("foreign", Role::Companion, other_provider, Some(q1)),
            ("foreign_lead", Role::TeamLead, other_provider, Some(q1)),
            ("foreign_admin", Role::Admin, other_provider, None),
        ] {
            let user = UserRecord {
                id: UserId(Uuid::now_v7()),
                provider,
                login: format!("{name}-{}", Uuid::now_v7().simple()),
                display_name: name.into(),
                role,
                password_hash: hash.clone(),
                must_change_password: false,
                disabled: false,
            };
            store.create_user(&user, NOW).await.unwrap();
            if let Some(pool) = pool {
                let joins = NewMembership {
                    pool,
                    person: user.id,
                    contract_minutes_per_week: 1800,
                    first_day: SchoolYear { start_year: 2026 }.first_day(),
                };
                store.add_membership(MembershipId(Uuid::now_v7()), &joins, NOW).await.unwrap();
            }
            // Every member gets a tablet's token straight from the store, admins and parents too, though
            // the tablet's sign-in sends them to their own ways in: the table holds for any token, so it
            // does not depend on the sign-in keeping those roles off tablets.
            let device = DeviceId(Uuid::now_v7());
            store
                .register_device(device, provider, name, &token_hash(&super::device_secret(device.0)), NOW)
                .await
                .unwrap();
            let token = begleitbuch_server::auth::new_token();
            let far = i64::MAX / 2;
            let grant = TokenGrant { user: user.id, device, expires_at: far };
            store.store_access_token(grant, &token_hash(&token), NOW).await.unwrap();
            // Signed in on that tablet as a sign-in leaves it: with a refresh token for (user, device).
            let refresh = begleitbuch_server::auth::new_token();
            store.store_refresh_token(grant, &token_hash(&refresh), NOW).await.unwrap();
            let member = Member {
                id: user.id,
                login: user.login.clone(),
                role,
                device,
                token,
                next_number: std::sync::atomic::AtomicU64::new(0),
            };
            members.insert(name, member);
        }
        let world = World {
            store,
            server,
            client,
            provider,
            other_provider,
            p1,
            p2,
            q1,
            members,
            own_child: ChildId(Uuid::now_v7()),
            pool_child: ChildId(Uuid::now_v7()),
            p2_child: ChildId(Uuid::now_v7()),
            q1_child: ChildId(Uuid::now_v7()),
        };
        for (child, pool) in [(world.own_child, p1), (world.pool_child, p1), (world.p2_child, p2)] {
            world.import(provider, &[state(RecordKind::Child, child.0, child_fields(pool), &[])]).await;
        }
        world
            .import(other_provider, &[state(RecordKind::Child, world.q1_child.0, child_fields(q1), &[])])
            .await;
        // Every child's parents consented to documentation and naming (consent itself is tested with
        // children of its own, see `sync.rs`).
        for (provider, child) in [
            (provider, world.own_child),
            (provider, world.pool_child),
            (provider, world.p2_child),
            (other_provider, world.q1_child),
        ] {
            let custodian = UserId(Uuid::now_v7());
            for purpose in ["documentation", "naming"] {
                let consent = consent_fields(child, purpose, "granted", custodian, "2026-09-01T08:00:00Z");
                world.import(provider, &[state(RecordKind::Consent, Uuid::now_v7(), consent, &[])]).await;
            }
        }
        world.store.link_parent(world.member("parent").id, world.own_child, 0).await.unwrap();
        world
    }

    pub fn member(&self, name: &str) -> &Member {
        &self.members[name]
    }

    /// How `name` comes in for the authorization walks: the managers ("lead", "admin",
    /// "foreign_lead", "foreign_admin") through the office, everyone else — and "lead_on_tablet", a
    /// team lead's leftover tablet sign-in — with their tablet's token.
    pub async fn signed_in_as(&self, name: &str) -> Value {
        match name {
            "lead" | "admin" | "foreign_lead" | "foreign_admin" => self.office(self.member(name)).await,
            "lead_on_tablet" => json!({"access_token": self.member("lead").token}),
            _ => json!({"access_token": self.member(name).token}),
        }
    }

    /// A fresh account of `role` in `provider`, signed in on a tablet of its own: a target of its
    /// own for each cell of an authorization walk.
    pub async fn account(&self, provider: ProviderId, role: Role, password_hash: &str) -> (UserId, DeviceId) {
        let user = UserRecord {
            id: UserId(Uuid::now_v7()),
            provider,
            login: format!("person-{}", Uuid::now_v7().simple()),
            display_name: "Person".into(),
            role,
            password_hash: password_hash.to_owned(),
            must_change_password: false,
            disabled: false,
        };
        self.store.create_user(&user, NOW).await.unwrap();
        let device = DeviceId(Uuid::now_v7());
        let secret = token_hash(&super::device_secret(device.0));
        self.store.register_device(device, provider, "Tablet", &secret, NOW).await.unwrap();
        let grant = TokenGrant { user: user.id, device, expires_at: i64::MAX / 2 };
        let refresh = token_hash(&begleitbuch_server::auth::new_token());
        self.store.store_refresh_token(grant, &refresh, NOW).await.unwrap();
        (user.id, device)
    }

    /// POSTs `body` (an empty object if none) as `signed_in`; the status and the JSON answer (null
    /// when there is none). The status is the caller's to check.
    pub async fn send_as(&self, signed_in: &Value, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let request = self.client.post(self.server.api(path));
        let request = super::authenticated(request, signed_in).json(&body.unwrap_or(json!({})));
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// GETs `path` as `signed_in`; the status and the JSON answer (null when there is none).
    pub async fn get_as(&self, signed_in: &Value, path: &str) -> (StatusCode, Value) {
        let request = super::authenticated(self.client.get(self.server.api(path)), signed_in);
        let response = request.send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// A guardian the provider recorded, with custody of `children` (no account); their id, as a
    /// declaration's custodian.
    pub async fn guardian(&self, provider: ProviderId, children: &[ChildId]) -> UserId {
        let id = Uuid::now_v7();
        let children = children.iter().map(ChildId::to_string).collect();
        let fields = json!({"name": "Sorgeberechtigte Person", "contact": ""});
        self.import(provider, &[state(RecordKind::Guardian, id, fields, &[("children", children)])]).await;
        UserId(id)
    }

    pub async fn import(&self, provider: ProviderId, states: &[RecordState]) {
        let by = self.member("admin").id;
        self.store.import_records(provider, by, states, NOW).await.unwrap();
    }

    /// Pushes mutations as `member` and returns the JSON answer (status checked).
    pub async fn push(&self, member: &Member, mutations: &[Mutation]) -> Value {
        let body = json!({"protocol": PROTOCOL_VERSION, "device": member.device, "mutations": mutations});
        self.post(member, "/sync/push", &body).await
    }

    /// Signs `member` in to the office (a browser sign-in), for [`World::office_write`] and
    /// [`World::office_records`].
    pub async fn office(&self, member: &Member) -> Value {
        super::signed_in_browser(&self.client, &self.server, &member.login, PASSWORD, "office").await
    }

    /// Writes one change in the office, as `office` (from [`World::office`]); returns the outcome.
    pub async fn office_write(
        &self,
        office: &Value,
        kind: RecordKind,
        record: Uuid,
        base_version: u64,
        change: Change,
    ) -> Value {
        let body = json!({"id": Uuid::now_v7(), "kind": kind, "record": record, "base_version": base_version, "change": change});
        let request = super::authenticated(self.client.post(self.server.api("/office/records")), office);
        let response = request.json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "office write");
        response.json().await.unwrap()
    }

    /// The ids of the records of `kind` the office lists for `office`.
    pub async fn office_records(&self, office: &Value, kind: RecordKind) -> Vec<Uuid> {
        let path = format!("/office/records?kinds={}", kind.code());
        let response =
            super::authenticated(self.client.get(self.server.api(&path)), office).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "office records");
        let records: Vec<Value> = response.json().await.unwrap();
        records.iter().map(|r| Uuid::parse_str(r["id"].as_str().unwrap()).unwrap()).collect()
    }

    pub async fn pull(&self, member: &Member, cursors: &Value, limit: u32) -> Value {
        let body = json!({"protocol": PROTOCOL_VERSION, "cursors": cursors, "limit": limit});
        self.post(member, "/sync/pull", &body).await
    }

    async fn post(&self, member: &Member, path: &str, body: &Value) -> Value {
        let response = self
            .client
            .post(self.server.api(path))
            .bearer_auth(&member.token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.json().await.unwrap()
    }

    pub async fn read(&self, member: &Member, id: Uuid) -> StatusCode {
        let response = self
            .client
            .get(self.server.api(&format!("/records/{id}")))
            .bearer_auth(&member.token)
            .send()
            .await
            .unwrap();
        response.status()
    }

    /// A mutation by `member` that creates or changes `fields` (and adds set members) of a record.
    pub fn put(
        &self,
        member: &Member,
        kind: RecordKind,
        record: Uuid,
        base_version: u64,
        fields: Value,
        sets: &[(&str, Vec<String>)],
    ) -> Mutation {
        let change = Change::Put {
            fields: fields.as_object().unwrap().clone().into_iter().collect(),
            sets: sets
                .iter()
                .map(|(name, add)| {
                    let add = add.iter().cloned().collect();
                    (
                        name.to_string(),
                        begleitbuch_domain::record::SetDelta { add, remove: Default::default() },
                    )
                })
                .collect(),
        };
        self.mutation(member, kind, record, base_version, change)
    }

    pub fn mutation(
        &self,
        member: &Member,
        kind: RecordKind,
        record: Uuid,
        base_version: u64,
        change: Change,
    ) -> Mutation {
        Mutation {
            device: member.device,
            number: member.next_number(),
            user: member.id,
            kind,
            record,
            base_version,
            change,
            payload_version: PROTOCOL_VERSION,
            id: Some(Uuid::now_v7()),
        }
    }
}

/// A time entry's fields: an hour of preparation on the tests' day (07:00–08:00).
pub fn entry_fields(pool: PoolId, companion: UserId, note: &str) -> Value {
    json!({"pool": pool, "companion": companion, "date": super::test_today(), "start": "07:00:00", "end": "08:00:00",
           "category": {"type": "indirect", "kind": "preparation"}, "note": note})
}

/// An internal observation's fields about `child` on the tests' day (its areas travel as a set).
pub fn observation_fields(pool: PoolId, child: ChildId, author: UserId, text: &str) -> Value {
    json!({"pool": pool, "child": child, "author": author, "date": super::test_today(), "goal": null,
           "text": text, "visibility": "internal"})
}

pub fn child_fields(pool: PoolId) -> Value {
    json!({"pool": pool, "display_name": "Kind (Pseudonym)", "group": "2b", "legal_basis": "systemic_only",
           "approved_minutes_per_week": null, "status": "supported", "since": "2026-08-20", "until": null})
}

/// A parent's declaration for one purpose (`documentation`, `naming`, `parent_summary`).
pub fn consent_fields(child: ChildId, purpose: &str, state: &str, custodian: UserId, at: &str) -> Value {
    json!({"child": child, "purpose": purpose, "text_version": "2026-08 (Entwurf)", "state": state,
           "custodian": custodian, "at": at})
}

/// A declaration a team lead records from `custodian`'s signed paper form.
pub fn paper_consent_fields(
    child: ChildId,
    purpose: &str,
    state: &str,
    custodian: UserId,
    at: &str,
) -> Value {
    let mut fields = consent_fields(child, purpose, state, custodian, at);
    fields["form"] = json!({"reference": "EV-2026-001", "signed_on": "2026-08-28"});
    fields
}

/// A stored record as a device would first create it (version 1).
pub fn state(kind: RecordKind, id: Uuid, fields: Value, sets: &[(&str, Vec<String>)]) -> RecordState {
    let mut sets_map: BTreeMap<String, std::collections::BTreeSet<String>> =
        kind.set_fields().iter().map(|f| (f.to_string(), Default::default())).collect();
    for (name, members) in sets {
        sets_map.insert(name.to_string(), members.iter().cloned().collect());
    }
    let fields: BTreeMap<String, Value> = fields.as_object().unwrap().clone().into_iter().collect();
    RecordState {
        kind,
        id,
        version: 1,
        field_versions: fields.keys().chain(sets_map.keys()).map(|k| (k.clone(), 1)).collect(),
        field_sources: BTreeMap::new(),
        fields,
        sets: sets_map,
        deleted: false,
        lost: Vec::new(),
    }
}
