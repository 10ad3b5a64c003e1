//! Webhook delivery: the SSRF guard ([`guard`]), request signing ([`sign`]) and the worker that sends the
//! outbox's events ([`worker`]). See `docs/notifications.md`.

pub mod guard;
pub mod sign;
pub mod worker;

use std::time::Duration;

use sea_orm::DatabaseConnection;
use tokio::sync::watch;

pub use guard::Policy;

/// How webhooks are delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Which endpoints may be sent to.
    pub policy: Policy,
    /// Time limit of one request (connect, send, answer).
    pub timeout: Duration,
    /// The delay after the first failed attempt; it doubles per attempt.
    pub first_retry: Duration,
    /// The longest delay between attempts.
    pub max_retry: Duration,
    /// Attempts before an event is marked failed.
    pub max_attempts: u32,
    /// How often an idle worker looks for due events.
    pub poll: Duration,
    /// Events claimed (and sent concurrently) at once.
    pub batch: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            policy: Policy::default(),
            timeout: Duration::from_secs(10),
            first_retry: Duration::from_secs(30),
            max_retry: Duration::from_secs(4 * 3600),
            max_attempts: netlicensing_core::repo::outbox::MAX_ATTEMPTS,
            poll: Duration::from_secs(1),
            batch: 32,
        }
    }
}

impl Settings {
    /// How long a claimed event is held: longer than an attempt can take (the request's time limit, and the
    /// database writes around it). An event a replica held when it died is sent again after this.
    pub fn lease(&self) -> Duration {
        self.timeout * 2 + Duration::from_secs(5)
    }
}

/// A running worker.
pub struct Delivery {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    db: DatabaseConnection,
}

impl Delivery {
    /// Starts the worker on the current Tokio runtime and logs the queue depth.
    pub async fn start(db: DatabaseConnection, settings: Settings) -> Result<Self, worker::WorkerError> {
        let worker = worker::Worker::new(db.clone(), settings)?;
        log_depth(&db, "starting").await;
        let (stop, receiver) = watch::channel(false);
        let task = tokio::spawn(worker.run(receiver));
        Ok(Self { stop, task, db })
    }

    /// Stops taking new events, lets the deliveries in flight finish, and logs the queue depth. What is still
    /// queued stays in the outbox for the next start.
    pub async fn shutdown(self) {
        self.stop.send_replace(true);
        if let Err(error) = self.task.await {
            tracing::warn!(error = %error, "webhook delivery stopped abnormally");
        }
        log_depth(&self.db, "stopped").await;
    }
}

async fn log_depth(db: &DatabaseConnection, when: &str) {
    match crate::db::outbox::depth(db).await {
        Ok(depth) => tracing::info!(queued = depth, "webhook delivery {when}: {depth} events queued"),
        Err(error) => tracing::warn!(error = %error, "webhook delivery {when}: the outbox cannot be read"),
    }
}
