//! The [`Store`](crate::Store) implementation shared by SQLite and PostgreSQL.
//!
//! Both backends run the same SQL: `$n` placeholders, `ON CONFLICT`, `RETURNING`, text ids, BIGINT
//! milliseconds and booleans mean the same in both. The macro expands one body per pool type, so that
//! a query is written once and cannot drift between the backends; what differs (opening, pragmas,
//! migrations) lives in `sqlite.rs` and `postgres.rs`.

macro_rules! impl_store {
    ($store:ty, $backend:expr) => {
        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> $crate::Backend {
                $backend
            }

            async fn ping(&self) -> Result<(), $crate::StoreError> {
                sqlx::query("SELECT 1").execute(&self.pool).await?;
                Ok(())
            }

            async fn epoch(&self) -> Result<uuid::Uuid, $crate::StoreError> {
                let (epoch,): (String,) =
                    sqlx::query_as("SELECT epoch FROM server_meta WHERE id = 1").fetch_one(&self.pool).await?;
                $crate::parse_epoch(&epoch)
            }

            async fn renew_epoch(&self) -> Result<uuid::Uuid, $crate::StoreError> {
                let (epoch, _) = $crate::new_epoch();
                sqlx::query("UPDATE server_meta SET epoch = $1 WHERE id = 1").bind(&epoch).execute(&self.pool).await?;
                $crate::parse_epoch(&epoch)
            }

            async fn backup(&self, target: &std::path::Path) -> Result<(), $crate::StoreError> {
                if target.exists() {
                    return Err($crate::StoreError::Backup(format!("{} exists already", target.display())));
                }
                self.backup_into(target).await
            }

            async fn create_provider(
                &self,
                id: begleitbuch_domain::ids::ProviderId,
                name: &str,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("INSERT INTO providers (id, name, created_at) VALUES ($1, $2, $3)")
                    .bind(id.to_string())
                    .bind(name)
                    .bind(now)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| $crate::accounts::conflict_or(e, "provider"))?;
                Ok(())
            }

            async fn providers(&self) -> Result<Vec<(begleitbuch_domain::ids::ProviderId, String)>, $crate::StoreError> {
                let rows: Vec<(String, String)> =
                    sqlx::query_as("SELECT id, name FROM providers ORDER BY created_at, id")
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(id, name)| Ok((begleitbuch_domain::ids::ProviderId($crate::accounts::parse_uuid(&id)?), name)))
                    .collect()
            }

            async fn create_user(&self, user: &$crate::UserRecord, now: i64) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO users (id, provider_id, login, display_name, role, password_hash, \
                     must_change_password, disabled, created_at, password_changed_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
                )
                .bind(user.id.to_string())
                .bind(user.provider.to_string())
                .bind(&user.login)
                .bind(&user.display_name)
                .bind(user.role.code())
                .bind(&user.password_hash)
                .bind(user.must_change_password)
                .bind(user.disabled)
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::accounts::conflict_or(e, "login"))?;
                Ok(())
            }

            async fn user(
                &self,
                id: begleitbuch_domain::ids::UserId,
            ) -> Result<Option<$crate::UserRecord>, $crate::StoreError> {
                let query = format!("SELECT {} FROM users WHERE id = $1", $crate::accounts::USER_COLUMNS);
                let row: Option<$crate::accounts::UserRow> =
                    sqlx::query_as(&query).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map($crate::accounts::user_from_row).transpose()
            }

            async fn user_by_login(&self, login: &str) -> Result<Option<$crate::UserRecord>, $crate::StoreError> {
                let query = format!("SELECT {} FROM users WHERE login = $1", $crate::accounts::USER_COLUMNS);
                let row: Option<$crate::accounts::UserRow> =
                    sqlx::query_as(&query).bind(login).fetch_optional(&self.pool).await?;
                row.map($crate::accounts::user_from_row).transpose()
            }

            async fn set_password(
                &self,
                user: begleitbuch_domain::ids::UserId,
                password_hash: &str,
                must_change: bool,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3 \
                     WHERE id = $4",
                )
                .bind(password_hash)
                .bind(must_change)
                .bind(now)
                .bind(user.to_string())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn people(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
            ) -> Result<Vec<$crate::Person>, $crate::StoreError> {
                let query = format!(
                    "SELECT {}, last_active_at FROM users WHERE provider_id = $1 ORDER BY display_name, login",
                    $crate::accounts::USER_COLUMNS
                );
                let rows: Vec<$crate::accounts::PersonRow> =
                    sqlx::query_as(&query).bind(provider.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::accounts::person_from_row).collect()
            }

            async fn touch_user(
                &self,
                user: begleitbuch_domain::ids::UserId,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "UPDATE users SET last_active_at = $1 WHERE id = $2 \
                     AND (last_active_at IS NULL OR last_active_at < $1)",
                )
                .bind(now)
                .bind(user.to_string())
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn set_disabled(
                &self,
                user: begleitbuch_domain::ids::UserId,
                disabled: bool,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(disabled)
                    .bind(user.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn register_device(
                &self,
                id: begleitbuch_domain::ids::DeviceId,
                provider: begleitbuch_domain::ids::ProviderId,
                label: &str,
                secret_hash: &str,
                now: i64,
            ) -> Result<$crate::DeviceRecord, $crate::StoreError> {
                // A known device keeps its provider, revocation and secret; only its label and last
                // contact change.
                sqlx::query(
                    "INSERT INTO devices (id, provider_id, label, created_at, last_seen_at, secret_hash) \
                     VALUES ($1, $2, $3, $4, $4, $5) \
                     ON CONFLICT (id) DO UPDATE SET label = excluded.label, last_seen_at = excluded.last_seen_at, \
                     secret_hash = COALESCE(devices.secret_hash, excluded.secret_hash)",
                )
                .bind(id.to_string())
                .bind(provider.to_string())
                .bind(label)
                .bind(now)
                .bind(secret_hash)
                .execute(&self.pool)
                .await?;
                self.device(id).await?.ok_or_else(|| $crate::StoreError::Corrupt("device vanished".into()))
            }

            async fn device(
                &self,
                id: begleitbuch_domain::ids::DeviceId,
            ) -> Result<Option<$crate::DeviceRecord>, $crate::StoreError> {
                let query = format!("SELECT {} FROM devices WHERE id = $1", $crate::accounts::DEVICE_COLUMNS);
                let row: Option<$crate::accounts::DeviceRow> =
                    sqlx::query_as(&query).bind(id.to_string()).fetch_optional(&self.pool).await?;
                row.map($crate::accounts::device_from_row).transpose()
            }

            async fn devices(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
            ) -> Result<Vec<$crate::DeviceRecord>, $crate::StoreError> {
                let query = format!(
                    "SELECT {} FROM devices WHERE provider_id = $1 ORDER BY label, id",
                    $crate::accounts::DEVICE_COLUMNS
                );
                let rows: Vec<$crate::accounts::DeviceRow> =
                    sqlx::query_as(&query).bind(provider.to_string()).fetch_all(&self.pool).await?;
                rows.into_iter().map($crate::accounts::device_from_row).collect()
            }

            async fn signed_in_on(
                &self,
                device: begleitbuch_domain::ids::DeviceId,
            ) -> Result<Vec<(begleitbuch_domain::ids::UserId, begleitbuch_domain::people::Role)>, $crate::StoreError> {
                let rows: Vec<(String, String)> = sqlx::query_as(
                    "SELECT u.id, u.role FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE t.device_id = $1",
                )
                .bind(device.to_string())
                .fetch_all(&self.pool)
                .await?;
                rows.iter()
                    .map(|(id, role)| {
                        Ok((
                            begleitbuch_domain::ids::UserId($crate::accounts::parse_uuid(id)?),
                            $crate::accounts::parse_role(role)?,
                        ))
                    })
                    .collect()
            }

            async fn touch_device(
                &self,
                id: begleitbuch_domain::ids::DeviceId,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE devices SET last_seen_at = $1 WHERE id = $2 AND last_seen_at < $1")
                    .bind(now)
                    .bind(id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn report_holding(
                &self,
                device: begleitbuch_domain::ids::DeviceId,
                user: begleitbuch_domain::ids::UserId,
                holding: &begleitbuch_domain::protocol::Holding,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO device_reports (device_id, user_id, unsent, unresolved, oldest_at, app_version, reported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (device_id, user_id) DO UPDATE SET unsent = excluded.unsent, \
                     unresolved = excluded.unresolved, oldest_at = excluded.oldest_at, \
                     app_version = excluded.app_version, reported_at = excluded.reported_at",
                )
                .bind(device.to_string())
                .bind(user.to_string())
                .bind(i64::from(holding.unsent))
                .bind(i64::from(holding.unresolved))
                .bind(holding.oldest_at)
                .bind(&holding.app_version)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn tablet_people(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
            ) -> Result<Vec<(begleitbuch_domain::ids::DeviceId, begleitbuch_domain::account::TabletPerson)>, $crate::StoreError> {
                let rows: Vec<$crate::accounts::TabletPersonRow> = sqlx::query_as(
                    "SELECT d.id, u.id, u.display_name, t.user_id IS NOT NULL, \
                     r.unsent, r.unresolved, r.oldest_at, r.app_version, r.reported_at \
                     FROM devices d \
                     JOIN (SELECT device_id, user_id FROM refresh_tokens \
                           UNION SELECT device_id, user_id FROM device_reports) p ON p.device_id = d.id \
                     JOIN users u ON u.id = p.user_id \
                     LEFT JOIN refresh_tokens t ON t.device_id = d.id AND t.user_id = u.id \
                     LEFT JOIN device_reports r ON r.device_id = d.id AND r.user_id = u.id \
                     WHERE d.provider_id = $1 ORDER BY u.display_name, u.id",
                )
                .bind(provider.to_string())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::accounts::tablet_person_from_row).collect()
            }

            async fn revoke_device(
                &self,
                id: begleitbuch_domain::ids::DeviceId,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn store_refresh_token(
                &self,
                grant: $crate::TokenGrant,
                token_hash: &str,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO refresh_tokens (user_id, device_id, token_hash, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (user_id, device_id) DO UPDATE SET token_hash = excluded.token_hash, \
                     created_at = excluded.created_at, expires_at = excluded.expires_at, \
                     previous_hash = NULL, previous_until = NULL",
                )
                .bind(grant.user.to_string())
                .bind(grant.device.to_string())
                .bind(token_hash)
                .bind(now)
                .bind(grant.expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn refresh_token(&self, token_hash: &str) -> Result<Option<$crate::TokenGrant>, $crate::StoreError> {
                let row: Option<(String, String, i64)> = sqlx::query_as(
                    "SELECT user_id, device_id, expires_at FROM refresh_tokens WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::accounts::grant_from_row).transpose()
            }

            async fn rotate_refresh_token(
                &self,
                presented_hash: &str,
                new_hash: &str,
                now: i64,
                grace_until: i64,
                expires_at: i64,
            ) -> Result<$crate::Rotation, $crate::StoreError> {
                // Conditional updates instead of read-then-write: of two requests with the same token
                // at once, one rotates it and the other finds it as the previous one.
                let current: Option<(String, String, i64)> = sqlx::query_as(
                    "UPDATE refresh_tokens SET previous_hash = token_hash, previous_until = $1, \
                     token_hash = $2, expires_at = $3 WHERE token_hash = $4 AND expires_at > $5 \
                     RETURNING user_id, device_id, expires_at",
                )
                .bind(grace_until)
                .bind(new_hash)
                .bind(expires_at)
                .bind(presented_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                if let Some(row) = current {
                    return Ok($crate::Rotation::Rotated($crate::accounts::grant_from_row(row)?));
                }
                // Within the grace window the previous token rotates again; the window does not move.
                let previous: Option<(String, String, i64)> = sqlx::query_as(
                    "UPDATE refresh_tokens SET token_hash = $1, expires_at = $2 \
                     WHERE previous_hash = $3 AND previous_until >= $4 \
                     RETURNING user_id, device_id, expires_at",
                )
                .bind(new_hash)
                .bind(expires_at)
                .bind(presented_hash)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                if let Some(row) = previous {
                    return Ok($crate::Rotation::Rotated($crate::accounts::grant_from_row(row)?));
                }
                let reused: Option<(String, String, i64)> = sqlx::query_as(
                    "SELECT user_id, device_id, expires_at FROM refresh_tokens WHERE previous_hash = $1",
                )
                .bind(presented_hash)
                .fetch_optional(&self.pool)
                .await?;
                let Some(row) = reused else { return Ok($crate::Rotation::Unknown) };
                let grant = $crate::accounts::grant_from_row(row)?;
                let mut tx = self.pool.begin().await?;
                for table in ["refresh_tokens", "access_tokens"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1 AND device_id = $2"))
                        .bind(grant.user.to_string())
                        .bind(grant.device.to_string())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok($crate::Rotation::Reused(grant))
            }

            async fn store_access_token(
                &self,
                grant: $crate::TokenGrant,
                token_hash: &str,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                // Expired tokens are cleared as new ones are made, so the table stays small.
                sqlx::query("DELETE FROM access_tokens WHERE expires_at < $1").bind(now).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO access_tokens (token_hash, user_id, device_id, expires_at) VALUES ($1, $2, $3, $4)")
                    .bind(token_hash)
                    .bind(grant.user.to_string())
                    .bind(grant.device.to_string())
                    .bind(grant.expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn access_token(&self, token_hash: &str) -> Result<Option<$crate::TokenGrant>, $crate::StoreError> {
                let row: Option<(String, String, i64)> = sqlx::query_as(
                    "SELECT user_id, device_id, expires_at FROM access_tokens WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map($crate::accounts::grant_from_row).transpose()
            }

            async fn revoke_user_tokens(
                &self,
                user: begleitbuch_domain::ids::UserId,
                keep: Option<$crate::Holder<'_>>,
            ) -> Result<(), $crate::StoreError> {
                // No device id or token hash is empty: with none kept, everything goes.
                let (keep_device, keep_browser) = match keep {
                    Some($crate::Holder::Device(device)) => (device.to_string(), String::new()),
                    Some($crate::Holder::Browser(hash)) => (String::new(), hash.to_owned()),
                    None => (String::new(), String::new()),
                };
                let mut tx = self.pool.begin().await?;
                for table in ["refresh_tokens", "access_tokens"] {
                    sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1 AND device_id <> $2"))
                        .bind(user.to_string())
                        .bind(&keep_device)
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("DELETE FROM browser_sign_ins WHERE user_id = $1 AND token_hash <> $2")
                    .bind(user.to_string())
                    .bind(&keep_browser)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn store_browser_sign_in(
                &self,
                sign_in: &$crate::BrowserSignIn,
                token_hash: &str,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM browser_sign_ins WHERE ends_at < $1").bind(now).execute(&mut *tx).await?;
                sqlx::query(
                    "INSERT INTO browser_sign_ins (token_hash, user_id, way, created_at, last_seen_at, ends_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(token_hash)
                .bind(sign_in.user.to_string())
                .bind(sign_in.way.code())
                .bind(now)
                .bind(sign_in.last_seen_at)
                .bind(sign_in.ends_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn browser_sign_in(
                &self,
                token_hash: &str,
            ) -> Result<Option<$crate::BrowserSignIn>, $crate::StoreError> {
                let row: Option<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT user_id, way, last_seen_at, ends_at FROM browser_sign_ins WHERE token_hash = $1",
                )
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
                row.map(|(user, way, last_seen_at, ends_at)| {
                    Ok($crate::BrowserSignIn {
                        user: begleitbuch_domain::ids::UserId($crate::accounts::parse_uuid(&user)?),
                        way: $crate::accounts::parse_way(&way)?,
                        last_seen_at,
                        ends_at,
                    })
                })
                .transpose()
            }

            async fn touch_browser_sign_in(&self, token_hash: &str, now: i64) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE browser_sign_ins SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn end_browser_sign_in(&self, token_hash: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM browser_sign_ins WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn create_institution(
                &self,
                institution: &begleitbuch_domain::org::Institution,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO institutions (id, provider_id, name, kind, region, year_levels, day_care_groups, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(institution.id.to_string())
                .bind(institution.provider.to_string())
                .bind(&institution.name)
                .bind(institution.kind.code())
                .bind(&institution.region)
                .bind($crate::organisation::year_levels_column(&institution.year_levels))
                .bind($crate::organisation::groups_column(&institution.groups))
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| $crate::accounts::conflict_or(e, "institution"))?;
                for (school_year, fte) in &institution.fte {
                    sqlx::query(
                        "INSERT INTO institution_fte (institution_id, school_year, fte_hundredths) VALUES ($1, $2, $3)",
                    )
                    .bind(institution.id.to_string())
                    .bind(i64::from(*school_year))
                    .bind(i64::from(fte.0))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn institutions(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
            ) -> Result<Vec<begleitbuch_domain::org::Institution>, $crate::StoreError> {
                let rows: Vec<$crate::organisation::InstitutionRow> = sqlx::query_as(
                    "SELECT id, provider_id, name, kind, region, year_levels, day_care_groups FROM institutions \
                     WHERE provider_id = $1 ORDER BY region, name",
                )
                .bind(provider.to_string())
                .fetch_all(&self.pool)
                .await?;
                let allocations: Vec<(String, i64, i64)> = sqlx::query_as(
                    "SELECT f.institution_id, f.school_year, f.fte_hundredths FROM institution_fte f \
                     JOIN institutions i ON i.id = f.institution_id WHERE i.provider_id = $1",
                )
                .bind(provider.to_string())
                .fetch_all(&self.pool)
                .await?;
                $crate::organisation::institutions_from_rows(rows, allocations)
            }

            async fn update_institution(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                id: begleitbuch_domain::ids::InstitutionId,
                details: &begleitbuch_domain::org::InstitutionDetails,
            ) -> Result<bool, $crate::StoreError> {
                let updated = sqlx::query(
                    "UPDATE institutions SET name = $1, kind = $2, region = $3, year_levels = $4, day_care_groups = $5 \
                     WHERE id = $6 AND provider_id = $7",
                )
                .bind(&details.name)
                .bind(details.kind.code())
                .bind(&details.region)
                .bind($crate::organisation::year_levels_column(&details.year_levels))
                .bind($crate::organisation::groups_column(&details.groups))
                .bind(id.to_string())
                .bind(provider.to_string())
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::accounts::conflict_or(e, "institution"))?;
                Ok(updated.rows_affected() == 1)
            }

            async fn import_allocation(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                school_year: i32,
                lines: &[begleitbuch_domain::org::PlannedLine],
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.pool.begin().await?;
                for line in lines {
                    let row = &line.row;
                    let (id,): (String,) = sqlx::query_as(
                        "INSERT INTO institutions (id, provider_id, name, kind, region, year_levels, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) \
                         ON CONFLICT (provider_id, name) DO UPDATE SET region = excluded.region, \
                         year_levels = excluded.year_levels RETURNING id",
                    )
                    .bind(uuid::Uuid::now_v7().to_string())
                    .bind(provider.to_string())
                    .bind(&row.school)
                    .bind(begleitbuch_domain::org::InstitutionKind::School.code())
                    .bind(&row.region)
                    .bind($crate::organisation::year_levels_column(&line.year_levels))
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO institution_fte (institution_id, school_year, fte_hundredths) VALUES ($1, $2, $3) \
                         ON CONFLICT (institution_id, school_year) DO UPDATE SET fte_hundredths = excluded.fte_hundredths",
                    )
                    .bind(id)
                    .bind(i64::from(school_year))
                    .bind(i64::from(row.fte.0))
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn create_pool(
                &self,
                pool: begleitbuch_domain::ids::PoolId,
                provider: begleitbuch_domain::ids::ProviderId,
                institution: begleitbuch_domain::ids::InstitutionId,
                school_year: i32,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO pools (id, provider_id, institution_id, school_year, created_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(pool.to_string())
                .bind(provider.to_string())
                .bind(institution.to_string())
                .bind(i64::from(school_year))
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::accounts::conflict_or(e, "pool"))?;
                Ok(())
            }

            async fn pool(
                &self,
                id: begleitbuch_domain::ids::PoolId,
            ) -> Result<Option<$crate::PoolRecord>, $crate::StoreError> {
                let row: Option<(String, String, String, i64)> =
                    sqlx::query_as("SELECT id, provider_id, institution_id, school_year FROM pools WHERE id = $1")
                        .bind(id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                row.map($crate::organisation::pool_from_row).transpose()
            }

            async fn add_membership(
                &self,
                id: begleitbuch_domain::ids::MembershipId,
                new: &begleitbuch_domain::org::NewMembership,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query(
                    "INSERT INTO memberships (id, pool_id, user_id, contract_minutes_per_week, first_day, last_day, created_at) \
                     VALUES ($1, $2, $3, $4, $5, NULL, $6)",
                )
                .bind(id.to_string())
                .bind(new.pool.to_string())
                .bind(new.person.to_string())
                .bind(i64::from(new.contract_minutes_per_week))
                .bind(new.first_day.to_string())
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(|e| $crate::accounts::conflict_or(e, "membership"))?;
                Ok(())
            }

            async fn end_membership(
                &self,
                id: begleitbuch_domain::ids::MembershipId,
                last_day: chrono::NaiveDate,
            ) -> Result<(), $crate::StoreError> {
                sqlx::query("UPDATE memberships SET last_day = $1 WHERE id = $2 AND last_day IS NULL")
                    .bind(last_day.to_string())
                    .bind(id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn memberships(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
            ) -> Result<Vec<begleitbuch_domain::org::Membership>, $crate::StoreError> {
                let rows: Vec<$crate::organisation::MembershipRow> = sqlx::query_as(
                    "SELECT m.id, m.pool_id, m.user_id, u.display_name, u.role, m.contract_minutes_per_week, m.first_day, m.last_day \
                     FROM memberships m JOIN pools p ON p.id = m.pool_id JOIN users u ON u.id = m.user_id \
                     WHERE p.provider_id = $1 ORDER BY m.pool_id, u.display_name, m.first_day, m.id",
                )
                .bind(provider.to_string())
                .fetch_all(&self.pool)
                .await?;
                rows.into_iter().map($crate::organisation::membership_from_row).collect()
            }

            async fn pool_directory(
                &self,
                pools: &std::collections::BTreeSet<begleitbuch_domain::ids::PoolId>,
                today: chrono::NaiveDate,
            ) -> Result<Vec<begleitbuch_domain::org::PoolDirectory>, $crate::StoreError> {
                self.pool_directory_of(pools, today).await
            }

            async fn scope(
                &self,
                user: &$crate::UserRecord,
                today: chrono::NaiveDate,
            ) -> Result<begleitbuch_domain::access::Scope, $crate::StoreError> {
                self.scope_of(user, today).await
            }

            async fn push(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                writer: $crate::Writer,
                mutations: &[begleitbuch_domain::protocol::Mutation],
                now: i64,
            ) -> Result<Vec<begleitbuch_domain::protocol::PushResult>, $crate::StoreError> {
                self.push_mutations(scope, writer, mutations, now).await
            }

            async fn pull(
                &self,
                scope: &begleitbuch_domain::access::Scope,
                cursors: &[begleitbuch_domain::protocol::Cursor],
                limit: u32,
            ) -> Result<begleitbuch_domain::protocol::PullPage, $crate::StoreError> {
                self.pull_page(scope, cursors, limit).await
            }

            async fn run_pending_tasks(&self, now: i64) -> Result<Vec<String>, $crate::StoreError> {
                self.pending_tasks(now).await
            }

            async fn redact_answer_log(&self, before: i64, limit: u32) -> Result<u64, $crate::StoreError> {
                self.redact_answers(before, limit).await
            }

            async fn provider_records(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                kinds: &[begleitbuch_domain::record::RecordKind],
                from: Option<chrono::NaiveDate>,
            ) -> Result<Vec<$crate::StoredRecord>, $crate::StoreError> {
                self.provider_records(provider, kinds, from).await
            }

            async fn record(&self, id: uuid::Uuid) -> Result<Option<$crate::StoredRecord>, $crate::StoreError> {
                self.stored_record(id).await
            }

            async fn import_records(
                &self,
                provider: begleitbuch_domain::ids::ProviderId,
                by: begleitbuch_domain::ids::UserId,
                records: &[begleitbuch_domain::record::RecordState],
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                self.import_states(provider, by, records, now).await
            }

            async fn link_parent(
                &self,
                parent: begleitbuch_domain::ids::UserId,
                child: begleitbuch_domain::ids::ChildId,
                now: i64,
            ) -> Result<(), $crate::StoreError> {
                self.link_parent_account(parent, child, now).await
            }

            async fn begin_sign_in_attempt(
                &self,
                attempt: uuid::Uuid,
                subjects: &[&str],
                now: i64,
                since: i64,
            ) -> Result<Vec<u32>, $crate::StoreError> {
                sqlx::query("DELETE FROM sign_in_failures WHERE at < $1").bind(since).execute(&self.pool).await?;
                // Committed one by one, outside a transaction: see the trait's documentation.
                for subject in subjects {
                    sqlx::query("INSERT INTO sign_in_failures (subject, at, attempt) VALUES ($1, $2, $3)")
                        .bind(*subject)
                        .bind(now)
                        .bind(attempt.to_string())
                        .execute(&self.pool)
                        .await?;
                }
                let mut counts = Vec::with_capacity(subjects.len());
                for subject in subjects {
                    let (count,): (i64,) =
                        sqlx::query_as("SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND at >= $2")
                            .bind(*subject)
                            .bind(since)
                            .fetch_one(&self.pool)
                            .await?;
                    counts.push(u32::try_from(count).unwrap_or(u32::MAX));
                }
                Ok(counts)
            }

            async fn forget_sign_in_attempt(&self, attempt: uuid::Uuid) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM sign_in_failures WHERE attempt = $1")
                    .bind(attempt.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn clear_sign_in_failures(&self, subject: &str) -> Result<(), $crate::StoreError> {
                sqlx::query("DELETE FROM sign_in_failures WHERE subject = $1").bind(subject).execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}

pub(crate) use impl_store;
