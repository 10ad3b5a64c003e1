//! A lane of its own for validation's write transactions.
//!
//! A write transaction is a series of statements, each awaited. On a request executor busy with reads, every
//! await puts the transaction at the back of the executor's queue, behind the requests that are ready, so the
//! writer's lock (SQLite's one writer; PostgreSQL's row lock of the licensee) is held for the statements *and*
//! for all that queueing; under load the writer's throughput collapses and connections pile up behind it.
//! Given a [`WriteLane`] (the server runs one on a thread of its own), validation runs its writes there, where
//! each statement's answer resumes the transaction at once. Without one, they run where they are called.

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
};

use super::Core;
use crate::error::{CoreError, CoreResult};

/// A future the lane runs to completion.
pub type Work = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Where write transactions run.
pub trait WriteLane: Send + Sync {
    /// Runs `work` on the lane; the returned future completes when the work has (or the lane dropped it).
    fn run(&self, work: Work) -> Work;
}

impl Core {
    /// Gives validation's write transactions a lane of their own.
    pub fn with_write_lane(mut self, lane: Arc<dyn WriteLane>) -> Self {
        self.write_lane = Some(lane);
        self
    }

    /// Runs a write on the write lane when there is one (here otherwise) and returns its outcome.
    pub(crate) async fn on_write_lane<T, F>(&self, write: F) -> CoreResult<T>
    where
        T: Send + 'static,
        F: Future<Output = CoreResult<T>> + Send + 'static,
    {
        let Some(lane) = &self.write_lane else { return write.await };
        let slot: Arc<Mutex<Option<CoreResult<T>>>> = Arc::new(Mutex::new(None));
        let filled = slot.clone();
        lane.run(Box::pin(async move {
            let outcome = write.await;
            *filled.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
        }))
        .await;
        let outcome = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        outcome
            .unwrap_or_else(|| Err(CoreError::IllegalOperation("the write lane stopped before the write ended".into())))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::repo::memory::MemoryStore;

    /// A lane that counts what it runs and runs it where it is awaited.
    #[derive(Default)]
    struct Counting(AtomicUsize);

    impl WriteLane for Counting {
        fn run(&self, work: Work) -> Work {
            self.0.fetch_add(1, Ordering::Relaxed);
            work
        }
    }

    /// A lane that drops the work.
    struct Dropping;

    impl WriteLane for Dropping {
        fn run(&self, _work: Work) -> Work {
            Box::pin(async {})
        }
    }

    #[tokio::test]
    async fn writes_run_on_the_lane_and_bring_their_outcome_back() {
        let core = Core::new(Arc::new(MemoryStore::default()));
        assert_eq!(core.on_write_lane(async { Ok(7) }).await.unwrap(), 7, "without a lane: here");
        let lane = Arc::new(Counting::default());
        let core = core.with_write_lane(lane.clone());
        assert_eq!(core.on_write_lane(async { Ok("done") }).await.unwrap(), "done");
        let failed: CoreResult<()> = core.on_write_lane(async { Err(CoreError::not_found("licensee")) }).await;
        assert!(matches!(failed, Err(CoreError::NotFound(_))));
        assert_eq!(lane.0.load(Ordering::Relaxed), 2);
        let dropped = Core::new(Arc::new(MemoryStore::default())).with_write_lane(Arc::new(Dropping));
        assert!(dropped.on_write_lane(async { Ok(1) }).await.is_err(), "a dropped write is an error, not a hang");
    }
}
