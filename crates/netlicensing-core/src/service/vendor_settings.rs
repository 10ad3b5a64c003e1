//! Vendor settings: the validation TTL, how long a validation answer may be cached (`ttl`), and the default
//! currency, the one the console preselects where a price is entered.
//!
//! The hosted service lets the vendor set the TTL from a minute to days; validation still caps it at the
//! earliest expiry in the answer. Validation reads it through a short-lived memory cache, so a change (made by
//! another process, such as `netlicensing-server vendor ttl`) takes effect within [`SETTINGS_REFRESH`].

use std::{
    collections::HashMap,
    sync::RwLock,
    time::{Duration as StdDuration, Instant},
};

use chrono::Duration;
use netlicensing_model::types::{Currency, WireEnum, WireValue};

use super::Core;
use crate::{
    caller::{Caller, Permission, VendorId},
    error::{CoreError, CoreResult},
};

/// The validation TTL without a vendor setting.
pub const DEFAULT_VALIDATION_TTL: Duration = Duration::days(1);

/// The shortest validation TTL a vendor may set.
pub const MIN_VALIDATION_TTL: Duration = Duration::minutes(1);

/// The longest validation TTL a vendor may set.
pub const MAX_VALIDATION_TTL: Duration = Duration::days(30);

/// How long a vendor's settings are used from memory before they are read again.
pub const SETTINGS_REFRESH: StdDuration = StdDuration::from_secs(30);

/// A vendor's settings as stored (`None`: not set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settings {
    /// How long validation answers may be cached (`None`: [`DEFAULT_VALIDATION_TTL`]).
    pub validation_ttl: Option<Duration>,
    /// The currency the console preselects where a price is entered (`None`: none preselected).
    pub default_currency: Option<Currency>,
}

/// Vendor settings read recently, by vendor.
#[derive(Debug, Default)]
pub(crate) struct SettingsCache {
    ttls: RwLock<HashMap<VendorId, (Instant, Option<i64>)>>,
}

impl Core {
    /// Sets the validation TTL of the vendor with that login (`None`: back to the default of one day). It must lie
    /// between [`MIN_VALIDATION_TTL`] and [`MAX_VALIDATION_TTL`].
    pub async fn set_validation_ttl(&self, login: &str, ttl: Option<Duration>) -> CoreResult<()> {
        check_ttl(ttl)?;
        if !self.store().set_validation_ttl(login, ttl.map(|t| t.num_seconds())).await? {
            return Err(CoreError::NotFound(format!("There is no vendor with login '{login}'")));
        }
        if let Ok(mut ttls) = self.settings.ttls.write() {
            ttls.clear();
        }
        Ok(())
    }

    /// The validation TTL setting of the caller's vendor (`None`: the default of one day), as stored.
    pub async fn vendor_validation_ttl(&self, caller: &Caller) -> CoreResult<Option<Duration>> {
        caller.require(Permission::VendorLogin)?;
        Ok(self.store().validation_ttl(caller.vendor).await?.map(Duration::seconds))
    }

    /// Sets the validation TTL of the caller's vendor from its text as people write it (`90`, `15m`, `2h`,
    /// `3d`; empty or `default`: back to the default), within [`MIN_VALIDATION_TTL`] and
    /// [`MAX_VALIDATION_TTL`]. Returns the setting.
    pub async fn set_vendor_validation_ttl(&self, caller: &Caller, text: &str) -> CoreResult<Option<Duration>> {
        Ok(self.set_vendor_settings(caller, Some(text), None).await?.validation_ttl)
    }

    /// Sets the default currency of the vendor with that login (`None`: none).
    pub async fn set_default_currency(&self, login: &str, currency: Option<Currency>) -> CoreResult<()> {
        if !self.store().set_default_currency(login, currency).await? {
            return Err(CoreError::NotFound(format!("There is no vendor with login '{login}'")));
        }
        Ok(())
    }

