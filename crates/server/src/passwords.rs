//! Where password hashes are made and checked: on a fixed set of threads, one job each at a time.
//!
//! An argon2id check takes 19 MiB. Run on tokio's blocking pool, a burst of sign-ins spreads the checks
//! over many short-lived threads, each with its own allocator arena that keeps its last 19 MiB: 100
//! sign-ins at once left the server at 430 MB (measured in BENCHMARKS.md). On
//! [`auth::MAX_PARALLEL_PASSWORD_CHECKS`] long-lived threads the memory stays bounded by that many
//! checks, and a burst queues instead.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use crate::auth;

type Job = Box<dyn FnOnce() + Send>;

/// The password threads, and the permits that let a request in (its attempt is counted only once it
/// has one, so that waiting requests do not count against a school's shared address).
pub struct Passwords {
    jobs: Mutex<mpsc::Sender<Job>>,
    pub turns: tokio::sync::Semaphore,
}

/// The password threads are gone (the server is shutting down).
#[derive(Debug, thiserror::Error)]
#[error("the password threads have stopped")]
pub struct Stopped;

impl Passwords {
    pub fn start() -> Arc<Passwords> {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..auth::MAX_PARALLEL_PASSWORD_CHECKS {
            let receiver = Arc::clone(&receiver);
            std::thread::Builder::new()
                .name(format!("password-{n}"))
                .spawn(move || loop {
                    // The lock is held only while waiting for the next job, never while it runs.
                    let job = match receiver.lock().map(|r| r.recv()) {
                        Ok(Ok(job)) => job,
                        _ => return,
                    };
                    job();
                })
                .expect("the operating system starts a thread");
        }
        Arc::new(Passwords {
            jobs: Mutex::new(sender),
            turns: tokio::sync::Semaphore::new(auth::MAX_PARALLEL_PASSWORD_CHECKS),
        })
    }

    /// Runs `work` on a password thread and waits for its result.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Stopped> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(work());
        });
        self.jobs.lock().map_err(|_| Stopped)?.send(job).map_err(|_| Stopped)?;
        result.await.map_err(|_| Stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_on_the_password_threads() {
        let passwords = Passwords::start();
        let names: Vec<String> = names_of_threads(&passwords).await;
        assert!(names.iter().all(|name| name.starts_with("password-")), "{names:?}");
    }

    async fn names_of_threads(passwords: &Passwords) -> Vec<String> {
        let mut names = Vec::new();
        for _ in 0..4 {
            let name =
                passwords.run(|| std::thread::current().name().unwrap_or_default().to_owned()).await.unwrap();
            names.push(name);
        }
        names
    }
}
