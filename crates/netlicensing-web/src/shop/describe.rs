//! What a license template gives, in words a customer reads beside its price.

use netlicensing_model::{
    entity::LicenseTemplate,
    types::{Currency, LicenseType, LicensingModel, Money, TimeVolumePeriod},
};

/// An amount with its currency (`54.00 EUR`), or "free" for nothing.
pub fn amount(value: Money, currency: Option<Currency>) -> String {
    if value.is_zero() {
        return "free".into();
    }
    match currency {
        Some(currency) => format!("{:.2} {}", value.amount(), currency_code(currency)),
        None => format!("{:.2}", value.amount()),
    }
}

fn currency_code(currency: Currency) -> &'static str {
    match currency {
        Currency::Eur => "EUR",
        Currency::Usd => "USD",
    }
}

fn period(volume: u32, period: Option<TimeVolumePeriod>) -> String {
    let unit = match period.unwrap_or_default() {
        TimeVolumePeriod::Day => "day",
        TimeVolumePeriod::Week => "week",
        TimeVolumePeriod::Month => "month",
        TimeVolumePeriod::Year => "year",
    };
    if volume == 1 { format!("1 {unit}") } else { format!("{volume} {unit}s") }
}

/// What a template of a module with a licensing model gives the customer.
pub fn gives(model: Option<LicensingModel>, template: &LicenseTemplate) -> String {
    let volume = template.time_volume.map(|v| period(v, template.time_volume_period));
    match (model, template.license_type) {
        (Some(LicensingModel::TryAndBuy), Some(LicenseType::TimeVolume)) => {
            format!("A trial of {}", volume.unwrap_or_else(|| "limited time".into()))
        }
        (Some(LicensingModel::TryAndBuy), _) => "A full license without time limit".into(),
        (Some(LicensingModel::Subscription), Some(LicenseType::TimeVolume)) => {
            format!("{} of use, added to your subscription", volume.unwrap_or_else(|| "A period".into()))
        }
        (Some(LicensingModel::Subscription), _) => "Activates the subscription".into(),
        (Some(LicensingModel::Rental), Some(LicenseType::TimeVolume)) => {
            format!("Rents the feature for {}", volume.unwrap_or_else(|| "a period".into()))
        }
        (Some(LicensingModel::Rental), _) => "The feature you rent time for".into(),
        (Some(LicensingModel::Floating), _) => match template.max_sessions {
            Some(1) => "1 concurrent session".into(),
            Some(n) => format!("Up to {n} concurrent sessions"),
            None => "Concurrent sessions".into(),
        },
        (Some(LicensingModel::MultiFeature), _) => "Unlocks this feature".into(),
        (Some(LicensingModel::PayPerUse), _) => match template.quantity {
            Some(n) => format!("{n} uses"),
            None => "Uses, counted as you go".into(),
        },
        (Some(LicensingModel::Quota), _) => match template.quota {
            Some(n) => format!("A quota of {n}"),
            None => "A quota".into(),
        },
        (Some(LicensingModel::NodeLocked), _) => "Locked to one device".into(),
        (Some(LicensingModel::PricingTable), _) => "A plan of the pricing table".into(),
        (_, Some(LicenseType::TimeVolume)) => format!("Valid for {}", volume.unwrap_or_else(|| "a period".into())),
        _ => "A license".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_described_by_their_model() {
        let month = LicenseTemplate {
            license_type: Some(LicenseType::TimeVolume),
            time_volume: Some(1),
            time_volume_period: Some(TimeVolumePeriod::Month),
            ..LicenseTemplate::default()
        };
        assert_eq!(gives(Some(LicensingModel::Subscription), &month), "1 month of use, added to your subscription");
        let floating = LicenseTemplate { max_sessions: Some(5), ..LicenseTemplate::default() };
        assert_eq!(gives(Some(LicensingModel::Floating), &floating), "Up to 5 concurrent sessions");
        assert_eq!(amount(Money::new("54".parse().unwrap()), Some(Currency::Eur)), "54.00 EUR");
        assert_eq!(amount(Money::ZERO, None), "free");
    }
}
