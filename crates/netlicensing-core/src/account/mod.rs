//! Moving a whole vendor account in and out: the records of every kind as the lines of the account file
//! ([`netlicensing_model::account`]), and back into a vendor's store. The server's `export` and `import`
//! commands read and write the file (or a remote server) and drive these.
//!
//! - [`export`]: a kind's records page by page (by storage id, the order they were created in), as lines;
//!   secrets only when asked for.
//! - [`item`]: a remote server's API item as a line (what the API shows, without what it computes).
//! - [`import`]: lines into the store through [`crate::repo::Tx`], upserted by number (created, updated or left
//!   unchanged), a batch of them per transaction, each checked as its typed entity first; so a re-run after an
//!   interruption completes the job and duplicates nothing, and no entity is ever half-written.

pub mod export;
pub mod import;
pub mod item;

use std::collections::BTreeMap;

use crate::record::Kind;

/// What happened to one entity on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did not exist and was created.
    Created,
    /// It existed with other data and was updated.
    Updated,
    /// It existed with the same data.
    Unchanged,
    /// It was left out (the reason is a warning).
    Skipped,
}

/// The outcomes of one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Entities created.
    pub created: u64,
    /// Entities updated.
    pub updated: u64,
    /// Entities unchanged.
    pub unchanged: u64,
    /// Entities skipped.
    pub skipped: u64,
}

impl Counts {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Skipped => self.skipped += 1,
        }
    }

    /// Every entity counted.
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.skipped
    }
}

/// Warnings kept in full; beyond this many only their number grows.
pub const MAX_WARNINGS: usize = 1000;

/// What an import (or dry run) did: counts per kind and the warnings (what was skipped or cannot be kept).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The outcomes per kind.
    pub kinds: BTreeMap<Kind, Counts>,
    /// The first [`MAX_WARNINGS`] warnings.
    pub warnings: Vec<String>,
    /// How many warnings there were in all.
    pub warning_count: u64,
}

impl Summary {
    /// Counts an outcome of a kind.
    pub fn count(&mut self, kind: Kind, outcome: Outcome) {
        self.kinds.entry(kind).or_default().add(outcome);
    }

    /// Notes a warning.
    pub fn warn(&mut self, warning: String) {
        self.warning_count += 1;
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(warning);
        }
    }

    /// The counts of a kind.
    pub fn of(&self, kind: Kind) -> Counts {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    /// The counts of every kind together.
    pub fn total(&self) -> Counts {
        self.kinds.values().fold(Counts::default(), |mut all, c| {
            all.created += c.created;
            all.updated += c.updated;
            all.unchanged += c.unchanged;
            all.skipped += c.skipped;
            all
        })
    }
}
