//! Codec benchmark: encode + decode a 1,000-item License page (typed entities → document → text → document →
//! typed entities) in XML and in JSON, against serde_json on equivalent plain structs.
//!
//! Criterion reports each path's throughput; the closing summary prints items per second and the ratio of each
//! wire path to the plain serde_json baseline (ratios, not absolute times, are what to compare across machines).
#![allow(missing_docs, clippy::unwrap_used)]

use std::{hint::black_box, time::Instant};

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput};
use netlicensing_model::{
    Document, Format, Paging, Property,
    entity::{Entity, License},
    types::{Currency, Money, TimeVolumePeriod, WireValue},
};
use serde::{Deserialize, Serialize};

const ITEMS: usize = 1_000;

fn licenses() -> Vec<License> {
    (0..ITEMS)
        .map(|i| License {
            number: format!("L{i:08}"),
            active: i % 7 != 0,
            name: Some(format!("License {i} & co <test>")),
            price: Money::parse_wire("10.50"),
            currency: Some(Currency::Eur),
            hidden: Some(false),
            licensee_number: Some(format!("I{:08}", i / 3)),
            license_template_number: Some("EKR3P2NZU".into()),
            product_module_number: Some("MKGMPKCN9".into()),
            in_use: Some(false),
            grace_period: Some(false),
            time_volume_period: Some(TimeVolumePeriod::Month),
            time_volume: Some(12),
            start_date: Utc.timestamp_millis_opt(1_684_318_420_015 + i as i64).single(),
            custom: vec![Property::new("crmId", format!("CRM-{i}"))],
            ..License::default()
        })
        .collect()
}

/// The same data as plain strings and numbers, the way a serde-first model would hold it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainLicense {
    number: String,
    active: bool,
    name: Option<String>,
    price: Option<String>,
    currency: Option<String>,
    hidden: Option<bool>,
    licensee_number: Option<String>,
    license_template_number: Option<String>,
    product_module_number: Option<String>,
    in_use: Option<bool>,
    grace_period: Option<bool>,
    time_volume_period: Option<String>,
    time_volume: Option<u32>,
    start_date: Option<String>,
    crm_id: Option<String>,
}

fn plain(licenses: &[License]) -> Vec<PlainLicense> {
    licenses
        .iter()
        .map(|l| PlainLicense {
            number: l.number.clone(),
            active: l.active,
            name: l.name.clone(),
            price: l.price.map(|p| p.to_string()),
            currency: l.currency.map(|c| c.to_string()),
            hidden: l.hidden,
            licensee_number: l.licensee_number.clone(),
            license_template_number: l.license_template_number.clone(),
            product_module_number: l.product_module_number.clone(),
            in_use: l.in_use,
            grace_period: l.grace_period,
            time_volume_period: l.time_volume_period.map(|p| p.to_string()),
            time_volume: l.time_volume,
            start_date: l.start_date.map(|d| d.to_wire().into_owned()),
            crm_id: Some("x".into()),
        })
        .collect()
}

fn wire_round_trip(format: Format, licenses: &[License]) -> usize {
    let items = licenses.iter().map(Entity::to_item).collect();
    let doc = Document::page(items, Paging::of(0, ITEMS as u64, ITEMS as u64, ITEMS as u64));
    let text = format.encode(&doc);
    let back = License::all_from(format.decode(text.as_bytes()).unwrap()).unwrap();
    back.len()
}

fn plain_round_trip(plain: &[PlainLicense]) -> usize {
    let text = serde_json::to_string(plain).unwrap();
    let back: Vec<PlainLicense> = serde_json::from_str(&text).unwrap();
    back.len()
}

fn benches(c: &mut Criterion, licenses: &[License], plain: &[PlainLicense]) {
    let mut group = c.benchmark_group("license_page_1000");
    group.throughput(Throughput::Elements(ITEMS as u64));
    group.bench_function("xml", |b| b.iter(|| wire_round_trip(Format::Xml, black_box(licenses))));
    group.bench_function("json", |b| b.iter(|| wire_round_trip(Format::Json, black_box(licenses))));
    group.bench_function("serde_json_plain", |b| b.iter(|| plain_round_trip(black_box(plain))));
    group.finish();
}

/// Median seconds of one round trip over several timed runs.
fn median(mut run: impl FnMut() -> usize) -> f64 {
    let mut times: Vec<f64> = (0..25)
        .map(|_| {
            let start = Instant::now();
            black_box(run());
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let licenses = licenses();
    let plain = plain(&licenses);
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion, &licenses, &plain);
    criterion.final_summary();

    let baseline = median(|| plain_round_trip(&plain));
    println!("\ncodec summary: encode + decode of a {ITEMS}-item License page (median of 25 runs)");
    println!("  serde_json on plain structs: {:>10.0} items/s (baseline)", ITEMS as f64 / baseline);
    for format in Format::ALL {
        let seconds = median(|| wire_round_trip(format, &licenses));
        println!(
            "  {:<28} {:>10.0} items/s  ratio to baseline {:.2}",
            format!("{format:?} via typed entities:"),
            ITEMS as f64 / seconds,
            baseline / seconds
        );
    }
}
