//! What an export or import did, and its summary as printed at the end.

use std::{collections::BTreeMap, fmt::Write as _, time::Duration};

use netlicensing_core::{account::Summary, record::Kind};
use netlicensing_model::account::ORDER;

/// What happened to the vendor account itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorOutcome {
    /// It was created (a dry run: would be).
    Created,
    /// Its settings were changed.
    Updated,
    /// It existed as it is.
    Unchanged,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The source: the file's vendor number, or the URL.
    pub vendor: String,
    /// The vendor imported into.
    pub into: String,
    /// What happened to the vendor account.
    pub vendor_outcome: VendorOutcome,
    /// Whether the file held secrets (`None` for a remote source).
    pub secrets: Option<bool>,
    /// The outcomes per kind and the warnings.
    pub summary: Summary,
    /// Whether nothing was written.
    pub dry_run: bool,
    /// How long it took.
    pub elapsed: Duration,
}

impl ImportReport {
    /// Licensees created, updated or found unchanged per second.
    pub fn licensees_per_second(&self) -> f64 {
        let c = self.summary.of(Kind::Licensee);
        (c.created + c.updated + c.unchanged) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The summary as printed: a row per kind, the totals, the warnings.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run { "would import (dry run)" } else { "imported" };
        let _ =
            writeln!(out, "{verb} {} into vendor {} in {:.1} s", self.vendor, self.into, self.elapsed.as_secs_f64());
        let vendor = match self.vendor_outcome {
            VendorOutcome::Created => "created",
            VendorOutcome::Updated => "settings updated",
            VendorOutcome::Unchanged => "existing",
        };
        let _ = writeln!(out, "vendor {}: {vendor}", self.into);
        if self.secrets == Some(false) {
            let _ = writeln!(out, "the file holds no secrets: API keys and other credential tokens were not in it");
        }
        let _ =
            writeln!(out, "{:>16} {:>10} {:>10} {:>10} {:>10}", "kind", "created", "updated", "unchanged", "skipped");
        for kind in ORDER {
            let c = self.summary.of(kind);
            let _ = writeln!(
                out,
                "{:>16} {:>10} {:>10} {:>10} {:>10}",
                kind.noun(),
                c.created,
                c.updated,
                c.unchanged,
                c.skipped
            );
        }
        let t = self.summary.total();
        let _ =
            writeln!(out, "{:>16} {:>10} {:>10} {:>10} {:>10}", "total", t.created, t.updated, t.unchanged, t.skipped);
        let _ = writeln!(out, "{:.0} licensees/s", self.licensees_per_second());
        if self.summary.warning_count > 0 {
            let _ = writeln!(out, "{} warning(s):", self.summary.warning_count);
            for warning in &self.summary.warnings {
                let _ = writeln!(out, "  {warning}");
            }
            let more = self.summary.warning_count.saturating_sub(self.summary.warnings.len() as u64);
            if more > 0 {
                let _ = writeln!(out, "  ... and {more} more");
            }
        }
        out
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExportReport {
    /// Lines written per kind.
    pub written: BTreeMap<Kind, u64>,
    /// Secret records left out.
    pub omitted: u64,
    /// Whether secrets were included.
    pub secrets: bool,
    /// Bytes written.
    pub bytes: u64,
    /// How long it took.
    pub elapsed: Duration,
}

impl ExportReport {
    /// The summary as printed.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let total: u64 = self.written.values().sum();
        let _ = writeln!(
            out,
            "exported {total} entities, {} bytes in {:.1} s{}",
            self.bytes,
            self.elapsed.as_secs_f64(),
            if self.secrets { ", secrets included" } else { "" }
        );
        for kind in ORDER {
            let _ = writeln!(out, "{:>16} {:>10}", kind.noun(), self.written.get(&kind).copied().unwrap_or(0));
        }
        if self.omitted > 0 {
            let _ =
                writeln!(out, "{} credential token(s) left out (secrets; --include-secrets writes them)", self.omitted);
        }
        out
    }
}
