//! The cold start: validations of random licensees sent by 64 clients during the first seconds after the server
//! starts, each waited for (wrk would drop the ones still running when its time is up, and right after a start
//! those can be all of them).

use std::{
    sync::{Arc, Barrier},
    thread,
    time::{Duration, Instant},
};

use super::{PRODUCT, REQUEST_TIMEOUT, http, wrk::CONNECTIONS, wrk::Load};

/// Validations started within `window` by [`CONNECTIONS`] clients, one after another each: completed per second
/// (from the first start to the last answer), p50 and p99.
pub fn validations(addr: &str, licensees: u64, window: Duration) -> Load {
    let barrier = Arc::new(Barrier::new(CONNECTIONS as usize));
    let started = Instant::now();
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (addr, barrier) = (addr.to_owned(), barrier.clone());
            thread::spawn(move || {
                barrier.wait();
                client_run(&addr, licensees, started + window)
            })
        })
        .collect();
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.join().unwrap_or_default());
    }
    summarise(&answers, started.elapsed())
}

/// Validates every licensee once, in order, from [`CONNECTIONS`] clients taking every n-th number each (the
/// warm-up that fills the cache): exactly `licensees` validations.
pub fn every_licensee(addr: &str, licensees: u64) -> Load {
    let started = Instant::now();
    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|client| {
            let addr = addr.to_owned();
            thread::spawn(move || {
                let body = format!("productNumber={PRODUCT}");
                (u64::from(client)..licensees)
                    .step_by(CONNECTIONS as usize)
                    .map(|i| {
                        let path = format!("/core/v2/rest/licensee/SCALE-I{i}/validate");
                        match http::request(&addr, "POST", &path, Some(&body), REQUEST_TIMEOUT) {
                            Ok(answer) => (Some(answer.elapsed), (200..300).contains(&answer.status)),
                            Err(_) => (None, false),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.join().unwrap_or_default());
    }
    summarise(&answers, started.elapsed())
}

/// One client's answers: the latency, or `None` for a failed request, and whether it was a 2xx.
fn client_run(addr: &str, licensees: u64, until: Instant) -> Vec<(Option<Duration>, bool)> {
    // Each thread's generator is seeded on its own, so the clients pick different customers.
    let mut answers = Vec::new();
    let body = format!("productNumber={PRODUCT}");
    while Instant::now() < until && answers.len() < 100_000 {
        let path = format!("/core/v2/rest/licensee/SCALE-I{}/validate", fastrand::u64(..licensees.max(1)));
        answers.push(match http::request(addr, "POST", &path, Some(&body), REQUEST_TIMEOUT) {
            Ok(answer) => (Some(answer.elapsed), (200..300).contains(&answer.status)),
            Err(_) => (None, false),
        });
    }
    answers
}

fn summarise(answers: &[(Option<Duration>, bool)], elapsed: Duration) -> Load {
    let mut latencies: Vec<Duration> = answers.iter().filter_map(|(latency, _)| *latency).collect();
    latencies.sort_unstable();
    let at = |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)));
    Load {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        p50: at(0.50).copied(),
        p99: at(0.99).copied(),
        requests: latencies.len() as u64,
        non_2xx: answers.iter().filter(|(latency, ok)| latency.is_some() && !ok).count() as u64,
        errors: answers.iter().filter(|(latency, _)| latency.is_none()).count() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summarises_answers() {
        let ms = |n| Some(Duration::from_millis(n));
        let answers = [(ms(10), true), (ms(30), true), (ms(20), false), (None, false)];
        let load = summarise(&answers, Duration::from_secs(1));
        assert_eq!((load.per_second, load.requests, load.non_2xx, load.errors), (3.0, 3, 1, 1));
        assert_eq!((load.p50, load.p99), (ms(20), ms(30)));
        assert_eq!(summarise(&[], Duration::from_secs(1)).p99, None);
    }
}
