//! The delivery worker: claims due events from the outbox, sends each to its notification's endpoint, and
//! settles the attempt (sent, retried later with backoff, or failed).

use std::time::Duration;

use chrono::{DateTime, Utc};
use netlicensing_core::RepoError;
use sea_orm::DatabaseConnection;
use tokio::sync::watch;

use super::{Settings, guard::GuardedResolver, sign};
use crate::db::outbox::{self, Claimed, Outcome};

/// The `User-Agent` of webhook requests.
pub const USER_AGENT: &str = concat!("netlicensing-rs/", env!("CARGO_PKG_VERSION"), " (webhook)");

/// Why the worker could not start.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The HTTP client could not be built.
    #[error("cannot build the webhook HTTP client")]
    Client(#[source] reqwest::Error),
}

/// The worker over a database.
pub struct Worker {
    db: DatabaseConnection,
    client: reqwest::Client,
    settings: Settings,
}

impl Worker {
    /// A worker sending with these settings.
    pub fn new(db: DatabaseConnection, settings: Settings) -> Result<Self, WorkerError> {
        let client = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(GuardedResolver::shared(settings.policy))
            .build()
            .map_err(WorkerError::Client)?;
        Ok(Self { db, client, settings })
    }

    /// Runs until `stop` turns true; the batch in flight then completes (each request bounded by the timeout).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                break;
            }
            let worked = match self.round().await {
                Ok(count) => count > 0,
                Err(error) => {
                    tracing::warn!(error = %error, "webhook delivery: the outbox cannot be read");
                    false
                }
            };
            if !worked {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.poll) => {}
                    _ = stop.changed() => {}
                }
            }
        }
    }

    /// Claims one batch and sends it; returns how many events it handled.
    pub async fn round(&self) -> Result<usize, RepoError> {
        let claimed = outbox::claim(&self.db, Utc::now(), self.settings.lease(), self.settings.batch).await?;
        let count = claimed.len();
        let sends = claimed.into_iter().map(|event| async move {
            let outcome = self.attempt(&event).await;
            if let Err(error) = outbox::settle(&self.db, event.id, &outcome).await {
                // The lease runs out and the event is sent again (at least once).
                tracing::warn!(error = %error, event = %event.event_id, "webhook delivery: cannot record the attempt");
            }
        });
        futures_util::future::join_all(sends).await;
        Ok(count)
    }

    /// One attempt of a claimed event.
    async fn attempt(&self, event: &Claimed) -> Outcome {
        let target = match outbox::target(&self.db, event.vendor, event.notification).await {
            Ok(Some(target)) => target,
            Ok(None) => return Outcome::Failed("the notification was deleted".into()),
            Err(error) => return self.retry(event, format!("cannot read the notification: {error}")),
        };
        if !target.active {
            return Outcome::Failed("the notification is inactive".into());
        }
        let url = match self.settings.policy.url(&target.endpoint) {
            Ok((url, _)) => url,
            Err(refused) => return self.retry(event, format!("endpoint refused: {refused}")),
        };
        let timestamp = Utc::now().timestamp();
        let mut request = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(sign::ID, &event.event_id)
            .header(sign::TIMESTAMP, timestamp.to_string());
        if let Some(secret) = &target.secret {
            request = request.header(sign::SIGNATURE, sign::signature(secret, &event.event_id, timestamp, &event.body));
        }
        match request.body(event.body.clone()).send().await {
            Ok(response) if response.status().is_success() => Outcome::Sent,
            Ok(response) if response.status().is_redirection() => {
                self.retry(event, format!("HTTP {} (redirects are not followed)", response.status().as_u16()))
            }
            Ok(response) => self.retry(event, format!("HTTP {}", response.status().as_u16())),
            Err(error) => self.retry(event, crate::logging::chain(&error)),
        }
    }

    /// A failed attempt: retried after the backoff, or failed for good after the last attempt.
    fn retry(&self, event: &Claimed, error: String) -> Outcome {
        let attempt = event.attempts + 1;
        if attempt >= self.settings.max_attempts {
            return Outcome::Failed(error);
        }
        Outcome::Retry(next_try(Utc::now(), attempt, &self.settings), error)
    }
}

/// When to try again after the `attempt`-th failed attempt (from 1): the first retry delay doubled per
/// attempt up to the longest, stretched by a random 0–25 % (jitter, so receivers coming back are not hit by
/// every sender at once).
pub fn next_try(now: DateTime<Utc>, attempt: u32, settings: &Settings) -> DateTime<Utc> {
    let base = backoff(attempt, settings);
    let mut byte = [0u8; 2];
    getrandom::fill(&mut byte).unwrap_or_default();
    let jitter = f64::from(u16::from_le_bytes(byte)) / f64::from(u16::MAX) * 0.25;
    let delay = base.mul_f64(1.0 + jitter);
    now + chrono::Duration::from_std(delay).unwrap_or_else(|_| chrono::Duration::hours(4))
}

/// The delay before jitter.
fn backoff(attempt: u32, settings: &Settings) -> Duration {
    let factor = 2u32.saturating_pow(attempt.saturating_sub(1).min(20));
    settings.first_retry.saturating_mul(factor).min(settings.max_retry)
}

/// The shortest time from an event's first attempt to its last (without jitter, which only adds).
pub fn retry_span(settings: &Settings) -> Duration {
    (1..settings.max_attempts).map(|attempt| backoff(attempt, settings)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_backoff_spans_more_than_a_day() {
        let settings = Settings::default();
        assert!(retry_span(&settings) >= Duration::from_secs(24 * 3600), "{:?}", retry_span(&settings));
        assert!(retry_span(&settings) <= Duration::from_secs(30 * 3600));
        assert_eq!(backoff(1, &settings), settings.first_retry);
        assert_eq!(backoff(2, &settings), settings.first_retry * 2);
        assert_eq!(backoff(30, &settings), settings.max_retry);
        let now = Utc::now();
        for attempt in 1..settings.max_attempts {
            let at = next_try(now, attempt, &settings);
            let base = chrono::Duration::from_std(backoff(attempt, &settings)).unwrap_or_default();
            assert!(at >= now + base && at <= now + base + base / 4 + chrono::Duration::seconds(1));
        }
    }
}
