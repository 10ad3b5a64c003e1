//! Progress of an export or import on standard error: a bar per entity kind ([`indicatif`]) on a terminal,
//! plain lines otherwise (at most one per kind every few seconds, and one when the kind is done).

use std::{
    io::IsTerminal,
    time::{Duration, Instant},
};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use netlicensing_core::record::Kind;

/// How often a plain progress line is printed per kind.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// How progress is shown.
#[derive(Debug, Clone)]
pub struct Progress {
    verb: &'static str,
    mode: Mode,
}

#[derive(Debug, Clone)]
enum Mode {
    Bars(MultiProgress),
    Lines,
    Hidden,
}

impl Progress {
    /// Bars on a terminal, plain lines otherwise; `verb` starts each line (`import`).
    pub fn on_stderr(verb: &'static str) -> Self {
        let mode = if std::io::stderr().is_terminal() {
            Mode::Bars(MultiProgress::with_draw_target(ProgressDrawTarget::stderr()))
        } else {
            Mode::Lines
        };
        Self { verb, mode }
    }

    /// No progress at all (tests, libraries).
    pub fn hidden() -> Self {
        Self { verb: "", mode: Mode::Hidden }
    }

    /// The progress of one kind, with its total when known.
    pub fn kind(&self, kind: Kind, total: Option<u64>) -> KindProgress {
        let bar = match &self.mode {
            Mode::Bars(multi) => {
                let bar = match total {
                    Some(total) => ProgressBar::new(total).with_style(
                        ProgressStyle::with_template("{prefix:>16} {bar:30} {pos}/{len} {per_sec} {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_bar()),
                    ),
                    None => ProgressBar::new_spinner().with_style(
                        ProgressStyle::with_template("{prefix:>16} {spinner} {pos} {per_sec} {elapsed}")
                            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                    ),
                };
                let bar = multi.add(bar.with_prefix(kind.noun()));
                bar.enable_steady_tick(Duration::from_millis(200));
                Some(bar)
            }
            _ => None,
        };
        KindProgress {
            verb: self.verb,
            noun: kind.noun(),
            bar,
            plain: matches!(self.mode, Mode::Lines),
            done: 0,
            total,
            last_line: Instant::now(),
        }
    }
}

/// The progress of one kind.
#[derive(Debug)]
pub struct KindProgress {
    verb: &'static str,
    noun: &'static str,
    bar: Option<ProgressBar>,
    plain: bool,
    done: u64,
    total: Option<u64>,
    last_line: Instant,
}

impl KindProgress {
    /// Sets the total once known.
    pub fn set_total(&mut self, total: u64) {
        self.total = Some(total);
        if let Some(bar) = &self.bar {
            bar.set_length(total);
        }
    }

    /// Counts `n` more entities.
    pub fn inc(&mut self, n: u64) {
        self.done += n;
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
        if self.plain && self.last_line.elapsed() >= PLAIN_EVERY {
            self.last_line = Instant::now();
            eprintln!("{}: {} {}{}", self.verb, self.noun, self.done, self.of_total());
        }
    }

    /// Ends the kind's progress.
    pub fn finish(self) {
        if let Some(bar) = &self.bar {
            bar.finish();
        }
        if self.plain {
            eprintln!("{}: {} {}{} done", self.verb, self.noun, self.done, self.of_total());
        }
    }

    fn of_total(&self) -> String {
        self.total.map(|t| format!("/{t}")).unwrap_or_default()
    }
}
