//! Sync under faults, through the real binary:
//! - three tablets edit the same group sessions while their pushes are reordered, duplicated and their
//!   answers lost, and they pull at random; afterwards every tablet equals the server, every mutation
//!   was answered, none was applied twice, and every value that lost a conflict is in the history
//!   (SQLite and PostgreSQL, several seeds);
//! - concurrent pushers and pullers on PostgreSQL: what the pullers saw adds up to the final state;
//! - the server killed with SIGKILL during a large push and restarted: after the device pushes again,
//!   every mutation is on the server exactly once;
//! - a write the database refuses in the middle of a batch: only that mutation is undone, the ones
//!   before it commit, and the rest is pushed again (SQLite and PostgreSQL).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use begleitbuch_domain::protocol::Mutation;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, SetDelta};
use common::world::{Member, World};
use common::{Database, Server};
use serde_json::{json, Value};
use uuid::Uuid;

/// A small deterministic random source (xorshift64*), so that a failing seed can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A tablet: the server's state as it last pulled it, its pending mutations, and its cursors.
struct Tablet<'a> {
    member: &'a Member,
    server: BTreeMap<String, Value>,
    pending: Vec<Mutation>,
    cursors: Value,
}

impl Tablet<'_> {
    async fn pull_all(&mut self, world: &World) {
        loop {
            let page = world.pull(self.member, &self.cursors, 50).await;
            for record in page["records"].as_array().unwrap() {
                self.server.insert(record["id"].as_str().unwrap().to_owned(), record.clone());
            }
            self.cursors = page["cursors"].clone();
            if page["has_more"] == false {
                break;
            }
        }
    }
}

fn session_fields(world: &World) -> Value {
    json!({"pool": world.p1, "date": "2026-11-25", "start": "09:00:00", "duration_minutes": 45,
           "kind": "social_emotional_learning", "group": "2b", "unnamed_participants": 2, "note": ""})
}

