//! Enums of notifications: events and delivery protocols.

use super::{WireEnum, wire_enum_text};

/// Event a notification subscribes to (`events`, a comma list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotificationEvent {
    /// A licensee was created.
    LicenseeCreated,
    /// A license was created.
    LicenseCreated,
    /// A licensee's warning level changed.
    WarningLevelChanged,
    /// A shop payment transaction was processed.
    PaymentTransactionProcessed,
}

impl WireEnum for NotificationEvent {
    const ALL: &'static [Self] =
        &[Self::LicenseeCreated, Self::LicenseCreated, Self::WarningLevelChanged, Self::PaymentTransactionProcessed];
    const EXPECTED: &'static str = "a notification event: LICENSEE_CREATED, LICENSE_CREATED, WARNING_LEVEL_CHANGED or PAYMENT_TRANSACTION_PROCESSED";
    fn as_str(&self) -> &'static str {
        match self {
            Self::LicenseeCreated => "LICENSEE_CREATED",
            Self::LicenseCreated => "LICENSE_CREATED",
            Self::WarningLevelChanged => "WARNING_LEVEL_CHANGED",
            Self::PaymentTransactionProcessed => "PAYMENT_TRANSACTION_PROCESSED",
        }
    }
}

/// How a notification is delivered (`protocol`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum NotificationProtocol {
    /// HTTP POST of a JSON document to the endpoint.
    #[default]
    Webhook,
}

impl WireEnum for NotificationProtocol {
    const ALL: &'static [Self] = &[Self::Webhook];
    const EXPECTED: &'static str = "a notification protocol: WEBHOOK";
    fn as_str(&self) -> &'static str {
        match self {
            Self::Webhook => "WEBHOOK",
        }
    }
}

wire_enum_text!(NotificationEvent, NotificationProtocol);
