//! Sync on the server: push, pull, scopes and imports, as one SQL body for SQLite and PostgreSQL (the
//! same approach as `sql.rs`). What differs is passed in: the statement that opens a writing
//! transaction (SQLite takes the write lock at once with `BEGIN IMMEDIATE`, so two pushes never fail on
//! upgrading a read lock) and the row lock on a record read for update (`FOR UPDATE` on PostgreSQL, where
//! two pushes to one record could otherwise both apply to the same version; SQLite needs none, since
//! its writers are serialised), and whether a mutation's write needs an explicit savepoint to be undone
//! alone (PostgreSQL; SQLite rolls back a failed statement by itself).

macro_rules! impl_records {
    ($store:ty, $db:ty, $begin:expr, $for_update:expr, $savepoint_per_write:expr) => {
        impl $store {
            pub(crate) async fn scope_of(
                &self,
                user: &$crate::UserRecord,
                today: chrono::NaiveDate,
            ) -> Result<begleitbuch_domain::access::Scope, $crate::StoreError> {
                use begleitbuch_domain::ids::{ChildId, PoolId};
                use begleitbuch_domain::people::Role;
                let ids = |rows: Vec<(String,)>| -> Result<std::collections::BTreeSet<uuid::Uuid>, $crate::StoreError> {
                    rows.into_iter().map(|(id,)| $crate::accounts::parse_uuid(&id)).collect()
                };
                let provider_pools: Vec<(String,)> = sqlx::query_as("SELECT id FROM pools WHERE provider_id = $1")
                    .bind(user.provider.to_string())
                    .fetch_all(&self.pool)
                    .await?;
                let mut children = std::collections::BTreeSet::new();
                let pools: Vec<(String,)> = if user.role == Role::Parent {
                    let linked: Vec<(String,)> = sqlx::query_as("SELECT child_id FROM guardian_children WHERE guardian_id = $1")
                        .bind(user.id.to_string())
                        .fetch_all(&self.pool)
                        .await?;
                    children = ids(linked)?.into_iter().map(ChildId).collect();
                    sqlx::query_as(
                        "SELECT DISTINCT r.pool_id FROM guardian_children g JOIN records r ON r.id = g.child_id \
                         WHERE g.guardian_id = $1 AND r.kind = 'child' AND NOT r.deleted AND r.pool_id IS NOT NULL",
                    )
                    .bind(user.id.to_string())
                    .fetch_all(&self.pool)
                    .await?
                } else {
                    // Their pools, and the pools they cover today (a cover grant is a record whose subject
                    // is the covering companion).
                    sqlx::query_as(
                        "SELECT pool_id FROM memberships WHERE user_id = $1 AND first_day <= $2 \
                         AND (last_day IS NULL OR last_day >= $2) \
                         UNION SELECT pool_id FROM records WHERE kind = 'cover_grant' AND subject_user = $1 \
                         AND NOT deleted AND pool_id IS NOT NULL AND first_day <= $2 AND last_day >= $2",
                    )
                    .bind(user.id.to_string())
                    .bind(today.to_string())
                    .fetch_all(&self.pool)
                    .await?
                };
                Ok(begleitbuch_domain::access::Scope {
                    user: user.id,
                    role: user.role,
                    provider: user.provider,
                    pools: ids(pools)?.into_iter().map(PoolId).collect(),
                    provider_pools: ids(provider_pools)?.into_iter().map(PoolId).collect(),
                    children,
                })
            }

            pub(crate) async fn pool_directory_of(
                &self,
                pools: &std::collections::BTreeSet<begleitbuch_domain::ids::PoolId>,
                today: chrono::NaiveDate,
            ) -> Result<Vec<begleitbuch_domain::org::PoolDirectory>, $crate::StoreError> {
                use begleitbuch_domain::org::{PoolDirectory, PoolPerson};
                let ids: Vec<String> = pools.iter().map(ToString::to_string).collect();
                let mut directory = Vec::new();
                for chunk in ids.chunks($crate::records::IN_LIST_CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT p.id, i.name, p.school_year FROM pools p JOIN institutions i ON i.id = p.institution_id \
                         WHERE p.id IN (",
                    );
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_str());
                    }
                    query.push(") ORDER BY i.name");
                    let rows: Vec<(String, String, i64)> = query.build_query_as().fetch_all(&self.pool).await?;
                    for (id, institution, school_year) in rows {
                        directory.push(PoolDirectory {
                            id: begleitbuch_domain::ids::PoolId($crate::accounts::parse_uuid(&id)?),
                            institution,
                            school_year: i32::try_from(school_year)
                                .map_err(|_| $crate::StoreError::Corrupt(format!("school year {school_year}")))?,
                            people: Vec::new(),
                        });
                    }
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT m.pool_id, u.id, u.display_name, u.role FROM memberships m JOIN users u ON u.id = m.user_id \
                         WHERE NOT u.disabled AND m.first_day <= ",
                    );
                    query.push_bind(today.to_string());
                    query.push(" AND (m.last_day IS NULL OR m.last_day >= ");
                    query.push_bind(today.to_string());
                    query.push(") AND m.pool_id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_str());
                    }
                    query.push(") ORDER BY u.display_name, u.id");
                    let rows: Vec<(String, String, String, String)> = query.build_query_as().fetch_all(&self.pool).await?;
                    for (pool, id, display_name, role) in rows {
                        let pool = $crate::accounts::parse_uuid(&pool)?;
                        let person = PoolPerson {
                            id: begleitbuch_domain::ids::UserId($crate::accounts::parse_uuid(&id)?),
                            display_name,
                            role: $crate::accounts::parse_role(&role)?,
                        };
                        if let Some(entry) = directory.iter_mut().find(|entry| entry.id.0 == pool) {
                            entry.people.push(person);
                        }
                    }
                }
                Ok(directory)
            }

            pub(crate) async fn push_mutations(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                writer: $crate::Writer,
                mutations: &[begleitbuch_domain::protocol::Mutation],
                now: i64,
            ) -> Result<Vec<begleitbuch_domain::protocol::PushResult>, $crate::StoreError> {
                use begleitbuch_domain::protocol::PushResult;
                let mut tx = self.pool.begin_with($begin).await?;
                // What the batch needs to read is read once, up front: the answers already given to
                // its mutations (a retried push) and the records it changes (on PostgreSQL locked in id
                // order, so two pushes touching the same records cannot deadlock). Per mutation, only
                // its writes remain.
                let mut batch = $crate::records::Batch {
                    known: $crate::push::Known {
                        answered: Self::answered(&mut tx, writer, mutations).await?,
                        ..Default::default()
                    },
                    records: Self::load_records(&mut tx, mutations.iter().map(|m| m.record)).await?,
                    counters: Default::default(),
                    log: Vec::with_capacity(mutations.len()),
                };
                let mut results = Vec::with_capacity(mutations.len());
                for mutation in mutations {
                    match Self::push_one(&mut tx, &mut batch, scope, writer, mutation, now).await {
                        Ok(outcome) => results.push(PushResult { number: mutation.number, outcome }),
                        Err(error) if results.is_empty() => return Err(error),
                        // The device keeps every mutation without an answer and sends it again.
                        Err(_) => break,
                    }
                }
                Self::store_counters(&mut tx, &batch.counters).await?;
                Self::log_answers(&mut tx, scope, writer, &batch.log, now).await?;
                tx.commit().await?;
                Ok(results)
            }

            /// Decides one mutation (`push::decide`, looking up what it asks for) and, if it applies,
            /// writes its record. `Err` means a database error; only this mutation's write is undone, so
            /// what came before commits.
            async fn push_one(
                tx: &mut <$db as sqlx::Database>::Connection,
                batch: &mut $crate::records::Batch,
                scope: &begleitbuch_domain::access::Scope,
                writer: $crate::Writer,
                mutation: &begleitbuch_domain::protocol::Mutation,
                now: i64,
            ) -> Result<begleitbuch_domain::protocol::Outcome, $crate::StoreError> {
                use $crate::push::{decide, Decision};
                let current = batch.records.get(&mutation.record).cloned();
                let (outcome, write) = loop {
                    match decide(scope, writer, mutation, current.as_ref(), now, &batch.known)? {
                        Decision::Look(lookup) => Self::look_up(&mut *tx, &mut batch.known, scope.provider, lookup).await?,
                        Decision::Unlogged(outcome) => return Ok(outcome),
                        Decision::Answer(outcome) => break (outcome, None),
                        Decision::Write { outcome, next, facts } => break (outcome, Some((next, facts))),
                    }
                };
                if let Some((next, facts)) = write {
                    let provider = current.as_ref().map_or(scope.provider, |c| c.provider);
                    let change_number = match facts.pool {
                        Some(pool) => Some(Self::next_change_number(&mut *tx, &mut batch.counters, pool).await?),
                        None => None,
                    };
                    // Each mutation's write is one statement, undone alone if it fails (say, two tablets
                    // creating the same record at once), so what came before still commits. SQLite does
                    // that by itself: a failed statement is rolled back through its statement journal
                    // and the transaction goes on. PostgreSQL aborts the whole transaction on any error,
                    // so there the write runs inside a savepoint.
                    let record = $crate::StoredRecord { provider, pool: facts.pool, state: *next };
                    let created = current.is_none();
                    if $savepoint_per_write {
                        let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
                        let written =
                            Self::write_record(&mut savepoint, &record, &facts, change_number, scope.user, now, created).await;
                        if let Err(error) = written {
                            savepoint.rollback().await?;
                            return Err(error);
                        }
                        savepoint.commit().await?;
                    } else {
                        Self::write_record(&mut *tx, &record, &facts, change_number, scope.user, now, created).await?;
                    }
                    if let (Some(pool), Some(number)) = (facts.pool, change_number) {
                        batch.counters.used(pool, number);
                    }
                    batch.written(record);
                }
                batch.answer(mutation, outcome.clone())?;
                Ok(outcome)
            }

            /// Looks up what `push::decide` asked for and adds it to `known`.
            async fn look_up(
                conn: &mut <$db as sqlx::Database>::Connection,
                known: &mut $crate::push::Known,
                provider: begleitbuch_domain::ids::ProviderId,
                lookup: $crate::push::Lookup,
            ) -> Result<(), $crate::StoreError> {
                use $crate::push::Lookup;
                match lookup {
                    Lookup::LockedWeeks(weeks) => Self::load_locked_weeks(conn, &mut known.locked_weeks, &weeks).await?,
                    Lookup::ChildPool(child) => {
                        let pool = Self::child_pool(conn, child).await?;
                        known.child_pools.insert(child, pool);
                    }
                    Lookup::Fact(fact) => {
                        let holds = Self::confirm(conn, provider, &fact).await?;
                        known.facts.push((fact, holds));
                    }
                    Lookup::Consents(children) => {
                        let declarations = Self::consents_of(conn, children.iter().copied()).await?;
                        for child in &children {
                            known.consents.insert(*child, Vec::new());
                        }
                        for declaration in declarations {
                            known.consents.entry(declaration.child).or_default().push(declaration);
                        }
                    }
                }
                Ok(())
            }

            /// The logged answers to those of `mutations` this writer has sent before.
            async fn answered(
                conn: &mut <$db as sqlx::Database>::Connection,
                writer: $crate::Writer,
                mutations: &[begleitbuch_domain::protocol::Mutation],
            ) -> Result<std::collections::HashMap<u64, (String, begleitbuch_domain::protocol::Outcome)>, $crate::StoreError> {
                let numbers: Vec<i64> = mutations.iter().filter_map(|m| i64::try_from(m.number).ok()).collect();
                let mut answered = std::collections::HashMap::new();
                for chunk in numbers.chunks($crate::records::IN_LIST_CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new("SELECT number, mutation, fingerprint, outcome FROM applied_mutations WHERE device_id = ");
                    query.push_bind(writer.log_key()).push(" AND number IN (");
                    let mut list = query.separated(", ");
                    for number in chunk {
                        list.push_bind(*number);
                    }
                    query.push(")");
                    let rows: Vec<(i64, String, Option<String>, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
                    for (number, mutation, fingerprint, outcome) in rows {
                        // Logged before fingerprints were kept (and so never redacted): made from the payload.
                        let fingerprint = match fingerprint {
                            Some(fingerprint) => fingerprint,
                            None => {
                                let mutation = serde_json::from_str(&mutation)
                                    .map_err(|e| $crate::StoreError::Corrupt(format!("logged mutation: {e}")))?;
                                $crate::records::fingerprint(&mutation)?
                            }
                        };
                        answered.insert(number as u64, (fingerprint, $crate::records::outcome_from_json(&outcome)?));
                    }
                }
                Ok(answered)
            }

            /// The stored records with these ids, read for update.
            async fn load_records(
                conn: &mut <$db as sqlx::Database>::Connection,
                ids: impl Iterator<Item = uuid::Uuid>,
            ) -> Result<std::collections::HashMap<uuid::Uuid, $crate::StoredRecord>, $crate::StoreError> {
                let ids: Vec<String> = ids.collect::<std::collections::BTreeSet<_>>().iter().map(ToString::to_string).collect();
                let mut records = std::collections::HashMap::new();
                for chunk in ids.chunks($crate::records::IN_LIST_CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new("SELECT provider_id, pool_id, state FROM records WHERE id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(id.as_str());
                    }
                    query.push(") ORDER BY id").push($for_update);
                    let rows: Vec<(String, Option<String>, String)> = query.build_query_as().fetch_all(&mut *conn).await?;
                    for (provider, pool, state) in rows {
                        let record = $crate::records::stored_from_row(&provider, pool.as_deref(), &state)?;
                        records.insert(record.state.id, record);
                    }
                }
                Ok(records)
            }

            async fn load_record(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: uuid::Uuid,
                for_update: bool,
            ) -> Result<Option<$crate::StoredRecord>, $crate::StoreError> {
                let lock = if for_update { $for_update } else { "" };
                let query = format!("SELECT provider_id, pool_id, state FROM records WHERE id = $1{lock}");
                let row: Option<(String, Option<String>, String)> =
                    sqlx::query_as(&query).bind(id.to_string()).fetch_optional(&mut *conn).await?;
                row.map(|(provider, pool, state)| $crate::records::stored_from_row(&provider, pool.as_deref(), &state))
                    .transpose()
            }

            /// Every consent declaration about these children.
            async fn consents_of(
                conn: &mut <$db as sqlx::Database>::Connection,
                children: impl Iterator<Item = begleitbuch_domain::ids::ChildId>,
            ) -> Result<Vec<begleitbuch_domain::consent::Consent>, $crate::StoreError> {
                let children: Vec<String> =
                    children.collect::<std::collections::BTreeSet<_>>().iter().map(ToString::to_string).collect();
                let mut declarations = Vec::new();
                for chunk in children.chunks($crate::records::IN_LIST_CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "SELECT state FROM records WHERE kind = 'consent' AND NOT deleted AND child_id IN (",
                    );
                    let mut list = query.separated(", ");
                    for child in chunk {
                        list.push_bind(child.as_str());
                    }
                    query.push(")");
                    let rows: Vec<(String,)> = query.build_query_as().fetch_all(&mut *conn).await?;
                    for (state,) in rows {
                        let state: begleitbuch_domain::record::RecordState = serde_json::from_str(&state)
                            .map_err(|e| $crate::StoreError::Corrupt(format!("consent record: {e}")))?;
                        let consent = serde_json::from_value(state.to_json())
                            .map_err(|e| $crate::StoreError::Corrupt(format!("consent record: {e}")))?;
                        declarations.push(consent);
                    }
                }
                Ok(declarations)
            }

            /// Whether the server's own tables confirm `fact` (`authority::Need`).
            async fn confirm(
                conn: &mut <$db as sqlx::Database>::Connection,
                provider: begleitbuch_domain::ids::ProviderId,
                fact: &begleitbuch_domain::authority::Fact,
            ) -> Result<bool, $crate::StoreError> {
                use begleitbuch_domain::authority::Fact;
                // `SELECT TRUE`: a boolean on PostgreSQL, 1 on SQLite; both decode as `bool`.
                let row: Option<(bool,)> = match fact {
                    Fact::MemberOfPool { user, pool } => {
                        sqlx::query_as("SELECT TRUE FROM memberships WHERE pool_id = $1 AND user_id = $2 LIMIT 1")
                            .bind(pool.to_string())
                            .bind(user.to_string())
                            .fetch_optional(&mut *conn)
                            .await?
                    }
                    Fact::ActiveCompanion { user } => {
                        sqlx::query_as("SELECT TRUE FROM users WHERE id = $1 AND provider_id = $2 AND role = 'companion' AND NOT disabled")
                            .bind(user.to_string())
                            .bind(provider.to_string())
                            .fetch_optional(&mut *conn)
                            .await?
                    }
                    Fact::GuardianOf { guardian, child } => {
                        sqlx::query_as(
                            "SELECT TRUE FROM guardian_children g JOIN records r ON r.id = g.guardian_id \
                             WHERE g.guardian_id = $1 AND g.child_id = $2 AND r.kind = 'guardian' AND r.provider_id = $3",
                        )
                        .bind(guardian.to_string())
                        .bind(child.to_string())
                        .bind(provider.to_string())
                        .fetch_optional(&mut *conn)
                        .await?
                    }
                    Fact::ProviderChild { child } => {
                        sqlx::query_as(
                            "SELECT TRUE FROM records WHERE id = $1 AND kind = 'child' AND provider_id = $2 AND NOT deleted",
                        )
                        .bind(child.to_string())
                        .bind(provider.to_string())
                        .fetch_optional(&mut *conn)
                        .await?
                    }
                };
                Ok(row.is_some())
            }

            async fn child_pool(
                conn: &mut <$db as sqlx::Database>::Connection,
                child: begleitbuch_domain::ids::ChildId,
            ) -> Result<Option<begleitbuch_domain::ids::PoolId>, $crate::StoreError> {
                let row: Option<(Option<String>,)> =
                    sqlx::query_as("SELECT pool_id FROM records WHERE id = $1 AND kind = 'child'")
                        .bind(child.to_string())
                        .fetch_optional(&mut *conn)
                        .await?;
                row.and_then(|(pool,)| pool)
                    .map(|pool| $crate::accounts::parse_uuid(&pool).map(begleitbuch_domain::ids::PoolId))
                    .transpose()
            }

            /// Adds to `known` which companions have an approved review of each of `weeks` not in it yet.
            async fn load_locked_weeks(
                conn: &mut <$db as sqlx::Database>::Connection,
                known: &mut $crate::records::LockedWeeks,
                weeks: &std::collections::BTreeSet<begleitbuch_domain::calendar::Week>,
            ) -> Result<(), $crate::StoreError> {
                let missing: Vec<_> = weeks.iter().filter(|week| !known.contains_key(week)).copied().collect();
                if missing.is_empty() {
                    return Ok(());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(
                    "SELECT lock_week, subject_user FROM records WHERE kind = 'week_review' AND NOT deleted AND lock_week IN (",
                );
                let mut list = query.separated(", ");
                for week in &missing {
                    list.push_bind(week.key());
                }
                query.push(")");
                let rows: Vec<(String, Option<String>)> = query.build_query_as().fetch_all(&mut *conn).await?;
                for week in missing {
                    let users = rows
                        .iter()
                        .filter(|(key, _)| *key == week.key())
                        .filter_map(|(_, user)| user.as_deref())
                        .map(|user| $crate::accounts::parse_uuid(user).map(begleitbuch_domain::ids::UserId))
                        .collect::<Result<_, _>>()?;
                    known.insert(week, users);
                }
                Ok(())
            }

            /// Logs the batch's answers, under (writer, number), with their mutations.
            async fn log_answers(
                conn: &mut <$db as sqlx::Database>::Connection,
                scope: &begleitbuch_domain::access::Scope,
                writer: $crate::Writer,
                log: &[$crate::records::Answer],
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                // Eight values a row: well under either database's limit on bound parameters.
                for chunk in log.chunks($crate::records::IN_LIST_CHUNK) {
                    let mut query = sqlx::QueryBuilder::<$db>::new(
                        "INSERT INTO applied_mutations (device_id, number, user_id, record_id, mutation, fingerprint, outcome, received_at) ",
                    );
                    let key = writer.log_key();
                    query.push_values(chunk, |mut row, answer| {
                        row.push_bind(key.clone())
                            .push_bind(answer.number)
                            .push_bind(scope.user.to_string())
                            .push_bind(answer.record.to_string())
                            .push_bind(answer.mutation.clone())
                            .push_bind(answer.fingerprint.clone())
                            .push_bind(answer.outcome.clone())
                            .push_bind(now);
                    });
                    query.build().execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// The pool's next change number. The first call per pool and transaction claims the pool's
            /// counter row: the upsert takes its lock (PostgreSQL) outside any savepoint, so it is held
            /// until commit and the pool's writers stay ordered — a puller never sees a higher change
            /// number before a lower one. Later numbers are counted in memory.
            async fn next_change_number(
                conn: &mut <$db as sqlx::Database>::Connection,
                counters: &mut $crate::records::Counters,
                pool: begleitbuch_domain::ids::PoolId,
            ) -> Result<i64, $crate::StoreError> {
                if let Some(next) = counters.next(pool) {
                    return Ok(next);
                }
                let (last,): (i64,) = sqlx::query_as(
                    "INSERT INTO pool_changes (pool_id, last_change) VALUES ($1, 0) \
                     ON CONFLICT (pool_id) DO UPDATE SET last_change = pool_changes.last_change \
                     RETURNING last_change",
                )
                .bind(pool.to_string())
                .fetch_one(&mut *conn)
                .await?;
                counters.claim(pool, last);
                Ok(last + 1)
            }

            /// Writes back the counters of the pools the transaction changed.
            async fn store_counters(
                conn: &mut <$db as sqlx::Database>::Connection,
                counters: &$crate::records::Counters,
            ) -> Result<(), $crate::StoreError> {
                for (pool, last) in counters.changed() {
                    sqlx::query("UPDATE pool_changes SET last_change = $2 WHERE pool_id = $1")
                        .bind(pool.to_string())
                        .bind(last)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            /// Stores a record's new state under `change_number` (the next of its pool's counter).
            async fn write_record(
                conn: &mut <$db as sqlx::Database>::Connection,
                record: &$crate::StoredRecord,
                facts: &begleitbuch_domain::facts::Facts,
                change_number: Option<i64>,
                by: begleitbuch_domain::ids::UserId,
                now: i64,
                created: bool,
            ) -> Result<(), $crate::StoreError> {
                let state = &record.state;
                let columns = $crate::records::Columns::of(state, facts);
                let statement = if created {
                    "INSERT INTO records (id, kind, provider_id, pool_id, change_number, version, deleted, \
                     subject_user, child_id, first_day, last_day, lock_week, state, created_by, created_at, \
                     changed_by, changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15)"
                } else {
                    "UPDATE records SET kind = $2, provider_id = $3, pool_id = $4, change_number = $5, \
                     version = $6, deleted = $7, subject_user = $8, child_id = $9, first_day = $10, \
                     last_day = $11, lock_week = $12, state = $13, changed_by = $14, changed_at = $15 \
                     WHERE id = $1"
                };
                sqlx::query(statement)
                    .bind(state.id.to_string())
                    .bind(state.kind.code())
                    .bind(record.provider.to_string())
                    .bind(record.pool.map(|p| p.to_string()))
                    .bind(change_number)
                    .bind(state.version as i64)
                    .bind(state.deleted)
                    .bind(columns.subject_user)
                    .bind(columns.child)
                    .bind(columns.first_day)
                    .bind(columns.last_day)
                    .bind(columns.lock_week)
                    .bind($crate::records::to_json(state)?)
                    .bind(by.to_string())
                    .bind(now)
                    .execute(&mut *conn)
                    .await?;
                if state.kind == begleitbuch_domain::record::RecordKind::Guardian {
                    Self::index_guardian(conn, state).await?;
                }
                Ok(())
            }

            /// Rewrites who `guardian` has custody of (`guardian_children`) from its record.
            async fn index_guardian(
                conn: &mut <$db as sqlx::Database>::Connection,
                guardian: &begleitbuch_domain::record::RecordState,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM guardian_children WHERE guardian_id = $1")
                    .bind(guardian.id.to_string())
                    .execute(&mut *conn)
                    .await?;
                let children = guardian.sets.get("children").into_iter().flatten();
                for child in children.filter(|_| !guardian.deleted) {
                    sqlx::query("INSERT INTO guardian_children (guardian_id, child_id) VALUES ($1, $2)")
                        .bind(guardian.id.to_string())
                        .bind(child)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            }

            pub(crate) async fn pull_page(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                cursors: &[begleitbuch_domain::protocol::Cursor],
                limit: u32,
            ) -> Result<begleitbuch_domain::protocol::PullPage, $crate::StoreError> {
                use begleitbuch_domain::access::{permits, Operation};
                use begleitbuch_domain::protocol::{Cursor, PullPage, PulledRecord};
                let epoch = $crate::Store::epoch(self).await?;
                let full_resync = cursors.iter().any(|c| c.epoch != epoch);
                let known: std::collections::BTreeMap<_, _> =
                    if full_resync { Default::default() } else { cursors.iter().map(|c| (c.pool, c.change)).collect() };
                let removed_pools: std::collections::BTreeSet<_> =
                    cursors.iter().map(|c| c.pool).filter(|p| !&scope.pools.contains(p)).collect();
                let removed_pools = removed_pools.into_iter().collect();
                let mut budget = limit.clamp(1, $crate::records::MAX_PULL_LIMIT) as usize;
                let mut page = PullPage { epoch, records: Vec::new(), cursors: Vec::new(), has_more: false, removed_pools, full_resync };
                for pool in &scope.pools {
                    let mut last = known.get(pool).copied().unwrap_or(0);
                    if budget == 0 {
                        page.has_more = true;
                    } else {
                        let rows: Vec<$crate::records::RecordRow> = sqlx::query_as(
                            "SELECT id, provider_id, pool_id, change_number, state FROM records \
                             WHERE pool_id = $1 AND change_number > $2 ORDER BY change_number LIMIT $3",
                        )
                        .bind(pool.to_string())
                        .bind(last as i64)
                        .bind(budget as i64)
                        .fetch_all(&self.pool)
                        .await?;
                        if rows.len() == budget {
                            page.has_more = true;
                        }
                        budget -= rows.len();
                        for (_, provider, pool_id, change, state) in rows {
                            let stored = $crate::records::stored_from_row(&provider, pool_id.as_deref(), &state)?;
                            let facts = stored.facts();
                            let readable = permits(scope, stored.state.kind, Operation::Read, stored.provider, &facts);
                            // What the user may not read arrives as a bare tombstone if a device of theirs
                            // may hold it (an observation a parent saw, then made internal), so that it is
                            // removed; what they could never read is not mentioned at all.
                            let shareable = begleitbuch_domain::facts::Facts { shareable: true, ..facts };
                            let could_have_held = readable
                                || permits(scope, stored.state.kind, Operation::Read, stored.provider, &shareable);
                            last = change as u64;
                            if !could_have_held {
                                continue;
                            }
                            let state = stored.state;
                            let (fields, sets) = if readable && !state.deleted {
                                (state.fields, state.sets)
                            } else {
                                Default::default()
                            };
                            page.records.push(PulledRecord {
                                pool: *pool,
                                change: change as u64,
                                kind: state.kind,
                                id: state.id,
                                version: state.version,
                                deleted: state.deleted || !readable,
                                fields,
                                sets,
                            });
                        }
                    }
                    page.cursors.push(Cursor { pool: *pool, epoch, change: last });
                }
                Ok(page)
            }

            pub(crate) async fn pending_tasks(&self, now: i64) -> Result<Vec<String>, $crate::StoreError> {
                let tasks: Vec<(String,)> =
                    sqlx::query_as("SELECT name FROM pending_tasks ORDER BY name").fetch_all(&self.pool).await?;
                for (task,) in &tasks {
                    match task.as_str() {
                        "adopt_custodians" => self.adopt_custodians(now).await?,
                        "strip_tombstones" => self.strip_tombstones().await?,
                        other => return Err($crate::StoreError::Corrupt(format!("unknown pending task {other}"))),
                    }
                    sqlx::query("DELETE FROM pending_tasks WHERE name = $1").bind(task).execute(&self.pool).await?;
                }
                Ok(tasks.into_iter().map(|(task,)| task).collect())
            }

            /// Makes every custodian named so far a guardian record (see migration 0015): a parent's
            /// account keeps its id and name, an id made up for a paper form gets a placeholder name for
            /// a team lead to correct; each lists the children it was linked to or declared for.
            async fn adopt_custodians(&self, now: i64) -> Result<(), $crate::StoreError> {
                use begleitbuch_domain::guardian::Guardian;
                use begleitbuch_domain::ids::{ChildId, GuardianId, ProviderId};
                use std::collections::BTreeMap;
                let parse = |id: &str| $crate::accounts::parse_uuid(id);
                // (guardian, child, provider of the child's record)
                let mut links: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT g.guardian_id, g.child_id, r.provider_id FROM guardian_children g \
                     JOIN records r ON r.id = g.child_id AND r.kind = 'child'",
                )
                .fetch_all(&self.pool)
                .await?;
                let consents: Vec<(String, String)> =
                    sqlx::query_as("SELECT provider_id, state FROM records WHERE kind = 'consent' AND NOT deleted")
                        .fetch_all(&self.pool)
                        .await?;
                for (provider, state) in consents {
                    let state: begleitbuch_domain::record::RecordState = serde_json::from_str(&state)
                        .map_err(|e| $crate::StoreError::Corrupt(format!("consent record: {e}")))?;
                    if let Some(consent) = state.decode::<begleitbuch_domain::consent::Consent>() {
                        links.push((consent.custodian.to_string(), consent.child.to_string(), provider));
                    }
                }
                let mut guardians: BTreeMap<(String, String), Guardian> = BTreeMap::new();
                for (guardian, child, provider) in links {
                    let id = GuardianId(parse(&guardian)?);
                    let entry = guardians.entry((provider, guardian.clone())).or_insert_with(|| Guardian {
                        id,
                        name: String::new(),
                        contact: String::new(),
                        children: Default::default(),
                    });
                    entry.children.insert(ChildId(parse(&child)?));
                }
                for ((provider, id), mut guardian) in guardians {
                    let account: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
                        .bind(&id)
                        .fetch_optional(&self.pool)
                        .await?;
                    guardian.name = account.map_or_else(|| "Sorgeberechtigte Person (übernommen)".to_owned(), |(name,)| name);
                    let mut conn = self.pool.acquire().await?;
                    let stored = Self::load_record(&mut conn, guardian.id.0, false).await?;
                    drop(conn);
                    if stored.is_some() {
                        continue;
                    }
                    let state = begleitbuch_domain::record::RecordState::first_version(
                        begleitbuch_domain::record::RecordKind::Guardian,
                        guardian.id.0,
                        &guardian,
                    )
                    .map_err($crate::StoreError::Corrupt)?;
                    let provider = ProviderId(parse(&provider)?);
                    // Recorded by the guardian's own id: nobody entered it, the upgrade carried it over.
                    self.import_states(provider, begleitbuch_domain::ids::UserId(guardian.id.0), &[state], now).await?;
                }
                Ok(())
            }

            /// Records `parent`'s account as a guardian of `child`: their guardian record (the
            /// account's id and name) lists the child.
            pub(crate) async fn link_parent_account(
                &self,
                parent: begleitbuch_domain::ids::UserId,
                child: begleitbuch_domain::ids::ChildId,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                use begleitbuch_domain::guardian::Guardian;
                use begleitbuch_domain::record::{RecordKind, RecordState};
                let (provider, name): (String, String) =
                    sqlx::query_as("SELECT provider_id, display_name FROM users WHERE id = $1")
                        .bind(parent.to_string())
                        .fetch_optional(&self.pool)
                        .await?
                        .ok_or_else(|| $crate::StoreError::Corrupt(format!("no account {parent}")))?;
                let mut conn = self.pool.acquire().await?;
                let stored = Self::load_record(&mut conn, parent.0, false).await?;
                drop(conn);
                let mut guardian = stored
                    .as_ref()
                    .and_then(|stored| stored.state.decode::<Guardian>())
                    .unwrap_or(Guardian {
                        id: begleitbuch_domain::ids::GuardianId(parent.0),
                        name,
                        contact: String::new(),
                        children: Default::default(),
                    });
                guardian.children.insert(child);
                let mut state = RecordState::first_version(RecordKind::Guardian, parent.0, &guardian)
                    .map_err($crate::StoreError::Corrupt)?;
                state.version += stored.map_or(0, |stored| stored.state.version);
                let provider = begleitbuch_domain::ids::ProviderId($crate::accounts::parse_uuid(&provider)?);
                self.import_states(provider, parent, &[state], now).await
            }

            /// Strips every deleted record to its tombstone, a page of ids at a time.
            async fn strip_tombstones(&self) -> Result<(), $crate::StoreError> {
                let mut after = String::new();
                loop {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "SELECT id, state FROM records WHERE deleted AND id > $1 ORDER BY id LIMIT 500",
                    )
                    .bind(&after)
                    .fetch_all(&self.pool)
                    .await?;
                    let Some((last, _)) = rows.last() else { return Ok(()) };
                    after = last.clone();
                    let mut tx = self.pool.begin().await?;
                    for (id, state) in &rows {
                        let mut state: begleitbuch_domain::record::RecordState = serde_json::from_str(state)
                            .map_err(|e| $crate::StoreError::Corrupt(format!("record {id}: {e}")))?;
                        begleitbuch_domain::shape::keep_only_what_a_tombstone_needs(&mut state);
                        sqlx::query("UPDATE records SET state = $1 WHERE id = $2")
                            .bind($crate::records::to_json(&state)?)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                }
            }

            pub(crate) async fn redact_answers(&self, before: i64, limit: u32) -> Result<u64, $crate::StoreError> {
                let rows: Vec<(String, i64, String)> = sqlx::query_as(
                    "SELECT device_id, number, mutation FROM applied_mutations \
                     WHERE NOT redacted AND received_at < $1 ORDER BY received_at LIMIT $2",
                )
                .bind(before)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                let mut tx = self.pool.begin().await?;
                for (device, number, mutation) in &rows {
                    let mutation: begleitbuch_domain::protocol::Mutation = serde_json::from_str(mutation)
                        .map_err(|e| $crate::StoreError::Corrupt(format!("logged mutation: {e}")))?;
                    // The fingerprint is kept (made now for entries logged before fingerprints were).
                    sqlx::query(
                        "UPDATE applied_mutations SET mutation = $1, redacted = TRUE, \
                         fingerprint = COALESCE(fingerprint, $2) WHERE device_id = $3 AND number = $4",
                    )
                    .bind($crate::records::redacted(&mutation).to_string())
                    .bind($crate::records::fingerprint(&mutation)?)
                    .bind(device)
                    .bind(number)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(rows.len() as u64)
            }

            pub(crate) async fn provider_records(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                kinds: &[begleitbuch_domain::record::RecordKind],
                from: Option<chrono::NaiveDate>,
            ) -> Result<Vec<$crate::StoredRecord>, $crate::StoreError> {
                if kinds.is_empty() {
                    return Ok(Vec::new());
                }
                let mut query = sqlx::QueryBuilder::<$db>::new(
                    "SELECT provider_id, pool_id, state FROM records WHERE NOT deleted AND provider_id = ",
                );
                query.push_bind(provider.to_string()).push(" AND kind IN (");
                let mut list = query.separated(", ");
                for kind in kinds {
                    list.push_bind(kind.code());
                }
                query.push(")");
                if let Some(from) = from {
                    // ISO days compare as text.
                    query.push(" AND last_day >= ").push_bind(from.to_string());
                }
                query.push(" ORDER BY id");
                let rows: Vec<(String, Option<String>, String)> = query.build_query_as().fetch_all(&self.pool).await?;
                rows.iter()
                    .map(|(provider, pool, state)| $crate::records::stored_from_row(provider, pool.as_deref(), state))
                    .collect()
            }

            pub(crate) async fn stored_record(
                &self,
                id: uuid::Uuid,
            ) -> Result<Option<$crate::StoredRecord>, $crate::StoreError> {
                let mut conn = self.pool.acquire().await?;
                Self::load_record(&mut conn, id, false).await
            }

            pub(crate) async fn import_states(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                by: begleitbuch_domain::ids::UserId,
                states: &[begleitbuch_domain::record::RecordState],
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let mut counters = $crate::records::Counters::default();
                for state in states {
                    begleitbuch_domain::shape::check_record(state)
                        .map_err(|reason| $crate::StoreError::Corrupt(format!("imported {} {}: {reason:?}", state.kind.code(), state.id)))?;
                    let mut facts = begleitbuch_domain::facts::facts(state);
                    if let (None, Some(child)) = (facts.pool, facts.child) {
                        facts.pool = Self::child_pool(&mut tx, child).await?;
                    }
                    let exists = Self::load_record(&mut tx, state.id, true).await?.is_some();
                    let change_number = match facts.pool {
                        Some(pool) => Some(Self::next_change_number(&mut tx, &mut counters, pool).await?),
                        None => None,
                    };
                    let record = $crate::StoredRecord { provider, pool: facts.pool, state: state.clone() };
                    Self::write_record(&mut tx, &record, &facts, change_number, by, now, !exists).await?;
                    if let (Some(pool), Some(number)) = (facts.pool, change_number) {
                        counters.used(pool, number);
                    }
                }
                Self::store_counters(&mut tx, &counters).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_records;