async fn three_tablets(database: Database, seed: u64) {
    let world = World::build(&database).await;
    let mut random = Random(seed);
    let names = ["companion", "colleague", "lead"];
    let everyone: Vec<String> = names.iter().map(|n| world.member(n).id.to_string()).collect();
    let sessions: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
    let creator = world.member("companion");
    let creations: Vec<Mutation> = sessions
        .iter()
        .map(|id| {
            world.put(
                creator,
                RecordKind::GroupSession,
                *id,
                0,
                session_fields(&world),
                &[("companions", everyone.clone())],
            )
        })
        .collect();
    let created = world.push(creator, &creations).await;
    assert!(created["results"].as_array().unwrap().iter().all(|r| r["outcome"] == "applied"), "{created}");

    let mut tablets = Vec::new();
    for name in names {
        let mut tablet = Tablet {
            member: world.member(name),
            server: BTreeMap::new(),
            pending: Vec::new(),
            cursors: json!([]),
        };
        tablet.pull_all(&world).await;
        tablets.push(tablet);
    }
    // Every answer the server gave, by (device, number); a repeated answer must be the same.
    let mut answers: BTreeMap<(String, u64), Value> = BTreeMap::new();
    let mut sent: Vec<Mutation> = Vec::new();
    let mut unique = 0;
    for _ in 0..60 {
        let tablet = &mut tablets[random.below(3)];
        match random.below(3) {
            0 => {
                // An edit made on the tablet's current view: one field, or one child added to the set.
                let id = sessions[random.below(sessions.len())];
                let base = tablet.server[&id.to_string()]["version"].as_u64().unwrap();
                unique += 1;
                let change = if random.chance(30) {
                    let add = BTreeSet::from([format!("kind-{unique}")]);
                    Change::Put {
                        fields: BTreeMap::new(),
                        sets: BTreeMap::from([(
                            "children".to_owned(),
                            SetDelta { add, remove: BTreeSet::new() },
                        )]),
                    }
                } else {
                    let (field, value) = match random.below(3) {
                        0 => ("note", json!(format!("Notiz {unique}"))),
                        1 => ("group", json!(format!("{unique}a"))),
                        _ => ("duration_minutes", json!(10 + unique)),
                    };
                    Change::Put { fields: BTreeMap::from([(field.to_owned(), value)]), sets: BTreeMap::new() }
                };
                let mutation = world.mutation(tablet.member, RecordKind::GroupSession, id, base, change);
                sent.push(mutation.clone());
                tablet.pending.push(mutation);
            }
            1 if !tablet.pending.is_empty() => {
                // Some pending mutations, in a shuffled order; sometimes the answer is lost on the way.
                let mut batch = tablet.pending.clone();
                for i in (1..batch.len()).rev() {
                    batch.swap(i, random.below(i + 1));
                }
                batch.truncate(1 + random.below(batch.len()));
                let answer = world.push(tablet.member, &batch).await;
                if random.chance(30) {
                    continue;
                }
                for result in answer["results"].as_array().unwrap() {
                    let number = result["number"].as_u64().unwrap();
                    let key = (tablet.member.device.to_string(), number);
                    if let Some(earlier) = answers.insert(key, result.clone()) {
                        assert_eq!(&earlier, result, "a repeated push gets the same answer");
                    }
                    tablet.pending.retain(|m| m.number != number);
                }
            }
            _ => tablet.pull_all(&world).await,
        }
    }
    // Reconnected for good: every tablet delivers the rest and pulls.
    for tablet in &mut tablets {
        while !tablet.pending.is_empty() {
            let answer = world.push(tablet.member, &tablet.pending).await;
            for result in answer["results"].as_array().unwrap() {
                let number = result["number"].as_u64().unwrap();
                answers.insert((tablet.member.device.to_string(), number), result.clone());
                tablet.pending.retain(|m| m.number != number);
            }
        }
    }
    for tablet in &mut tablets {
        tablet.pull_all(&world).await;
    }

    assert_eq!(answers.len(), sent.len(), "every mutation answered once (seed {seed})");
    for id in &sessions {
        let stored = world.store.record(*id).await.unwrap().unwrap().state;
        for tablet in &tablets {
            let copy = &tablet.server[&id.to_string()];
            assert_eq!(copy["version"], stored.version, "seed {seed}");
            assert_eq!(copy["fields"], json!(stored.fields), "seed {seed}");
            assert_eq!(copy["sets"], json!(stored.sets), "seed {seed}");
        }
        // Each applied edit changed something and so raised the version by exactly one.
        let applied = sent
            .iter()
            .filter(|m| m.record == *id)
            .filter(|m| answers[&(m.device.to_string(), m.number)]["outcome"] == "applied")
            .count() as u64;
        assert_eq!(stored.version, 1 + applied, "no mutation applied twice (seed {seed})");
        for mutation in sent.iter().filter(|m| m.record == *id) {
            let answer = &answers[&(mutation.device.to_string(), mutation.number)];
            if answer["outcome"] == "conflict" {
                let lost =
                    stored.lost.iter().any(|l| l.device == mutation.device && l.number == mutation.number);
                assert!(lost, "the losing value is kept (seed {seed})");
            }
        }
    }
}

#[tokio::test]
async fn three_tablets_converge_on_sqlite() {
    for seed in [1, 7, 42] {
        three_tablets(Database::sqlite(), seed).await;
    }
}

#[tokio::test]
async fn three_tablets_converge_on_postgres() {
    for seed in [3, 11] {
        three_tablets(Database::postgres().await, seed).await;
    }
}

fn entry(world: &World, member: &Member, minute: usize) -> Mutation {
    let start = format!("{:02}:{:02}:00", 6 + minute / 60, minute % 60);
    let end = format!("{:02}:{:02}:00", 6 + (minute + 1) / 60, (minute + 1) % 60);
    world.put(
        member,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        json!({"pool": world.p1, "companion": member.id, "date": "2026-11-26", "start": start, "end": end,
               "category": {"type": "indirect", "kind": "documentation"}, "note": ""}),
        &[],
    )
}

