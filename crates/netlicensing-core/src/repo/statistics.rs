//! Figures of a vendor's business the store answers with aggregate queries (the console's dashboard): how
//! many customers are at each warning level, how many floating sessions are checked out, and validations per
//! day (counted in memory by core and added to the store in batches, see `service::statistics`).

use chrono::NaiveDate;

/// How many of a vendor's customers are at each warning level of their last validation (the worst of its
/// modules'); customers never validated are in none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WarningLevels {
    /// Customers at RED.
    pub red: u64,
    /// Customers at YELLOW.
    pub yellow: u64,
    /// Customers at GREEN.
    pub green: u64,
}

/// Validations of one day (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayCount {
    /// The day.
    pub day: NaiveDate,
    /// Validations answered that day.
    pub validations: u64,
}