    /// The default currency of the caller's vendor (`None`: not set): what the console's price forms preselect.
    pub async fn vendor_default_currency(&self, caller: &Caller) -> CoreResult<Option<Currency>> {
        caller.require(Permission::VendorLogin)?;
        Ok(self.store().default_currency(caller.vendor).await?)
    }

    /// The settings of the caller's vendor, as stored.
    pub async fn vendor_settings(&self, caller: &Caller) -> CoreResult<Settings> {
        caller.require(Permission::VendorLogin)?;
        Ok(Settings {
            validation_ttl: self.store().validation_ttl(caller.vendor).await?.map(Duration::seconds),
            default_currency: self.store().default_currency(caller.vendor).await?,
        })
    }

    /// Sets the settings of the caller's vendor from their text as people write it; `None` leaves a setting as
    /// it is. The TTL as in [`Core::set_vendor_validation_ttl`]; the currency `EUR` or `USD` (any case), empty
    /// or `default` for none. Both are checked before either is stored, so a refused form changes nothing.
    /// Returns the settings.
    pub async fn set_vendor_settings(
        &self,
        caller: &Caller,
        ttl: Option<&str>,
        currency: Option<&str>,
    ) -> CoreResult<Settings> {
        caller.require(Permission::VendorLogin)?;
        let ttl = ttl.map(ttl_of_text).transpose()?;
        if let Some(ttl) = ttl {
            check_ttl(ttl)?;
        }
        let currency = currency.map(currency_of_text).transpose()?;
        let vendor = self.store().vendor_by_number(&caller.vendor_number).await?;
        let vendor = vendor.filter(|v| v.id == caller.vendor).ok_or_else(|| CoreError::not_found("vendor"))?;
        if let Some(ttl) = ttl {
            self.set_validation_ttl(&vendor.login, ttl).await?;
        }
        if let Some(currency) = currency {
            self.set_default_currency(&vendor.login, currency).await?;
        }
        self.vendor_settings(caller).await
    }

    /// The vendor's validation TTL (the default without a setting), from memory when read recently.
    pub(crate) async fn validation_ttl(&self, vendor: VendorId) -> CoreResult<Duration> {
        let now = Instant::now();
        let cached = self.settings.ttls.read().ok().and_then(|ttls| ttls.get(&vendor).copied());
        let seconds = match cached {
            Some((read, seconds)) if now.duration_since(read) < SETTINGS_REFRESH => seconds,
            _ => {
                let seconds = self.store().validation_ttl(vendor).await?;
                if let Ok(mut ttls) = self.settings.ttls.write() {
                    ttls.insert(vendor, (now, seconds));
                }
                seconds
            }
        };
        // A value stored out of range (by hand) is brought back into it.
        Ok(seconds
            .map(|s| Duration::seconds(s.clamp(MIN_VALIDATION_TTL.num_seconds(), MAX_VALIDATION_TTL.num_seconds())))
            .unwrap_or(DEFAULT_VALIDATION_TTL))
    }
}

/// A TTL setting must lie between [`MIN_VALIDATION_TTL`] and [`MAX_VALIDATION_TTL`] (`None`, the default, is
/// always fine).
fn check_ttl(ttl: Option<Duration>) -> CoreResult<()> {
    match ttl {
        Some(ttl) if !(MIN_VALIDATION_TTL..=MAX_VALIDATION_TTL).contains(&ttl) => Err(CoreError::Malformed(format!(
            "The validation TTL must lie between {} s and {} s, not {} s",
            MIN_VALIDATION_TTL.num_seconds(),
            MAX_VALIDATION_TTL.num_seconds(),
            ttl.num_seconds()
        ))),
        _ => Ok(()),
    }
}

/// The TTL setting a text asks for: empty or `default` for the default, else [`parse_ttl`]'s reading.
fn ttl_of_text(text: &str) -> CoreResult<Option<Duration>> {
    match text.trim() {
        "" | "default" => Ok(None),
        other => parse_ttl(other).map(Some).ok_or_else(|| {
            CoreError::Malformed(format!(
                "'{other}' is no validation TTL: write seconds (90) or a number with s, m, h or d (15m, 2h, 3d)"
            ))
        }),
    }
}

