//! Lines into a vendor's store: each upserted by number through [`Tx`] (inserted when missing, updated when
//! its data differ, else left alone), a batch of lines per transaction. Before it is written a line is checked
//! as its typed entity (a malformed one is skipped with a warning), its parents are found by number (a line
//! whose parent is missing is skipped), a licensee's aliases must be free and an API key must not be another
//! vendor's. A batch is committed whole or not at all, so an interrupted import leaves only whole entities and
//! a re-run completes it without duplicates. A dry run reads only and counts what would change.

use std::collections::HashMap;

use netlicensing_model::{Item, Property, account::RecordLine};

use super::{Outcome, Summary};
use crate::{
    caller::VendorId,
    error::RepoError,
    record::{Kind, Link, Links, NewRecord, Record, RecordId, aliases},
    repo::{Store, Tx, Vendor},
    service::{convert::unstored, input::check_number},
};

/// Lines per write transaction (a few hundred entities: large enough to be fast, small enough to hold few
/// locks).
pub const BATCH: usize = 500;

/// The id of a record a dry run would create (nothing is written, so it has none).
const PLANNED: RecordId = 0;

/// Imports lines into one vendor.
pub struct Importer<'a> {
    store: &'a dyn Store,
    vendor: Option<Vendor>,
    dry_run: bool,
    /// Ids of parent records by kind and number, found or created so far.
    ids: HashMap<(Kind, String), RecordId>,
    summary: Summary,
}

impl<'a> Importer<'a> {
    /// An importer into the vendor. `None` only for a dry run of a vendor that does not exist yet (everything
    /// would be created).
    pub fn new(store: &'a dyn Store, vendor: Option<Vendor>, dry_run: bool) -> Self {
        Self { store, vendor, dry_run, ids: HashMap::new(), summary: Summary::default() }
    }

    /// What was done so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Notes a warning of the caller's (an item it could not read, say) in the summary.
    pub fn warn(&mut self, warning: String) {
        self.summary.warn(warning);
    }

    /// Counts an entity the caller skipped.
    pub fn skipped(&mut self, kind: Kind) {
        self.summary.count(kind, Outcome::Skipped);
    }

    /// What was done.
    pub fn into_summary(self) -> Summary {
        self.summary
    }

    /// Upserts the lines in one transaction (a dry run only reads) and counts their outcomes once committed.
    pub async fn apply(&mut self, lines: Vec<RecordLine>) -> Result<Vec<Outcome>, RepoError> {
        let mut tx = if self.dry_run { self.store.read().await? } else { self.store.write().await? };
        let mut added = Vec::new();
        let mut outcomes = Vec::with_capacity(lines.len());
        let mut warnings = Vec::new();
        for line in lines {
            let kind = line.kind;
            match self.one(tx.as_mut(), line, &mut added, &mut warnings).await {
                Ok(outcome) => outcomes.push((kind, outcome)),
                Err(error) => {
                    self.forget(added);
                    return Err(error);
                }
            }
        }
        if !self.dry_run
            && let Err(error) = tx.commit().await
        {
            self.forget(added);
            return Err(error);
        }
        warnings.into_iter().for_each(|w| self.summary.warn(w));
        for (kind, outcome) in &outcomes {
            self.summary.count(*kind, *outcome);
        }
        Ok(outcomes.into_iter().map(|(_, outcome)| outcome).collect())
    }

    /// Drops the ids of records a failed transaction would have created.
    fn forget(&mut self, added: Vec<(Kind, String)>) {
        for key in added {
            self.ids.remove(&key);
        }
    }

