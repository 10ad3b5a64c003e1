//! What each page measured (client times, cold and warm; the server's own time from its access log) judged
//! against its target, and the one markdown table.

use super::{
    Options,
    pages::{Kind, Page},
};

/// Server time every page must stay under (median of the warm fetches).
pub const SERVER_TARGET_MS: f64 = 50.0;
/// End-to-end time every fetch of a list must stay under (the cold one included).
pub const LIST_TARGET_MS: f64 = 200.0;

/// One fetch of a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetch {
    /// Status code.
    pub status: u16,
    /// From connecting to the end of the answer, on the client.
    pub client_ms: f64,
    /// The server's `duration_ms` for it (`None`: no access-log line found).
    pub server_ms: Option<f64>,
    /// Whether the body showed the page's expected text.
    pub complete: bool,
}

/// Every fetch of one page on one engine, the first one cold.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// `SQLite` or `PostgreSQL`.
    pub engine: &'static str,
    /// The page.
    pub page: Page,
    /// Its fetches, in order.
    pub fetches: Vec<Fetch>,
}

/// The middle value (the upper one of an even count), `None` when empty.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied()
}

impl Figure {
    /// The first fetch's client time.
    pub fn cold_ms(&self) -> Option<f64> {
        self.fetches.first().map(|f| f.client_ms)
    }

    fn warm(&self) -> &[Fetch] {
        self.fetches.get(1..).unwrap_or_default()
    }

    /// The fastest warm fetch.
    pub fn min_ms(&self) -> Option<f64> {
        self.warm().iter().map(|f| f.client_ms).min_by(f64::total_cmp)
    }

    /// The median warm fetch.
    pub fn median_ms(&self) -> Option<f64> {
        median(self.warm().iter().map(|f| f.client_ms).collect())
    }

    /// The slowest fetch, the cold one included.
    pub fn max_ms(&self) -> Option<f64> {
        self.fetches.iter().map(|f| f.client_ms).max_by(f64::total_cmp)
    }

    /// The server's time for the cold fetch.
    pub fn server_cold_ms(&self) -> Option<f64> {
        self.fetches.first().and_then(|f| f.server_ms)
    }

    /// The server's median time over the warm fetches (`None` when any lacks its log line).
    pub fn server_median_ms(&self) -> Option<f64> {
        median(self.warm().iter().map(|f| f.server_ms).collect::<Option<Vec<_>>>()?)
    }

    /// What is wrong with the answers themselves (not their speed): a status other than 200, a body without the
    /// expected text, a request the access log does not show.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let statuses: Vec<u16> = self.fetches.iter().map(|f| f.status).filter(|s| *s != 200).collect();
        if !statuses.is_empty() {
            out.push(format!("answered {statuses:?}, not 200"));
        } else if self.fetches.iter().any(|f| !f.complete) {
            out.push(format!("the page did not show '{}'", self.page.expect));
        }
        if self.fetches.iter().any(|f| f.server_ms.is_none()) {
            out.push("a request has no access-log line".into());
        }
        out
    }

    /// The target's text.
    pub fn target(&self) -> String {
        match self.page.kind {
            Kind::List => format!("server < {SERVER_TARGET_MS:.0} ms, every fetch < {LIST_TARGET_MS:.0} ms"),
            Kind::Page => format!("server < {SERVER_TARGET_MS:.0} ms"),
            Kind::Reference => String::new(),
        }
    }

    /// Whether the target was met (`None`: no target, or nothing to judge).
    pub fn met(&self) -> Option<bool> {
        if self.page.kind == Kind::Reference {
            return None;
        }
        if !self.problems().is_empty() {
            return Some(false);
        }
        let server = self.server_median_ms()? < SERVER_TARGET_MS;
        match self.page.kind {
            Kind::List => Some(server && self.max_ms()? < LIST_TARGET_MS),
            _ => Some(server),
        }
    }
}

fn millis(value: Option<f64>) -> String {
    value.map_or("n/a".into(), |ms| format!("{ms:.1}"))
}

