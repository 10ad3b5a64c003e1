//! Moves the validations counted in memory to the store: every [`FLUSH_EVERY`] and once more when the server
//! stops (core counts each validation without a write; see `netlicensing_core::service` statistics).

use std::time::Duration;

use netlicensing_core::Core;
use tokio::sync::watch;

/// How often the counts are flushed: what a crash can lose at most, and how late other replicas see them.
pub const FLUSH_EVERY: Duration = Duration::from_secs(10);

/// A running flusher.
pub struct Flusher {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl Flusher {
    /// Starts flushing the core's counts every `every` on the current Tokio runtime.
    pub fn start(core: Core, every: Duration) -> Self {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                let done = tokio::select! {
                    _ = tokio::time::sleep(every) => false,
                    _ = stopped.changed() => true,
                };
                if let Err(error) = core.flush_validations().await {
                    tracing::warn!(error = %error, "the validation counts could not be stored; kept for the next try");
                }
                if done || *stopped.borrow() {
                    return;
                }
            }
        });
        Self { stop, task }
    }

    /// Flushes a last time and stops.
    pub async fn shutdown(self) {
        self.stop.send_replace(true);
        if let Err(error) = self.task.await {
            tracing::warn!(error = %error, "the validation counter stopped abnormally");
        }
    }
}
