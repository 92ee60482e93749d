//! Keeping nothing longer than it is needed: the answer log's payloads are redacted once no device
//! may send their mutations again (`begleitbuch_store::ANSWER_LOG_PAYLOAD_DAYS`).

use std::sync::Arc;
use std::time::Duration;

use begleitbuch_store::Store;

use crate::clock::Clock;

/// Entries redacted per statement batch: small enough not to hold the database for long.
const BATCH: u32 = 500;

/// Redacts what is due now, then every hour, for as long as the server runs. A failure is logged
/// and tried again at the next hour: redaction is housekeeping and never stops the server.
pub async fn redact_answer_log_hourly(store: Arc<dyn Store>, clock: Clock) {
    let mut hourly = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        hourly.tick().await;
        if let Err(error) = redact_due(store.as_ref(), clock).await {
            tracing::error!(%error, "redacting the answer log failed; trying again in an hour");
        }
    }
}

/// Redacts every entry older than the retention period; returns how many.
pub async fn redact_due(store: &dyn Store, clock: Clock) -> Result<u64, begleitbuch_store::StoreError> {
    let before = clock.now_millis() - begleitbuch_store::ANSWER_LOG_PAYLOAD_DAYS * 24 * 60 * 60 * 1000;
    let mut total = 0;
    loop {
        let redacted = store.redact_answer_log(before, BATCH).await?;
        total += redacted;
        if redacted < u64::from(BATCH) {
            return Ok(total);
        }
    }
}
