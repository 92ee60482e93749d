//! Sync on the server: push, pull, scopes and imports, as one SQL body for SQLite and PostgreSQL (the
//! same approach as `sql.rs`). What differs is passed in: the statement that opens a writing
//! transaction (SQLite takes the write lock at once with `BEGIN IMMEDIATE`, so two pushes never fail on
//! upgrading a read lock) and the row lock on a record read for update (`FOR UPDATE` on PostgreSQL, where
//! two pushes to one record could otherwise both apply to the same version; SQLite needs none, since
//! its writers are serialised).

macro_rules! impl_records {
    ($store:ty, $db:ty, $begin:expr, $for_update:expr) => {
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
                    let linked: Vec<(String,)> = sqlx::query_as("SELECT child_id FROM guardians WHERE parent_id = $1")
                        .bind(user.id.to_string())
                        .fetch_all(&self.pool)
                        .await?;
                    children = ids(linked)?.into_iter().map(ChildId).collect();
                    sqlx::query_as(
                        "SELECT DISTINCT r.pool_id FROM guardians g JOIN records r ON r.id = g.child_id \
                         WHERE g.parent_id = $1 AND r.kind = 'child' AND NOT r.deleted AND r.pool_id IS NOT NULL",
                    )
                    .bind(user.id.to_string())
                    .fetch_all(&self.pool)
                    .await?
                } else {
                    // Their pools, and the pools they cover today (a cover grant is a record whose subject
                    // is the covering companion).
                    sqlx::query_as(
                        "SELECT pool_id FROM pool_members WHERE user_id = $1 \
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

            pub(crate) async fn push_mutations(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                device: begleitbuch_domain::ids::DeviceId,
                mutations: &[begleitbuch_domain::sync::Mutation],
                now: i64,
            ) -> Result<Vec<begleitbuch_domain::sync::PushResult>, $crate::StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                let mut results = Vec::with_capacity(mutations.len());
                for mutation in mutations {
                    // A savepoint per mutation: a database error in one (say, two tablets creating the
                    // same record at once) undoes only that one, and what came before still commits.
                    // The device keeps every mutation without an answer and sends it again.
                    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
                    match Self::push_one(&mut savepoint, scope, device, mutation, now).await {
                        Ok(outcome) => {
                            savepoint.commit().await?;
                            results.push(begleitbuch_domain::sync::PushResult { number: mutation.number, outcome });
                        }
                        Err(error) if results.is_empty() => return Err(error),
                        Err(_) => {
                            savepoint.rollback().await?;
                            break;
                        }
                    }
                }
                tx.commit().await?;
                Ok(results)
            }

            async fn push_one(
                conn: &mut <$db as sqlx::Database>::Connection,
                scope: &begleitbuch_domain::access::Scope,
                device: begleitbuch_domain::ids::DeviceId,
                mutation: &begleitbuch_domain::sync::Mutation,
                now: i64,
            ) -> Result<begleitbuch_domain::sync::Outcome, $crate::StoreError> {
                use begleitbuch_domain::sync::{apply, replay, ApplyContext, Change, Outcome, RejectReason};
                if let Some(outcome) = $crate::records::precheck(scope, device, mutation) {
                    return Ok(outcome);
                }
                let answered: Option<(String,)> =
                    sqlx::query_as("SELECT outcome FROM applied_mutations WHERE device_id = $1 AND number = $2")
                        .bind(device.to_string())
                        .bind(mutation.number as i64)
                        .fetch_optional(&mut *conn)
                        .await?;
                if let Some((outcome,)) = answered {
                    return $crate::records::outcome_from_json(&outcome);
                }
                let current = Self::load_record(&mut *conn, mutation.record, true).await?;
                let outcome = 'decide: {
                    if let Some(current) = &current {
                        let deleting = matches!(mutation.change, Change::Delete);
                        if !$crate::records::may_change(scope, current, deleting) {
                            break 'decide Outcome::Rejected(RejectReason::Forbidden);
                        }
                    }
                    // The weeks the change touches, before and after, and which of them are approved.
                    let provisional = replay(current.as_ref().map(|c| &c.state), std::slice::from_ref(mutation));
                    let mut weeks = current.as_ref().map(|c| c.facts().weeks()).unwrap_or_default();
                    weeks.extend(provisional.iter().flat_map(|p| begleitbuch_domain::facts::facts(p).weeks()));
                    let context = ApplyContext { locked_weeks: Self::locked_weeks(&mut *conn, &weeks).await? };
                    let (outcome, next) = apply(current.as_ref().map(|c| &c.state), mutation, &context);
                    let Some(next) = next else { break 'decide outcome };
                    let mut facts = begleitbuch_domain::facts::facts(&next);
                    if let (None, Some(child)) = (facts.pool, facts.child) {
                        facts.pool = Self::child_pool(&mut *conn, child).await?;
                    }
                    if let Err(reason) = $crate::records::may_store(scope, current.as_ref(), &facts, mutation.kind) {
                        break 'decide Outcome::Rejected(reason);
                    }
                    let provider = current.as_ref().map_or(scope.provider, |c| c.provider);
                    Self::write_record(&mut *conn, provider, &next, &facts, scope.user, now, current.is_none()).await?;
                    outcome
                };
                sqlx::query(
                    "INSERT INTO applied_mutations (device_id, number, user_id, record_id, mutation, outcome, received_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(device.to_string())
                .bind(mutation.number as i64)
                .bind(scope.user.to_string())
                .bind(mutation.record.to_string())
                .bind($crate::records::to_json(mutation)?)
                .bind($crate::records::to_json(&outcome)?)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                Ok(outcome)
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

            async fn locked_weeks(
                conn: &mut <$db as sqlx::Database>::Connection,
                weeks: &std::collections::BTreeSet<begleitbuch_domain::calendar::Week>,
            ) -> Result<
                std::collections::BTreeSet<(begleitbuch_domain::ids::UserId, begleitbuch_domain::calendar::Week)>,
                $crate::StoreError,
            > {
                let mut locked = std::collections::BTreeSet::new();
                for week in weeks {
                    let rows: Vec<(Option<String>,)> = sqlx::query_as(
                        "SELECT subject_user FROM records WHERE lock_week = $1 AND kind = 'week_review' AND NOT deleted",
                    )
                    .bind(week.key())
                    .fetch_all(&mut *conn)
                    .await?;
                    for user in rows.into_iter().filter_map(|(user,)| user) {
                        let user = begleitbuch_domain::ids::UserId($crate::accounts::parse_uuid(&user)?);
                        locked.insert((user, *week));
                    }
                }
                Ok(locked)
            }

            /// Stores a record's new state with the pool's next change number.
            async fn write_record(
                conn: &mut <$db as sqlx::Database>::Connection,
                provider: begleitbuch_domain::ids::ProviderId,
                state: &begleitbuch_domain::sync::RecordState,
                facts: &begleitbuch_domain::facts::Facts,
                by: begleitbuch_domain::ids::UserId,
                now: i64,
                created: bool,
            ) -> Result<(), $crate::StoreError> {
                let change_number: Option<i64> = match facts.pool {
                    Some(pool) => {
                        let (number,): (i64,) = sqlx::query_as(
                            "INSERT INTO pool_changes (pool_id, last_change) VALUES ($1, 1) \
                             ON CONFLICT (pool_id) DO UPDATE SET last_change = pool_changes.last_change + 1 \
                             RETURNING last_change",
                        )
                        .bind(pool.to_string())
                        .fetch_one(&mut *conn)
                        .await?;
                        Some(number)
                    }
                    None => None,
                };
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
                    .bind(state.kind.as_str())
                    .bind(provider.to_string())
                    .bind(facts.pool.map(|p| p.to_string()))
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
                Ok(())
            }

            pub(crate) async fn pull_page(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                cursors: &[begleitbuch_domain::sync::Cursor],
                limit: u32,
            ) -> Result<begleitbuch_domain::sync::PullPage, $crate::StoreError> {
                use begleitbuch_domain::access::{permits, Operation};
                use begleitbuch_domain::sync::{Cursor, PullPage, PulledRecord};
                let epoch = $crate::Store::epoch(self).await?;
                let full_resync = cursors.iter().any(|c| c.epoch != epoch);
                let known: std::collections::BTreeMap<_, _> =
                    if full_resync { Default::default() } else { cursors.iter().map(|c| (c.pool, c.change)).collect() };
                let removed_pools: std::collections::BTreeSet<_> =
                    cursors.iter().map(|c| c.pool).filter(|p| !scope.pools.contains(p)).collect();
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
                            let readable = permits(scope, stored.state.kind, Operation::Read, stored.provider, &stored.facts());
                            let state = stored.state;
                            // What the user may not read arrives as a bare tombstone: a device that held
                            // it (an observation made internal, say) removes it, and nothing leaks.
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
                            last = change as u64;
                        }
                    }
                    page.cursors.push(Cursor { pool: *pool, epoch, change: last });
                }
                Ok(page)
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
                states: &[begleitbuch_domain::sync::RecordState],
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin_with($begin).await?;
                for state in states {
                    begleitbuch_domain::sync::check_record(state)
                        .map_err(|reason| $crate::StoreError::Corrupt(format!("imported {} {}: {reason:?}", state.kind.as_str(), state.id)))?;
                    let mut facts = begleitbuch_domain::facts::facts(state);
                    if let (None, Some(child)) = (facts.pool, facts.child) {
                        facts.pool = Self::child_pool(&mut tx, child).await?;
                    }
                    let exists = Self::load_record(&mut tx, state.id, true).await?.is_some();
                    Self::write_record(&mut tx, provider, state, &facts, by, now, !exists).await?;
                }
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_records;
