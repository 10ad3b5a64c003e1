//! Enums of licensing: models, license types, time-volume periods, warning levels, secret modes.

use super::{WireEnum, wire_enum_text};

/// Licensing model of a product module (`licensingModel`, `LicensingModelProperties.name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicensingModel {
    /// Try & Buy: a time-limited evaluation, then a purchased feature.
    TryAndBuy,
    /// Subscription: chained time-volume licenses.
    Subscription,
    /// Rental: features, each extended by time-volume licenses.
    Rental,
    /// Floating: a pool of concurrent sessions.
    Floating,
    /// Multi-Feature: one on/off feature per template.
    MultiFeature,
    /// Pay-per-Use: credits consumed by use.
    PayPerUse,
    /// Pricing Table: plans made of SKUs.
    PricingTable,
    /// Quota: a reported total quantity.
    Quota,
    /// Node-Locked: licenses bound to node secrets.
    NodeLocked,
    /// Legacy name of Try & Buy.
    TimeLimitedEvaluation,
    /// Legacy name of Subscription.
    TimeVolume,
    /// Legacy name of Rental.
    FeatureWithTimeVolume,
}

impl LicensingModel {
    /// The nine current models, in documentation order.
    pub const CURRENT: &'static [Self] = &[
        Self::TryAndBuy,
        Self::Subscription,
        Self::Rental,
        Self::Floating,
        Self::MultiFeature,
        Self::PayPerUse,
        Self::PricingTable,
        Self::Quota,
        Self::NodeLocked,
    ];

    /// The current model a legacy name stands for (itself for current models).
    pub fn current(self) -> Self {
        match self {
            Self::TimeLimitedEvaluation => Self::TryAndBuy,
            Self::TimeVolume => Self::Subscription,
            Self::FeatureWithTimeVolume => Self::Rental,
            other => other,
        }
    }

    /// True for the legacy names.
    pub fn is_legacy(self) -> bool {
        self.current() != self
    }
}

impl WireEnum for LicensingModel {
    const ALL: &'static [Self] = &[
        Self::TryAndBuy,
        Self::Subscription,
        Self::Rental,
        Self::Floating,
        Self::MultiFeature,
        Self::PayPerUse,
        Self::PricingTable,
        Self::Quota,
        Self::NodeLocked,
        Self::TimeLimitedEvaluation,
        Self::TimeVolume,
        Self::FeatureWithTimeVolume,
    ];
    const EXPECTED: &'static str = "a licensing model: TryAndBuy, Subscription, Rental, Floating, MultiFeature, PayPerUse, PricingTable, Quota or NodeLocked";
    fn as_str(&self) -> &'static str {
        match self {
            Self::TryAndBuy => "TryAndBuy",
            Self::Subscription => "Subscription",
            Self::Rental => "Rental",
            Self::Floating => "Floating",
            Self::MultiFeature => "MultiFeature",
            Self::PayPerUse => "PayPerUse",
            Self::PricingTable => "PricingTable",
            Self::Quota => "Quota",
            Self::NodeLocked => "NodeLocked",
            Self::TimeLimitedEvaluation => "TimeLimitedEvaluation",
            Self::TimeVolume => "TimeVolume",
            Self::FeatureWithTimeVolume => "FeatureWithTimeVolume",
        }
    }
    fn aliases() -> &'static [(&'static str, Self)] {
        &[("FeatureTimeVolume", Self::FeatureWithTimeVolume)]
    }
}

/// Type of a license template and its licenses (`licenseType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LicenseType {
    /// An on/off feature.
    Feature,
    /// Valid for a period from its start date.
    TimeVolume,
    /// A number of concurrent sessions.
    Floating,
    /// A quantity (credits, quota, nodes).
    Quantity,
}

impl WireEnum for LicenseType {
    const ALL: &'static [Self] = &[Self::Feature, Self::TimeVolume, Self::Floating, Self::Quantity];
    const EXPECTED: &'static str = "a license type: FEATURE, TIMEVOLUME, FLOATING or QUANTITY";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Feature => "FEATURE",
            Self::TimeVolume => "TIMEVOLUME",
            Self::Floating => "FLOATING",
            Self::Quantity => "QUANTITY",
        }
    }
}

/// Unit of `timeVolume` (`timeVolumePeriod`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum TimeVolumePeriod {
    /// Days (the default when absent).
    #[default]
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

impl WireEnum for TimeVolumePeriod {
    const ALL: &'static [Self] = &[Self::Day, Self::Week, Self::Month, Self::Year];
    const EXPECTED: &'static str = "a time volume period: DAY, WEEK, MONTH or YEAR";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Day => "DAY",
            Self::Week => "WEEK",
            Self::Month => "MONTH",
            Self::Year => "YEAR",
        }
    }
}

/// Warning level of a validation (`warningLevel`; Rental writes it lower case as `expirationWarningLevel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WarningLevel {
    /// All is well.
    Green,
    /// Attention soon.
    Yellow,
    /// Attention now.
    Red,
}

impl WarningLevel {
    /// Lower-case spelling used by Rental's `expirationWarningLevel`.
    pub fn lower(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }
}

impl WireEnum for WarningLevel {
    const ALL: &'static [Self] = &[Self::Green, Self::Yellow, Self::Red];
    const EXPECTED: &'static str = "a warning level: GREEN, YELLOW or RED";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Green => "GREEN",
            Self::Yellow => "YELLOW",
            Self::Red => "RED",
        }
    }
}

/// How node secrets of a Node-Locked module are set (`nodeSecretMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeSecretMode {
    /// The vendor stores the secrets in the licenses.
    Predefined,
    /// The client software sends them; new ones are stored while the quota allows.
    Client,
}

impl WireEnum for NodeSecretMode {
    const ALL: &'static [Self] = &[Self::Predefined, Self::Client];
    const EXPECTED: &'static str = "a node secret mode: PREDEFINED or CLIENT";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Predefined => "PREDEFINED",
            Self::Client => "CLIENT",
        }
    }
}

/// Deprecated licensee-secret mode of a product or module (`licenseeSecretMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LicenseeSecretMode {
    /// The secret is ignored.
    Disabled,
    /// The licensee's stored secret must match.
    Predefined,
    /// The first secret sent is stored, later ones must match.
    Client,
}

impl WireEnum for LicenseeSecretMode {
    const ALL: &'static [Self] = &[Self::Disabled, Self::Predefined, Self::Client];
    const EXPECTED: &'static str = "a licensee secret mode: DISABLED, PREDEFINED or CLIENT";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Disabled => "DISABLED",
            Self::Predefined => "PREDEFINED",
            Self::Client => "CLIENT",
        }
    }
}

/// Floating validation action (`action<N>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FloatingAction {
    /// Take a session from the pool.
    CheckOut,
    /// Give a session back.
    CheckIn,
}

impl WireEnum for FloatingAction {
    const ALL: &'static [Self] = &[Self::CheckOut, Self::CheckIn];
    const EXPECTED: &'static str = "checkOut or checkIn";
    fn as_str(&self) -> &'static str {
        match self {
            Self::CheckOut => "checkOut",
            Self::CheckIn => "checkIn",
        }
    }
}

wire_enum_text!(
    LicensingModel,
    LicenseType,
    TimeVolumePeriod,
    WarningLevel,
    NodeSecretMode,
    LicenseeSecretMode,
    FloatingAction
);
