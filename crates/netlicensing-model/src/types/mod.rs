//! Typed property values: wire enums, money, timestamps, and the text forms of each.

mod access;
mod commerce;
mod info_type;
mod licensing;
mod money;
mod notification;
pub mod timestamp;
mod wire;

pub use access::{ApiKeyRole, TokenType};
pub use commerce::{Currency, PaymentProvider, TransactionSource, TransactionStatus, VatMode};
pub use info_type::InfoType;
pub use licensing::{
    FloatingAction, LicenseType, LicenseeSecretMode, LicensingModel, NodeSecretMode, TimeVolumePeriod, WarningLevel,
};
pub use money::{Amount, Money, Percent};
pub use notification::{NotificationEvent, NotificationProtocol};
pub use wire::{WireEnum, WireValue};

/// Implements `Display` (the wire spelling) and `FromStr` (the tolerant reader) for a [`WireEnum`].
macro_rules! wire_enum_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::types::WireEnum::as_str(self))
            }
        }
        impl ::std::str::FromStr for $ty {
            type Err = $crate::error::CodecError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                <Self as $crate::types::WireEnum>::from_wire(text).ok_or_else(|| {
                    $crate::error::CodecError::invalid(
                        stringify!($ty),
                        text,
                        <Self as $crate::types::WireEnum>::EXPECTED,
                    )
                })
            }
        }
    )+};
}
pub(crate) use wire_enum_text;
