//! Cache-off validations of every size again, in alternating rounds: the comparison of the largest size with
//! the smallest. Measured minutes apart, as the sizes' own steps are, the two figures also differ by how fast
//! this machine happened to be (20 % over minutes on a shared 2-core machine); alternating short runs and
//! taking each size's median lets that drift reach both sizes alike.

use std::time::Duration;

use super::{Context, WARM_UP, logs, process::Server, wrk, wrk::Script};

/// Rounds of the alternation.
pub const ROUNDS: usize = 3;

/// For each round and each seeded database (size, URL) in turn: a fresh server without a validation cache,
/// validations for [`WARM_UP`] to fill its page caches, then validations measured for half of `duration`.
/// Returns each size's rates (req/s), one per round, and its servers' peak RSS (kB), in the order of
/// `databases`.
pub fn alternate(context: &Context, databases: &[(u64, String)], duration: Duration) -> Result<Vec<Sized>, String> {
    let mut measured = vec![Sized::default(); databases.len()];
    let run = (duration / 2).max(Duration::from_secs(1));
    for _ in 0..ROUNDS {
        for ((size, url), sized) in databases.iter().zip(&mut measured) {
            let server = Server::start(&context.binary, url, &["--validation-cache", "0"], &logs(context, "rounds"))?;
            server.prime_credentials();
            wrk::run(&server.addr, Script::Validate, *size, WARM_UP, &context.dir)?;
            let load = wrk::run(&server.addr, Script::Validate, *size, run, &context.dir)?;
            let (rss_kb, _) = server.stop()?;
            sized.peak_rss_kb = sized.peak_rss_kb.max(rss_kb);
            if load.non_2xx > 0 || load.errors > 0 {
                return Err(format!("{size} licensees: {} non-2xx, {} socket errors", load.non_2xx, load.errors));
            }
            sized.rates.push(load.per_second);
        }
    }
    Ok(measured)
}

/// What the rounds measured of one size.
#[derive(Debug, Clone, Default)]
pub struct Sized {
    /// Validations per second, one per round.
    pub rates: Vec<f64>,
    /// The highest peak RSS of its servers (kB).
    pub peak_rss_kb: u64,
}

/// The median of some rates (`None` when there are none).
pub fn median(rates: &[f64]) -> Option<f64> {
    let mut sorted = rates.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
