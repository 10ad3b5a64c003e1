//! Figures of the vendor's business for the console's dashboard: customers per warning level, floating sessions
//! checked out, and validations per day.
//!
//! Validations are counted without a database write on validate's path: each answered validation (not a dry
//! run) adds one to an in-memory counter per vendor and day (UTC); [`Core::flush_validations`] adds the counts
//! to the store in one write per vendor (the server does so every few seconds and when it stops). Reading the
//! days adds what this process counted and has not flushed yet, so its figures are current; other replicas'
//! counts arrive with their next flush. A flush that fails puts its counts back for the next one.

use std::{collections::HashMap, sync::Mutex};

use chrono::{Duration, NaiveDate};

use super::Core;
use crate::{
    caller::{Caller, Permission, VendorId},
    error::{CoreError, CoreResult},
    repo::{DayCount, WarningLevels},
};

/// Validations counted in memory and not yet in the store, by vendor and day.
#[derive(Debug, Default)]
pub(crate) struct ValidationCounter {
    counts: Mutex<HashMap<(VendorId, NaiveDate), u64>>,
}

impl ValidationCounter {
    fn add(&self, vendor: VendorId, day: NaiveDate, validations: u64) {
        if let Ok(mut counts) = self.counts.lock() {
            *counts.entry((vendor, day)).or_default() += validations;
        }
    }

    /// Takes every count (the counter starts again from zero).
    fn take(&self) -> HashMap<(VendorId, NaiveDate), u64> {
        self.counts.lock().map(|mut counts| std::mem::take(&mut *counts)).unwrap_or_default()
    }

    /// The vendor's counts from `since` on.
    fn of(&self, vendor: VendorId, since: NaiveDate) -> Vec<DayCount> {
        let Ok(counts) = self.counts.lock() else { return Vec::new() };
        counts
            .iter()
            .filter(|((v, day), _)| *v == vendor && *day >= since)
            .map(|((_, day), validations)| DayCount { day: *day, validations: *validations })
            .collect()
    }
}

impl Core {
    /// Counts one answered validation of the vendor, in memory (no write).
    pub(crate) fn count_validation(&self, vendor: VendorId) {
        self.validations.add(vendor, self.now().date_naive(), 1);
    }

    /// Adds the validations counted in memory to the store, one write per vendor; returns how many were added.
    /// Counts a write failed for are kept for the next flush, and the first failure is returned.
    pub async fn flush_validations(&self) -> CoreResult<u64> {
        let mut by_vendor: HashMap<VendorId, Vec<DayCount>> = HashMap::new();
        for ((vendor, day), validations) in self.validations.take() {
            by_vendor.entry(vendor).or_default().push(DayCount { day, validations });
        }
        let mut added = 0;
        let mut failure = None;
        for (vendor, days) in by_vendor {
            match self.store().add_validations(vendor, &days).await {
                Ok(()) => added += days.iter().map(|d| d.validations).sum::<u64>(),
                Err(error) => {
                    for day in &days {
                        self.validations.add(vendor, day.day, day.validations);
                    }
                    failure.get_or_insert(error);
                }
            }
        }
        match failure {
            Some(error) => Err(CoreError::Storage(error)),
            None => Ok(added),
        }
    }

    /// The vendor's validations per day over the last `days` days up to today (UTC), oldest first, a zero for a
    /// day without any: the store's counts plus those this process has not flushed yet.
    pub async fn validations_per_day(&self, caller: &Caller, days: u32) -> CoreResult<Vec<DayCount>> {
        caller.require(Permission::Read)?;
        let today = self.now().date_naive();
        let since = today - Duration::days(i64::from(days.max(1)) - 1);
        let mut out: Vec<DayCount> =
            since.iter_days().take_while(|day| *day <= today).map(|day| DayCount { day, validations: 0 }).collect();
        let stored = self.store().validations(caller.vendor, since).await?;
        for count in stored.into_iter().chain(self.validations.of(caller.vendor, since)) {
            if let Some(slot) = out.iter_mut().find(|slot| slot.day == count.day) {
                slot.validations += count.validations;
            }
        }
        Ok(out)
    }

    /// How many of the vendor's customers are at each warning level of their last validation.
    pub async fn warning_levels(&self, caller: &Caller) -> CoreResult<WarningLevels> {
        caller.require(Permission::Read)?;
        Ok(self.store().warning_levels(caller.vendor).await?)
    }

    /// How many floating sessions of the vendor's licenses are checked out now.
    pub async fn floating_sessions(&self, caller: &Caller) -> CoreResult<u64> {
        caller.require(Permission::Read)?;
        Ok(self.store().floating_sessions(caller.vendor, self.now()).await?)
    }
}
