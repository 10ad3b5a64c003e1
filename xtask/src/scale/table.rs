//! The benchmark's one table: every figure per size beside its target, judged on the largest size.

use std::time::Duration;

use super::{Figures, LICENSES_PER_LICENSEE, ListFigure, Options, rounds, wrk, wrk::Load};

/// One row of the table: a figure per size, the target, and whether it was met (`None`: no target or not
/// measured).
struct Row {
    figure: String,
    cells: Vec<String>,
    target: String,
    met: Option<bool>,
}

pub(super) fn table(results: &[(&'static str, u64, Figures)], options: &Options) -> String {
    let mut out = format!(
        "`cargo xtask bench scale{}` ({} load runs, {} connections, {LICENSES_PER_LICENSEE} licenses per licensee)\n\n",
        if options.sqlite_only {
            " --sqlite-only"
        } else if options.postgres_only {
            " --postgres-only"
        } else {
            ""
        },
        format_args!("{} s", options.duration.as_secs()),
        wrk::CONNECTIONS,
    );
    let header: Vec<String> = options.sizes.iter().map(|s| format!("{s} licensees")).collect();
    out.push_str(&format!("| engine | figure | {} | target | met |\n", header.join(" | ")));
    out.push_str(&format!("|---|---|{}---|---|\n", "---:|".repeat(header.len())));
    let mut engines: Vec<&str> = results.iter().map(|(e, _, _)| *e).collect();
    engines.dedup();
    for engine in engines {
        let per_size: Vec<Option<&Figures>> = options
            .sizes
            .iter()
            .map(|size| results.iter().find(|(e, s, _)| *e == engine && s == size).map(|(_, _, f)| f))
            .collect();
        for row in rows(engine, &per_size) {
            let met = match row.met {
                Some(true) => "met",
                Some(false) => "**missed**",
                None => "",
            };
            out.push_str(&format!(
                "| {engine} | {} | {} | {} | {met} |\n",
                row.figure,
                row.cells.join(" | "),
                row.target
            ));
        }
    }
    let failures: Vec<String> = results
        .iter()
        .flat_map(|(e, s, f)| f.failures.iter().map(move |x| format!("- {e}, {s} licensees: {x}")))
        .collect();
    if !failures.is_empty() {
        out.push_str(&format!("\nSteps that failed:\n{}\n", failures.join("\n")));
    }
    let errors: Vec<String> = results
        .iter()
        .flat_map(|(e, s, f)| f.server_errors.iter().map(move |x| format!("- {e}, {s} licensees, {x}")))
        .collect();
    if !errors.is_empty() {
        out.push_str(&format!("\nErrors the server logged (most frequent per phase):\n{}\n", errors.join("\n")));
    }
    out
}

/// The rows of one engine; targets are judged on the largest size (RSS and errors on every size).
fn rows(engine: &str, per_size: &[Option<&Figures>]) -> Vec<Row> {
    let largest = per_size.last().copied().flatten();
    let smallest = per_size.first().copied().flatten();
    let cells = |f: &dyn Fn(&Figures) -> Option<String>| -> Vec<String> {
        per_size.iter().map(|x| x.and_then(f).unwrap_or_else(|| "n/a".into())).collect()
    };
    let rate = |load: Option<Load>| load.map(|l| format!("{:.1} req/s{}", l.per_second, errors(&l)));
    let millis =
        |d: Option<Duration>| d.map_or("none completed".into(), |d| format!("{:.2} ms", d.as_secs_f64() * 1000.0));
    let ratio = |a: Option<Load>, b: Option<Load>| a.zip(b).map(|(a, b)| a.per_second / b.per_second.max(1e-9));
    let hit = |c: Option<(u64, u64)>| c.map(|(h, m)| h as f64 / (h + m).max(1) as f64);
    // The largest size against the smallest: the alternating rounds' medians, else (no rounds) the single runs.
    let by_size = largest.zip(smallest).and_then(|(l, s)| {
        match (rounds::median(&l.validate_off_rounds), rounds::median(&s.validate_off_rounds)) {
            (Some(l), Some(s)) => Some(l / s.max(1e-9)),
            _ => ratio(l.validate_off, s.validate_off),
        }
    });
    let mut rows = vec![
        plain("seed (rows/s)", cells(&|f| f.seed_rows_per_second.map(|r| format!("{r:.0}")))),
        plain("health, cache off server (beside the validations)", cells(&|f| rate(f.health))),
        plain("validate, cache off", cells(&|f| rate(f.validate_off))),
        plain(
            &format!("validate, cache off, alternating rounds: median (of {})", rounds::ROUNDS),
            cells(&|f| {
                let all = f.validate_off_rounds.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ");
                rounds::median(&f.validate_off_rounds).map(|m| format!("{m:.1} req/s ({all})"))
            }),
        ),
        judged(
            "validate cache off: largest / smallest size (alternating rounds' medians)",
            last_cell(per_size.len(), by_size),
            "≥ 0.9",
            by_size,
            |r| r >= 0.9,
        ),
        judged(
            "validate cache off / health",
            cells(&|f| ratio(f.validate_off, f.health).map(|r| format!("{r:.3}"))),
            "≥ 0.1",
            largest.and_then(|f| ratio(f.validate_off, f.health)),
            |r| r >= 0.1,
        ),
        plain("validate cache off p50", cells(&|f| f.validate_off.map(|l| millis(l.p50)))),
    ];
    let p99_off = cells(&|f| f.validate_off.map(|l| millis(l.p99)));
    let p99_largest =
        largest.and_then(|f| f.validate_off).map(|l| l.p99.map_or(f64::INFINITY, |d| d.as_secs_f64() * 1000.0));
    rows.push(if engine == "SQLite" {
        judged("validate cache off p99", p99_off, "< 25 ms", p99_largest, |ms| ms < 25.0)
    } else {
        plain("validate cache off p99", p99_off)
    });
    rows.extend([
        plain("cold start: validations sent in the first 2 s", cells(&|f| rate(f.cold))),
        plain("cold start p50 / p99", cells(&|f| f.cold.map(|l| format!("{} / {}", millis(l.p50), millis(l.p99))))),
        plain("cache on server peak RSS (cold start included)", cells(&|f| f.cold_rss_kb.map(mb))),
        plain("health, cache on server (beside the warm validations)", cells(&|f| rate(f.health_on))),
        plain("validate, cache on", cells(&|f| rate(f.validate_on))),
        plain("validate cache on / health", cells(&|f| ratio(f.validate_on, f.health_on).map(|r| format!("{r:.3}")))),
        plain(
            "validate cache on p50 / p99",
            cells(&|f| f.validate_on.map(|l| format!("{} / {}", millis(l.p50), millis(l.p99)))),
        ),
        plain("cache hit rate, read-only (cold + warm run)", cells(&|f| percent(hit(f.hit_read)))),
        plain("health, 1 % writes server (beside the median round)", cells(&|f| rate(f.health_mixed))),
        plain("validate with 1 % writes (median round)", cells(&|f| rate(f.mixed))),
        judged(
            "validate with 1 % writes / health (median of the rounds)",
            cells(&|f| {
                let all = f.mixed_rounds.iter().map(|r| format!("{r:.3}")).collect::<Vec<_>>().join(", ");
                ratio(f.mixed, f.health_mixed).map(|r| format!("{r:.3} ({all})"))
            }),
            "≥ 0.3",
            largest.and_then(|f| ratio(f.mixed, f.health_mixed)),
            |r| r >= 0.3,
        ),
        judged(
            "cache hit rate with 1 % writes (after a warm-up of every licensee)",
            cells(&|f| percent(hit(f.hit_mixed))),
            "≥ 90 %",
            largest.and_then(|f| hit(f.hit_mixed)),
            |r| r >= 0.9,
        ),
    ]);
    rows.extend(list_rows(per_size, largest));
    rows.push(judged(
        "32 concurrent first validations: non-200 (unique numbers / one shared number)",
        cells(&|f| f.concurrent_non_200.map(|(u, s)| format!("{u} / {s}"))),
        "0",
        all(per_size, |f| f.concurrent_non_200.map(|(u, s)| (u + s) as f64)),
        |n| n == 0.0,
    ));
    rows.push(judged(
        "server peak RSS (cache off and 1 % writes servers)",
        cells(&|f| (f.peak_rss_kb > 0).then(|| mb(f.peak_rss_kb))),
        "< 250 MB",
        all(per_size, |f| (f.peak_rss_kb > 0).then_some(f.peak_rss_kb as f64 / 1024.0)),
        |mb| mb < 250.0,
    ));
    rows
}

/// The list-query rows: ms (target on the largest size) and the peak RSS during each.
fn list_rows(per_size: &[Option<&Figures>], largest: Option<&Figures>) -> Vec<Row> {
    let names: Vec<String> = largest.map(|f| f.lists.iter().map(|l| l.name.clone()).collect()).unwrap_or_default();
    let mut rows = Vec::new();
    for (index, name) in names.iter().enumerate() {
        let of = |f: Option<&Figures>| f.and_then(|f| f.lists.get(index)).cloned();
        let cells: Vec<String> = per_size
            .iter()
            .map(|f| match of(*f) {
                Some(ListFigure { millis: Some(ms), rss_kb, status, .. }) => format!(
                    "{ms:.0} ms{}{}",
                    rss_kb.map(|kb| format!(", RSS {}", mb(kb))).unwrap_or_default(),
                    status.filter(|s| *s != 200).map(|s| format!(" (HTTP {s})")).unwrap_or_default()
                ),
                _ => "n/a".into(),
            })
            .collect();
        let millis = of(largest).and_then(|l| l.millis.filter(|_| l.status == Some(200)));
        rows.push(judged(&format!("list: {name}"), cells, "< 100 ms", millis, |ms| ms < 100.0));
    }
    rows
}

/// The worst (largest) value over every size, if every size has one.
fn all(per_size: &[Option<&Figures>], value: impl Fn(&Figures) -> Option<f64>) -> Option<f64> {
    per_size.iter().map(|f| f.and_then(&value)).try_fold(f64::MIN, |worst, v| v.map(|v| worst.max(v)))
}

/// Cells empty but for the largest size's.
fn last_cell(sizes: usize, value: Option<f64>) -> Vec<String> {
    let mut cells = vec![String::new(); sizes];
    if let Some(last) = cells.last_mut() {
        *last = value.map_or("n/a".into(), |v| format!("{v:.3}"));
    }
    cells
}

fn plain(figure: &str, cells: Vec<String>) -> Row {
    Row { figure: figure.into(), cells, target: String::new(), met: None }
}

fn judged(figure: &str, cells: Vec<String>, target: &str, value: Option<f64>, test: impl Fn(f64) -> bool) -> Row {
    Row { figure: figure.into(), cells, target: target.into(), met: value.map(test) }
}

fn percent(rate: Option<f64>) -> Option<String> {
    Some(rate.map_or("n/a (no cache line)".into(), |r| format!("{:.1} %", r * 100.0)))
}

fn mb(kb: u64) -> String {
    format!("{:.0} MB", kb as f64 / 1024.0)
}

fn errors(load: &Load) -> String {
    match (load.non_2xx, load.errors) {
        (0, 0) => String::new(),
        (n, e) => format!(" ({n} non-2xx, {e} socket errors/timeouts)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judges_the_largest_size() {
        let load = |per_second: f64, p99_ms: u64| Load {
            per_second,
            requests: 1,
            p99: Some(Duration::from_millis(p99_ms)),
            ..Load::default()
        };
        let small = Figures {
            health: Some(load(1000.0, 1)),
            validate_off: Some(load(500.0, 5)),
            peak_rss_kb: 100 * 1024,
            ..Figures::default()
        };
        let large = Figures {
            health: Some(load(1000.0, 1)),
            validate_off: Some(load(50.0, 900)),
            peak_rss_kb: 300 * 1024,
            ..Figures::default()
        };
        let rows = rows("SQLite", &[Some(&small), Some(&large)]);
        let find = |name: &str| rows.iter().find(|r| r.figure.starts_with(name)).unwrap();
        assert_eq!(find("validate cache off: largest").met, Some(false));
        // The alternating rounds' medians decide the comparison of sizes when there are rounds.
        let rounds = |rates: &[f64], f: &Figures| Figures { validate_off_rounds: rates.to_vec(), ..f.clone() };
        let (small_r, large_r) = (rounds(&[500.0, 400.0, 450.0], &small), rounds(&[430.0, 900.0, 410.0], &large));
        let with_rounds = super::rows("SQLite", &[Some(&small_r), Some(&large_r)]);
        let row = with_rounds.iter().find(|r| r.figure.starts_with("validate cache off: largest")).unwrap();
        assert_eq!((row.met, row.cells[1].as_str()), (Some(true), "0.956"));
        assert_eq!(find("validate cache off / health").met, Some(false));
        assert_eq!(find("validate cache off p99").met, Some(false));
        assert_eq!(find("server peak RSS").met, Some(false));
        assert_eq!(find("cache hit rate with").met, None);
        let options = Options {
            sqlite_only: true,
            postgres_only: false,
            sizes: vec![1000, 100_000],
            duration: Duration::from_secs(10),
        };
        let table = table(&[("SQLite", 1000, small), ("SQLite", 100_000, large)], &options);
        assert!(table.contains("| SQLite | validate, cache off | 500.0 req/s | 50.0 req/s |"), "{table}");
    }
}