/// The default currency setting a text asks for: empty or `default` for none, else a currency (any case).
fn currency_of_text(text: &str) -> CoreResult<Option<Currency>> {
    match text.trim() {
        "" | "default" => Ok(None),
        other => parse_currency(other).map(Some).ok_or_else(|| {
            let known = Currency::ALL.iter().map(WireEnum::as_str).collect::<Vec<_>>().join(" or ");
            CoreError::Malformed(format!("The default currency must be {known}, not '{other}'"))
        }),
    }
}

/// Reads a currency in any case (`EUR`, `usd`).
pub fn parse_currency(text: &str) -> Option<Currency> {
    Currency::parse_wire(text.trim())
}

/// Reads a TTL as people write it: seconds (`90`), or a number with `s`, `m`, `h` or `d` (`15m`, `2h`, `3d`).
pub fn parse_ttl(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last() {
        Some((at, unit)) if unit.is_ascii_alphabetic() => (&text[..at], unit.to_ascii_lowercase()),
        _ => (text, 's'),
    };
    let amount: i64 = digits.parse().ok().filter(|n| *n >= 0)?;
    let seconds = match unit {
        's' => Some(amount),
        'm' => amount.checked_mul(60),
        'h' => amount.checked_mul(3600),
        'd' => amount.checked_mul(86_400),
        _ => None,
    }?;
    Duration::try_seconds(seconds)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::repo::{NewVendor, Store, memory::MemoryStore};

    #[test]
    fn ttls_read_as_people_write_them() {
        assert_eq!(parse_ttl("90"), Some(Duration::seconds(90)));
        assert_eq!(parse_ttl("15m"), Some(Duration::minutes(15)));
        assert_eq!(parse_ttl("2H"), Some(Duration::hours(2)));
        assert_eq!(parse_ttl("3d"), Some(Duration::days(3)));
        for bad in ["", "m", "-5m", "1w", "1.5h", "99999999999999999999d"] {
            assert_eq!(parse_ttl(bad), None, "{bad}");
        }
    }

    #[tokio::test]
    async fn a_vendor_sets_its_ttl_within_the_range() {
        let store = Arc::new(MemoryStore::new());
        let hash = "x".to_owned();
        let vendor =
            store.create_vendor(&NewVendor { number: "V".into(), login: "v".into(), password_hash: hash }).await;
        let vendor = vendor.unwrap().id;
        let core = Core::new(store);
        assert_eq!(core.validation_ttl(vendor).await.unwrap(), DEFAULT_VALIDATION_TTL);
        core.set_validation_ttl("v", Some(Duration::minutes(5))).await.unwrap();
        assert_eq!(core.validation_ttl(vendor).await.unwrap(), Duration::minutes(5));
        assert!(core.set_validation_ttl("v", Some(Duration::seconds(59))).await.is_err());
        assert!(core.set_validation_ttl("v", Some(Duration::days(31))).await.is_err());
        assert!(core.set_validation_ttl("nobody", Some(Duration::hours(1))).await.is_err());
        core.set_validation_ttl("v", None).await.unwrap();
        assert_eq!(core.validation_ttl(vendor).await.unwrap(), DEFAULT_VALIDATION_TTL);

        // The vendor's own setting, from its text.
        let caller = Caller::vendor(vendor, "V");
        assert_eq!(core.set_vendor_validation_ttl(&caller, "2h").await.unwrap(), Some(Duration::hours(2)));
        assert_eq!(core.vendor_validation_ttl(&caller).await.unwrap(), Some(Duration::hours(2)));
        assert_eq!(core.validation_ttl(vendor).await.unwrap(), Duration::hours(2), "in effect at once");
        for bad in ["soon", "10s", "31d"] {
            let error = core.set_vendor_validation_ttl(&caller, bad).await.unwrap_err();
            assert!(error.to_string().contains("validation TTL"), "{bad}: {error}");
        }
        assert_eq!(core.vendor_validation_ttl(&caller).await.unwrap(), Some(Duration::hours(2)), "refused: unchanged");
        assert_eq!(core.set_vendor_validation_ttl(&caller, "").await.unwrap(), None);
        assert_eq!(core.vendor_validation_ttl(&caller).await.unwrap(), None);
        let stranger = Caller::vendor(VendorId(vendor.0 + 100), "V");
        assert!(core.set_vendor_validation_ttl(&stranger, "1h").await.is_err(), "the number names another vendor");
    }

    #[tokio::test]
    async fn a_vendor_sets_its_default_currency_and_a_refused_form_changes_nothing() {
        let store = Arc::new(MemoryStore::new());
        let new = |number: &str, login: &str| NewVendor {
            number: number.into(),
            login: login.into(),
            password_hash: "x".into(),
        };
        let vendor = store.create_vendor(&new("V", "v")).await.unwrap().id;
        let other = store.create_vendor(&new("W", "w")).await.unwrap().id;
        let core = Core::new(store);
        let (caller, theirs) = (Caller::vendor(vendor, "V"), Caller::vendor(other, "W"));
        assert_eq!(core.vendor_settings(&caller).await.unwrap(), Settings::default(), "nothing set");

        let set = core.set_vendor_settings(&caller, Some("2h"), Some(" usd ")).await.unwrap();
        assert_eq!(set, Settings { validation_ttl: Some(Duration::hours(2)), default_currency: Some(Currency::Usd) });
        assert_eq!(core.vendor_default_currency(&caller).await.unwrap(), Some(Currency::Usd));
        assert_eq!(core.vendor_default_currency(&theirs).await.unwrap(), None, "each vendor its own");

        // Either value refused: neither is stored, and the message names the setting.
        let error = core.set_vendor_settings(&caller, Some("5m"), Some("GBP")).await.unwrap_err();
        assert_eq!(error.to_string(), "The default currency must be EUR or USD, not 'GBP'");
        let error = core.set_vendor_settings(&caller, Some("40d"), Some("EUR")).await.unwrap_err();
        assert!(error.to_string().contains("validation TTL"), "{error}");
        assert_eq!(core.vendor_settings(&caller).await.unwrap(), set, "refused: unchanged");

        // `None` leaves a setting alone; empty or `default` clears it.
        let only = core.set_vendor_settings(&caller, None, Some("eur")).await.unwrap();
        assert_eq!(only, Settings { validation_ttl: Some(Duration::hours(2)), default_currency: Some(Currency::Eur) });
        let cleared = core.set_vendor_settings(&caller, Some("default"), Some("")).await.unwrap();
        assert_eq!(cleared, Settings::default());

        // The operator's setting by login.
        core.set_default_currency("w", Some(Currency::Eur)).await.unwrap();
        assert_eq!(core.vendor_default_currency(&theirs).await.unwrap(), Some(Currency::Eur));
        assert!(core.set_default_currency("nobody", Some(Currency::Eur)).await.is_err());
        let key = Caller {
            access: crate::caller::Access::ApiKey {
                key: "k".into(),
                role: netlicensing_model::types::ApiKeyRole::Admin,
                licensee: None,
            },
            ..theirs.clone()
        };
        assert!(core.vendor_default_currency(&key).await.is_err(), "the vendor's login only");
        assert!(core.set_vendor_settings(&key, None, Some("USD")).await.is_err());
        assert_eq!(core.vendor_default_currency(&theirs).await.unwrap(), Some(Currency::Eur));
        let stranger = Caller::vendor(VendorId(vendor.0 + 100), "V");
        assert!(core.set_vendor_settings(&stranger, None, Some("USD")).await.is_err(), "the number names another");
        assert_eq!(core.vendor_default_currency(&caller).await.unwrap(), None);
    }
}
