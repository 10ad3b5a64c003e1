//! The thread validation's write transactions run on (see `netlicensing_core::service::write_lane`): a Tokio
//! runtime of its own, so that a transaction's statements are not each queued behind the reads a busy request
//! worker has ready. It ends when the last [`Core`](netlicensing_core::Core) holding it is dropped.

use std::sync::Arc;

use netlicensing_core::service::write_lane::{Work, WriteLane};

/// A lane on a thread of its own.
pub struct ThreadLane {
    handle: tokio::runtime::Handle,
    /// Dropped with the lane: the thread's runtime then stops.
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl ThreadLane {
    /// Starts the thread.
    pub fn start() -> std::io::Result<Arc<ThreadLane>> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new().name("netlicensing-writes".into()).spawn(move || {
            runtime.block_on(async move {
                stopped.await.ok();
            });
        })?;
        Ok(Arc::new(ThreadLane { handle, _stop: stop }))
    }
}

impl WriteLane for ThreadLane {
    fn run(&self, work: Work) -> Work {
        let task = self.handle.spawn(work);
        Box::pin(async move {
            // A task that did not finish (the lane stopped) leaves its outcome unset; the caller reports it.
            task.await.ok();
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;

    #[actix_web::test]
    async fn work_runs_on_the_lanes_thread() {
        let lane = ThreadLane::start().unwrap();
        let ran = Arc::new(AtomicBool::new(false));
        let seen = ran.clone();
        let here = std::thread::current().id();
        let (tell, told) = std::sync::mpsc::channel();
        lane.run(Box::pin(async move {
            tell.send(std::thread::current().id()).ok();
            seen.store(true, Ordering::SeqCst);
        }))
        .await;
        assert!(ran.load(Ordering::SeqCst));
        let there = told.recv().unwrap();
        assert_ne!(there, here, "on the lane's own thread");
    }
}