/// The table of every figure, with the command above it and what failed below it.
pub fn table(figures: &[Figure], failures: &[String], options: &Options) -> String {
    let mut out = format!(
        "`cargo xtask bench console --licensees {} --rounds {}{}` (release server, one request at a time over \
         loopback; {} customers × 10 licenses and 1 transaction each; cold = the first fetch, min / median of the \
         other {}; server = `duration_ms` of the access log)\n\n",
        options.licensees,
        options.rounds,
        if options.sqlite_only { " --sqlite-only" } else { "" },
        options.licensees,
        options.rounds - 1,
    );
    out.push_str(
        "| engine | page | cold ms | min ms | median ms | max ms | server cold ms | server median ms | target | met |\n",
    );
    out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
    for figure in figures {
        let met = match figure.met() {
            Some(true) => "met",
            Some(false) => "**missed**",
            None => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {met} |\n",
            figure.engine,
            figure.page.name,
            millis(figure.cold_ms()),
            millis(figure.min_ms()),
            millis(figure.median_ms()),
            millis(figure.max_ms()),
            millis(figure.server_cold_ms()),
            millis(figure.server_median_ms()),
            figure.target(),
        ));
    }
    let mut problems: Vec<String> = figures
        .iter()
        .flat_map(|f| f.problems().into_iter().map(move |p| format!("- {}, {}: {p}", f.engine, f.page.name)))
        .collect();
    problems.extend(failures.iter().map(|f| format!("- {f}")));
    if !problems.is_empty() {
        out.push_str(&format!("\nProblems:\n{}\n", problems.join("\n")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(kind: Kind, fetches: &[(u16, f64, Option<f64>)]) -> Figure {
        let page = Page { name: "p".into(), path: "/p".into(), kind, expect: String::new() };
        let fetches = fetches
            .iter()
            .map(|(status, client_ms, server_ms)| Fetch {
                status: *status,
                client_ms: *client_ms,
                server_ms: *server_ms,
                complete: true,
            })
            .collect();
        Figure { engine: "SQLite", page, fetches }
    }

    #[test]
    fn judges_server_time_and_every_fetch_of_a_list() {
        let warm = [(200, 90.0, Some(80.0)), (200, 10.0, Some(8.0)), (200, 12.0, Some(9.0)), (200, 11.0, Some(30.0))];
        let page = figure(Kind::Page, &warm);
        assert_eq!(
            (page.cold_ms(), page.min_ms(), page.median_ms(), page.max_ms()),
            (Some(90.0), Some(10.0), Some(11.0), Some(90.0))
        );
        assert_eq!((page.server_cold_ms(), page.server_median_ms()), (Some(80.0), Some(9.0)));
        assert_eq!(page.met(), Some(true), "the cold server time is reported, the median judged");
        let mut slow_cold = warm;
        slow_cold[0].1 = 250.0;
        assert_eq!(figure(Kind::List, &slow_cold).met(), Some(false), "a list's cold fetch counts");
        assert_eq!(figure(Kind::Page, &slow_cold).met(), Some(true));
        let slow_server = [(200, 90.0, Some(80.0)), (200, 60.0, Some(55.0)), (200, 62.0, Some(51.0))];
        assert_eq!(figure(Kind::Page, &slow_server).met(), Some(false));
        assert_eq!(figure(Kind::Reference, &slow_server).met(), None);
    }

    #[test]
    fn wrong_answers_are_problems() {
        let failed = figure(Kind::Page, &[(200, 1.0, Some(1.0)), (500, 1.0, Some(1.0))]);
        assert_eq!(failed.problems(), ["answered [500], not 200"]);
        assert_eq!(failed.met(), Some(false));
        let unlogged = figure(Kind::Page, &[(200, 1.0, Some(1.0)), (200, 1.0, None)]);
        assert_eq!(unlogged.problems(), ["a request has no access-log line"]);
        assert_eq!(unlogged.server_median_ms(), None);
        let mut incomplete = figure(Kind::List, &[(200, 1.0, Some(1.0)), (200, 1.0, Some(1.0))]);
        incomplete.fetches[1].complete = false;
        assert_eq!(incomplete.problems().len(), 1);
        let options = Options { licensees: 10, rounds: 2, sqlite_only: true };
        let table = table(&[failed, incomplete], &["PostgreSQL: seed failed".into()], &options);
        assert!(
            table.contains("| SQLite | p | 1.0 | 1.0 | 1.0 | 1.0 | 1.0 | 1.0 | server < 50 ms | **missed** |"),
            "{table}"
        );
        assert!(table.contains("- SQLite, p: answered [500], not 200\n"), "{table}");
        assert!(table.contains("- PostgreSQL: seed failed"), "{table}");
        assert!(table.starts_with("`cargo xtask bench console --licensees 10 --rounds 2 --sqlite-only`"), "{table}");
    }
}
