//! The dashboard's figures: validations per day (counted in memory, flushed to the store, read back with what
//! is not flushed yet), customers per warning level, floating sessions checked out; each vendor its own.

use chrono::NaiveDate;
use netlicensing_model::{
    Property,
    entity::{Licensee, ModuleParameters, ValidationParameters},
    types::WarningLevel,
};

use super::{form, new_vendor, trial_catalogue};
use crate::{Core, repo::DayCount};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, d).unwrap()
}

fn on(days: &[DayCount], wanted: NaiveDate) -> u64 {
    days.iter().find(|c| c.day == wanted).map_or(0, |c| c.validations)
}

pub async fn dashboard_figures(core: &Core) {
    let vendor = new_vendor(core).await;
    let other = new_vendor(core).await;
    trial_catalogue(core, &vendor).await;
    let days = core.validations_per_day(&vendor, 30).await.unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!((days[0].day, days[29].day), (day(2), day(31)), "the last 30 days, oldest first (UTC)");
    assert!(days.iter().all(|d| d.validations == 0));

    // Counted in memory, dry runs not at all; the figures include what is not flushed yet.
    let params = ValidationParameters { product_number: Some("PV".into()), ..ValidationParameters::default() };
    core.validate(&vendor, "SA", &params).await.unwrap();
    core.validate(&vendor, "SB", &params).await.unwrap();
    let dry = ValidationParameters { dry_run: true, ..params.clone() };
    core.validate(&vendor, "SA", &dry).await.unwrap();
    assert_eq!(on(&core.validations_per_day(&vendor, 30).await.unwrap(), day(31)), 2);
    assert!(core.flush_validations().await.unwrap() >= 2);
    assert_eq!(on(&core.validations_per_day(&vendor, 30).await.unwrap(), day(31)), 2, "flushed: from the store");
    core.validate(&vendor, "SA", &params).await.unwrap();
    assert_eq!(on(&core.validations_per_day(&vendor, 30).await.unwrap(), day(31)), 3, "stored and unflushed");
    core.flush_validations().await.unwrap();
    let earlier = [DayCount { day: day(20), validations: 5 }, DayCount { day: day(1), validations: 7 }];
    core.store().add_validations(vendor.vendor, &earlier).await.unwrap();
    core.store().add_validations(vendor.vendor, &earlier[..1]).await.unwrap();
    let days = core.validations_per_day(&vendor, 30).await.unwrap();
    assert_eq!((on(&days, day(20)), on(&days, day(31)), on(&days, day(1))), (10, 3, 0), "added up; day 1 is too old");
    assert_eq!(core.validations_per_day(&vendor, 7).await.unwrap().len(), 7);
    assert!(core.validations_per_day(&other, 30).await.unwrap().iter().all(|d| d.validations == 0), "not the other's");
    let gone = crate::VendorId(i64::MAX - 1);
    core.store().add_validations(gone, &earlier).await.unwrap();

    // Customers per warning level: the worst of each one's last validation.
    let level = core.get::<Licensee>(&vendor, "SA").await.unwrap().warning_level_summary.and_then(|s| s.worst());
    let levels = core.warning_levels(&vendor).await.unwrap();
    let expected = match level {
        Some(WarningLevel::Red) => (2, 0, 0),
        Some(WarningLevel::Yellow) => (0, 2, 0),
        Some(WarningLevel::Green) => (0, 0, 2),
        None => (0, 0, 0),
    };
    assert_eq!((levels.red, levels.yellow, levels.green), expected, "{level:?}");
    core.create_licensee(&vendor, &form("number=SNEVER&productNumber=PV")).await.unwrap();
    assert_eq!(core.warning_levels(&vendor).await.unwrap(), levels, "never validated: in no level");
    assert_eq!(core.warning_levels(&other).await.unwrap(), Default::default());

    // Floating sessions checked out now.
    assert_eq!(core.floating_sessions(&vendor).await.unwrap(), 0);
    core.create_product_module(&vendor, &form("number=MF&productNumber=PV&name=Float&licensingModel=Floating"))
        .await
        .unwrap();
    core.create_license_template(
        &vendor,
        &form("number=EF&productModuleNumber=MF&name=Seats&licenseType=FLOATING&maxSessions=3"),
    )
    .await
    .unwrap();
    core.create_license(&vendor, &form("number=LF&licenseeNumber=SA&licenseTemplateNumber=EF")).await.unwrap();
    for session in ["s1", "s2"] {
        let mut module = ModuleParameters::new("MF");
        module.parameters.push(Property::new("sessionId", session));
        module.parameters.push(Property::new("action", "checkOut"));
        let checkout = ValidationParameters { modules: vec![module], ..params.clone() };
        core.validate(&vendor, "SA", &checkout).await.unwrap();
    }
    assert_eq!(core.floating_sessions(&vendor).await.unwrap(), 2);
    assert_eq!(core.floating_sessions(&other).await.unwrap(), 0);
}