#[tokio::test]
async fn concurrent_pushers_and_pullers_on_postgres_miss_nothing() {
    let world = Arc::new(World::build(&Database::postgres().await).await);
    let mut pushers = Vec::new();
    for name in ["companion", "colleague", "lead", "admin"] {
        let world = Arc::clone(&world);
        pushers.push(tokio::spawn(async move {
            let member = world.member(name);
            for batch in 0..10 {
                let mutations: Vec<Mutation> =
                    (0..10).map(|i| entry(&world, member, batch * 10 + i)).collect();
                world.push(member, &mutations).await;
            }
        }));
    }
    // The lead reads every time entry of P1: two pullers follow the stream while it is being written.
    let mut pullers = Vec::new();
    for _ in 0..2 {
        let world = Arc::clone(&world);
        pullers.push(tokio::spawn(async move {
            let mut seen: BTreeMap<String, u64> = BTreeMap::new();
            let mut cursors = json!([]);
            let mut quiet_rounds = 0;
            while quiet_rounds < 3 {
                let page = world.pull(world.member("lead"), &cursors, 7).await;
                let records = page["records"].as_array().unwrap();
                for record in records {
                    seen.insert(
                        record["id"].as_str().unwrap().to_owned(),
                        record["version"].as_u64().unwrap(),
                    );
                }
                cursors = page["cursors"].clone();
                quiet_rounds = if records.is_empty() { quiet_rounds + 1 } else { 0 };
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
            (seen, cursors)
        }));
    }
    for pusher in pushers {
        pusher.await.unwrap();
    }
    let everything = {
        let mut all = BTreeMap::new();
        let mut cursors = json!([]);
        loop {
            let page = world.pull(world.member("lead"), &cursors, 1000).await;
            for record in page["records"].as_array().unwrap() {
                all.insert(record["id"].as_str().unwrap().to_owned(), record["version"].as_u64().unwrap());
            }
            cursors = page["cursors"].clone();
            if page["has_more"] == false {
                break;
            }
        }
        all
    };
    assert!(everything.len() >= 400, "400 entries and the children: {}", everything.len());
    for puller in pullers {
        let (mut seen, cursors) = puller.await.unwrap();
        // Whatever a puller missed while the pushes ran, continuing from its cursors brings exactly that.
        let rest = world.pull(world.member("lead"), &cursors, 1000).await;
        for record in rest["records"].as_array().unwrap() {
            seen.insert(record["id"].as_str().unwrap().to_owned(), record["version"].as_u64().unwrap());
        }
        assert_eq!(seen, everything, "a puller that followed the stream has everything");
    }
}

/// A connection of the test's own to the server's SQLite file.
async fn sqlite_connection(database: &Database) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let file = database.sqlite_file().unwrap();
    sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await.unwrap()
}

/// Holds the database's write lock for the pool (SQLite: the whole database, as `BEGIN IMMEDIATE`
/// takes it; PostgreSQL: the pool's change counter, which every push into the pool claims first), so a
/// push that arrives meanwhile waits before it has written anything.
async fn hold_the_write_lock(database: &Database, pool: uuid::Uuid) -> Box<dyn std::any::Any> {
    use sqlx::{Connection, Executor};
    match database {
        Database::Sqlite(_) => {
            let mut conn = sqlite_connection(database).await;
            conn.execute("BEGIN IMMEDIATE").await.unwrap();
            Box::new(conn)
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            conn.execute("BEGIN").await.unwrap();
            sqlx::query("SELECT last_change FROM pool_changes WHERE pool_id = $1 FOR UPDATE")
                .bind(pool.to_string())
                .execute(&mut conn)
                .await
                .unwrap();
            Box::new(conn)
        }
    }
}

/// How many of `mutations` the database holds, read from the committed state.
async fn committed(world: &World, mutations: &[Mutation]) -> usize {
    let mut count = 0;
    for mutation in mutations {
        if world.store.record(mutation.record).await.unwrap().is_some() {
            count += 1;
        }
    }
    count
}

async fn killed_during_a_large_push(database: Database) {
    let mut world = World::build(&database).await;
    let companion_name = "companion";
    let mutations: Vec<Mutation> = {
        let member = world.member(companion_name);
        (0..500).map(|i| entry(&world, member, i % 600)).collect()
    };
    let (first, rest) = mutations.split_at(200);
    // The first 200 are answered: committed, as the database shows.
    let answer = world.push(world.member(companion_name), first).await;
    assert!(answer["results"].as_array().unwrap().iter().all(|r| r["outcome"] == "applied"), "{answer}");
    assert_eq!(committed(&world, &mutations).await, 200);

    // The other 300 are on their way while the write lock is held elsewhere; the server is killed while
    // the push waits for it. So exactly the first 200 are committed when it dies — not a guess.
    let lock = hold_the_write_lock(&database, world.p1.0).await;
    let url = world.server.api("/sync/push");
    let token = world.member(companion_name).token.clone();
    let body = json!({"protocol": 1, "device": world.member(companion_name).device, "mutations": rest});
    let request =
        tokio::spawn(
            async move { reqwest::Client::new().post(url).bearer_auth(token).json(&body).send().await },
        );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    world.server.kill();
    assert!(request.await.unwrap().is_err(), "the server died before it answered");
    drop(lock);
    assert_eq!(committed(&world, &mutations).await, 200, "the killed push committed nothing");

    // The device sends everything it has no answer for again — and, as if its answers had been lost
    // too, the first 200 — to the restarted server: each mutation is applied exactly once.
    world.server = Server::start(&database);
    let answer = world.push(world.member(companion_name), &mutations).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), mutations.len());
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{answer}");
    for mutation in &mutations {
        let stored = world.store.record(mutation.record).await.unwrap().expect("on the server");
        assert_eq!(stored.state.version, 1, "applied exactly once");
    }
}

