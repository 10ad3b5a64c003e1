//! The importer over the memory store: upserts by number, re-runs change nothing, dry runs write nothing.

use std::{collections::BTreeMap, sync::Arc};

use netlicensing_model::{Property, account::RecordLine};

use super::*;
use crate::repo::{NewVendor, memory::MemoryStore};

fn line(kind: Kind, number: &str, links: &[(Kind, &str)], properties: &[(&str, &str)]) -> RecordLine {
    RecordLine {
        kind,
        number: number.into(),
        active: true,
        links: links.iter().map(|(k, n)| (*k, (*n).to_owned())).collect::<BTreeMap<_, _>>(),
        properties: properties.iter().map(|(n, v)| Property::new(*n, *v)).collect(),
        lists: Vec::new(),
    }
}

fn catalogue() -> Vec<RecordLine> {
    vec![
        line(Kind::Product, "P1", &[], &[("name", "App"), ("crm", "p")]),
        line(Kind::ProductModule, "M1", &[(Kind::Product, "P1")], &[("name", "Seats"), ("licensingModel", "Floating")]),
        line(
            Kind::LicenseTemplate,
            "E1",
            &[(Kind::ProductModule, "M1")],
            &[("name", "Seat"), ("licenseType", "FLOATING"), ("maxSessions", "2")],
        ),
        line(Kind::Licensee, "I1", &[(Kind::Product, "P1")], &[("aliases", r#"["a@example.com"]"#)]),
        line(
            Kind::License,
            "L1",
            &[(Kind::Licensee, "I1"), (Kind::LicenseTemplate, "E1")],
            &[("sessionId_s1", "2030-01-01T00:00:00.000Z")],
        ),
    ]
}

async fn store_with_vendor() -> (Arc<MemoryStore>, Vendor) {
    let store = Arc::new(MemoryStore::new());
    let new = NewVendor { number: "V1".into(), login: "v1".into(), password_hash: "hash".into() };
    let vendor = store.create_vendor(&new).await.expect("vendor");
    (store, vendor)
}

#[tokio::test]
async fn lines_are_created_then_left_unchanged_then_updated() {
    let (store, vendor) = store_with_vendor().await;
    let mut importer = Importer::new(store.as_ref(), Some(vendor.clone()), false);
    let outcomes = importer.apply(catalogue()).await.expect("imports");
    assert!(outcomes.iter().all(|o| *o == Outcome::Created), "{outcomes:?}");
    let mut tx = store.read().await.expect("read");
    let license = tx.get(vendor.id, Kind::License, "L1").await.expect("get").expect("stored");
    assert_eq!(license.links.licensee.as_ref().map(|l| l.number.as_str()), Some("I1"));
    assert_eq!(license.property("sessionId_s1"), Some("2030-01-01T00:00:00.000Z"));
    drop(tx);

    let mut again = Importer::new(store.as_ref(), Some(vendor.clone()), false);
    let outcomes = again.apply(catalogue()).await.expect("re-imports");
    assert!(outcomes.iter().all(|o| *o == Outcome::Unchanged), "{outcomes:?}");

    let mut changed = catalogue();
    changed[0].properties[1].value = "q".into();
    changed[4].active = false;
    let outcomes = Importer::new(store.as_ref(), Some(vendor.clone()), false).apply(changed).await.expect("updates");
    assert_eq!(outcomes.iter().filter(|o| **o == Outcome::Updated).count(), 2, "{outcomes:?}");
    let mut tx = store.read().await.expect("read");
    let listing = tx.list(vendor.id, Kind::Product, &crate::record::Query::default()).await.expect("list");
    assert_eq!(listing.total, 1, "nothing duplicated");
    assert_eq!(listing.records[0].property("crm"), Some("q"));
}

#[tokio::test]
async fn a_dry_run_counts_and_writes_nothing() {
    let (store, vendor) = store_with_vendor().await;
    let mut dry = Importer::new(store.as_ref(), Some(vendor.clone()), true);
    dry.apply(catalogue()[..3].to_vec()).await.expect("dry run");
    dry.apply(catalogue()[3..].to_vec()).await.expect("dry run, a later batch under planned parents");
    assert_eq!(dry.summary().total().created, 5);
    assert_eq!(dry.summary().warning_count, 0, "{:?}", dry.summary().warnings);
    let mut tx = store.read().await.expect("read");
    assert!(tx.get(vendor.id, Kind::Product, "P1").await.expect("get").is_none());
    drop(tx);
    let mut missing = Importer::new(store.as_ref(), None, true);
    missing.apply(catalogue()).await.expect("dry run for a new vendor");
    assert_eq!(missing.summary().total().created, 5);
}

#[tokio::test]
async fn bad_lines_are_skipped_with_a_warning() {
    let (store, vendor) = store_with_vendor().await;
    let mut importer = Importer::new(store.as_ref(), Some(vendor.clone()), false);
    let orphan = line(Kind::Licensee, "I9", &[(Kind::Product, "P404")], &[]);
    let malformed = line(Kind::Product, "P2", &[], &[("licenseeAutoCreate", "perhaps")]);
    let mut lines = catalogue();
    lines.push(orphan);
    lines.push(malformed);
    lines.push(line(Kind::Licensee, "I2", &[(Kind::Product, "P1")], &[("aliases", r#"["a@example.com"]"#)]));
    importer.apply(lines).await.expect("imports the rest");
    let summary = importer.into_summary();
    assert_eq!(summary.total().created, 5);
    assert_eq!(summary.total().skipped, 3);
    assert_eq!(summary.warning_count, 3, "{:?}", summary.warnings);
    assert!(summary.warnings.iter().any(|w| w.contains("P404")), "{:?}", summary.warnings);
    assert!(summary.warnings.iter().any(|w| w.contains("a@example.com")), "{:?}", summary.warnings);
}