    /// Upserts one line.
    async fn one(
        &mut self,
        tx: &mut dyn Tx,
        mut line: RecordLine,
        added: &mut Vec<(Kind, String)>,
        warnings: &mut Vec<String>,
    ) -> Result<Outcome, RepoError> {
        let kind = line.kind;
        let what = format!("{} '{}'", kind.noun(), line.number);
        if let Err(why) = check(&line) {
            warnings.push(format!("{what} is skipped: {why}"));
            return Ok(Outcome::Skipped);
        }
        let vendor_number = self.vendor.as_ref().map(|v| v.number.clone());
        line.properties.retain(|p| !unstored(kind, &p.name));
        for property in line.properties.iter_mut().filter(|p| p.name == "vendorNumber") {
            if let Some(number) = &vendor_number {
                property.value.clone_from(number);
            }
        }
        let Some(vendor) = self.vendor.as_ref().map(|v| v.id) else {
            // A dry run for a vendor still to be created: everything is new.
            return Ok(self.planned(kind, &line.number));
        };
        if kind == Kind::Token
            && let Some((owner, _)) = self.store.token_by_number(&line.number).await?
            && owner.id != vendor
        {
            warnings.push(format!("{what} is skipped: another vendor of this server has a token with that number"));
            return Ok(Outcome::Skipped);
        }
        let mut links = Links::default();
        for parent in kind.parents() {
            let Some(number) = line.links.get(parent) else {
                warnings.push(format!("{what} is skipped: it names no {}", parent.noun()));
                return Ok(Outcome::Skipped);
            };
            let Some(id) = self.id_of(tx, vendor, *parent, number).await? else {
                warnings.push(format!("{what} is skipped: its {} '{number}' is missing", parent.noun()));
                return Ok(Outcome::Skipped);
            };
            links.set(*parent, Some(Link { id, number: number.clone() }));
        }
        if kind == Kind::Licensee {
            for alias in aliases(&line.properties) {
                if let Some(other) = tx.licensee_by_alias(vendor, &alias).await?
                    && other.number != line.number
                {
                    warnings.push(format!("{what} is skipped: its alias '{alias}' is licensee '{}'s", other.number));
                    return Ok(Outcome::Skipped);
                }
            }
        }
        let under_planned = kind.parents().iter().any(|p| links.get(*p).is_some_and(|l| l.id == PLANNED));
        let existing = if under_planned { None } else { tx.get(vendor, kind, &line.number).await? };
        let Some(current) = existing else {
            if self.dry_run {
                return Ok(self.planned(kind, &line.number));
            }
            let record = NewRecord {
                number: line.number.clone(),
                active: line.active,
                links,
                properties: line.properties,
                lists: line.lists,
            };
            return match tx.insert(vendor, kind, &record).await {
                Ok(id) => {
                    self.remember(kind, &record.number, id, added);
                    Ok(Outcome::Created)
                }
                Err(RepoError::OutOfRange(why)) => {
                    warnings.push(format!("{what} is skipped: {why}"));
                    Ok(Outcome::Skipped)
                }
                Err(error) => Err(error),
            };
        };
        self.remember(kind, &current.number, current.id, &mut Vec::new());
        if same(kind, &current, &line) {
            return Ok(Outcome::Unchanged);
        }
        if self.dry_run {
            return Ok(Outcome::Updated);
        }
        let id = current.id;
        let moved: Vec<(Kind, RecordId)> = kind
            .parents()
            .iter()
            .filter_map(|p| {
                let new = links.get(*p)?;
                (current.links.get(*p).map(|l| &l.number) != Some(&new.number)).then_some((*p, new.id))
            })
            .collect();
        let record = Record { active: line.active, properties: line.properties, lists: line.lists, ..current };
        match tx.update(vendor, kind, &record).await {
            Ok(()) => {}
            Err(RepoError::OutOfRange(why)) => {
                warnings.push(format!("{what} is skipped: {why}"));
                return Ok(Outcome::Skipped);
            }
            Err(error) => return Err(error),
        }
        for (parent, parent_id) in moved {
            tx.relink(vendor, kind, id, parent, parent_id).await?;
        }
        Ok(Outcome::Updated)
    }

    /// A record a dry run would create (remembered as a parent for the lines after it).
    fn planned(&mut self, kind: Kind, number: &str) -> Outcome {
        self.remember(kind, number, PLANNED, &mut Vec::new());
        Outcome::Created
    }

    /// Remembers a record's id if records hang off its kind.
    fn remember(&mut self, kind: Kind, number: &str, id: RecordId, added: &mut Vec<(Kind, String)>) {
        if !kind.children().is_empty() {
            self.ids.insert((kind, number.to_owned()), id);
            added.push((kind, number.to_owned()));
        }
    }

    /// The id of the vendor's record of a kind with that number.
    async fn id_of(
        &mut self,
        tx: &mut dyn Tx,
        vendor: VendorId,
        kind: Kind,
        number: &str,
    ) -> Result<Option<RecordId>, RepoError> {
        if let Some(id) = self.ids.get(&(kind, number.to_owned())) {
            return Ok(Some(*id));
        }
        let found = tx.get(vendor, kind, number).await?.map(|r| r.id);
        if let Some(id) = found {
            self.remember(kind, number, id, &mut Vec::new());
        }
        Ok(found)
    }
}

/// Whether the stored record holds the line's data (properties compared regardless of order).
fn same(kind: Kind, current: &Record, line: &RecordLine) -> bool {
    current.active == line.active
        && kind.parents().iter().all(|p| current.links.get(*p).map(|l| &l.number) == line.links.get(p))
        && sorted(&current.properties) == sorted(&line.properties)
        && current.lists == line.lists
}

/// Properties as sorted pairs.
fn sorted(properties: &[Property]) -> Vec<(&str, &str)> {
    let mut pairs: Vec<(&str, &str)> = properties.iter().map(|p| (p.name.as_str(), p.value.as_str())).collect();
    pairs.sort_unstable();
    pairs
}

/// Checks a line as its typed entity: a usable number, and every standard property's value readable.
fn check(line: &RecordLine) -> Result<(), String> {
    if line.number.is_empty() {
        return Err("it has no number".into());
    }
    check_number(&line.number).map_err(|e| e.to_string())?;
    let kind = line.kind;
    let mut item = Item::new(kind.item_type());
    item.push("number", line.number.as_str());
    item.push("active", if line.active { "true" } else { "false" });
    for (parent, number) in &line.links {
        if let Some(property) = parent.link_property() {
            item.push(property, number.as_str());
        }
    }
    item.properties.extend(line.properties.iter().cloned());
    item.lists.clone_from(&line.lists);
    netlicensing_model::with_entity!(kind, |E| <E as netlicensing_model::entity::Entity>::from_item(item).map(|_| ()))
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests;