#[tokio::test]
async fn killed_during_a_large_push_on_sqlite() {
    killed_during_a_large_push(Database::sqlite()).await;
}

#[tokio::test]
async fn killed_during_a_large_push_on_postgres() {
    killed_during_a_large_push(Database::postgres().await).await;
}

/// Makes the database refuse to store any record whose state contains `marker`, as a full disk or a
/// unique-key race would refuse one write, without the server knowing in advance.
async fn refuse_records_containing(database: &Database, marker: &str) {
    use sqlx::{Connection, Executor};
    match database {
        Database::Sqlite(_) => {
            let mut conn = sqlite_connection(database).await;
            conn.execute(
                format!(
                    "CREATE TRIGGER refuse_marked BEFORE INSERT ON records WHEN NEW.state LIKE '%{marker}%' \
                     BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                )
                .as_str(),
            )
            .await
            .unwrap();
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            conn.execute(
                format!(
                    "CREATE FUNCTION refuse_marked() RETURNS trigger AS $$ BEGIN \
                     IF NEW.state::text LIKE '%{marker}%' THEN RAISE EXCEPTION 'refused by the test'; END IF; \
                     RETURN NEW; END $$ LANGUAGE plpgsql; \
                     CREATE TRIGGER refuse_marked BEFORE INSERT ON records FOR EACH ROW EXECUTE FUNCTION refuse_marked()"
                )
                .as_str(),
            )
            .await
            .unwrap();
        }
    }
}

async fn allow_all_records(database: &Database) {
    use sqlx::{Connection, Executor};
    match database {
        Database::Sqlite(_) => {
            let mut conn = sqlite_connection(database).await;
            conn.execute("DROP TRIGGER refuse_marked").await.unwrap();
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            conn.execute("DROP TRIGGER refuse_marked ON records").await.unwrap();
        }
    }
}

async fn a_refused_write_undoes_only_its_mutation(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");
    let mut batch: Vec<Mutation> = (0..5).map(|i| entry(&world, companion, i * 2)).collect();
    if let Change::Put { fields, .. } = &mut batch[2].change {
        fields.insert("note".into(), json!("Schreibfehler"));
    }
    refuse_records_containing(&database, "Schreibfehler").await;

    let answer = world.push(companion, &batch).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "answered up to the refused write, which has no answer: {answer}");
    assert!(results.iter().all(|r| r["outcome"] == "applied"));
    for (index, mutation) in batch.iter().enumerate() {
        let stored = world.store.record(mutation.record).await.unwrap();
        assert_eq!(stored.is_some(), index < 2, "mutation {index}");
    }

    // The device sends what has no answer again, once the database takes it.
    allow_all_records(&database).await;
    let answer = world.push(companion, &batch).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert!(results.iter().all(|r| r["outcome"] == "applied"), "{answer}");
    let mut changes = Vec::new();
    let page = world.pull(companion, &json!([]), 1000).await;
    for record in page["records"].as_array().unwrap() {
        if batch.iter().any(|m| m.record.to_string() == record["id"]) {
            assert_eq!(record["version"], 1, "applied exactly once");
            changes.push(record["change"].as_u64().unwrap());
        }
    }
    assert_eq!(changes.len(), 5);
    let distinct: BTreeSet<_> = changes.iter().collect();
    assert_eq!(distinct.len(), 5, "each write has its own change number: {changes:?}");
}

#[tokio::test]
async fn a_refused_write_undoes_only_its_mutation_on_sqlite() {
    a_refused_write_undoes_only_its_mutation(Database::sqlite()).await;
}

#[tokio::test]
async fn a_refused_write_undoes_only_its_mutation_on_postgres() {
    a_refused_write_undoes_only_its_mutation(Database::postgres().await).await;
}
