//! `cargo xtask bench`: builds the benchmarks in release mode (the `bench` profile inherits `release`), runs the
//! codec benchmark (`netlicensing-model`) and the HTTP benchmark (`netlicensing-server`), and closes with one
//! table of every figure beside its baseline and the ratio between them.
//!
//! The benchmarks print their own summaries; this reads those lines, so what they measure stays theirs:
//! - codec: `serde_json on plain structs: N items/s (baseline)` and `<Format> via typed entities: N items/s
//!   ratio to baseline R`;
//! - HTTP, per backend: `HTTP benchmark on <backend>: ...`, then `health N requests/s ...`,
//!   `validate N requests/s ...` and `validate/health throughput ratio R (target at least T)`.

use std::{
    io::{BufRead, BufReader},
    process::Stdio,
};

/// One figure of the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// Its rate.
    pub value: f64,
    /// The unit of the rate (`items/s`).
    pub unit: &'static str,
    /// What it is compared with.
    pub baseline: String,
    /// The baseline's rate.
    pub baseline_value: f64,
    /// `value / baseline_value` as the benchmark printed it.
    pub ratio: f64,
    /// The ratio to reach, if the benchmark names one.
    pub target: Option<String>,
}

/// Runs the benchmarks (extra arguments go to each benchmark binary) and prints the summary.
pub fn run(extra: &[String]) -> Result<(), String> {
    let mut command = super::cargo(&[
        "bench",
        "--locked",
        "-p",
        "netlicensing-model",
        "--bench",
        "codec",
        "-p",
        "netlicensing-server",
        "--bench",
        "http",
    ]);
    if !extra.is_empty() {
        command.arg("--").args(extra);
    }
    println!("xtask: benchmarks: {command:?}");
    let mut child = command.stdout(Stdio::piped()).spawn().map_err(|e| format!("benchmarks (could not start: {e})"))?;
    let mut output = Vec::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            output.push(line);
        }
    }
    let status = child.wait().map_err(|e| format!("benchmarks ({e})"))?;
    if !status.success() {
        return Err(format!("benchmarks ({status})"));
    }
    let figures = parse(&output);
    if figures.is_empty() {
        return Err("benchmark summary (no figures found in the benchmarks' output)".into());
    }
    print!("{}", summary(&figures));
    Ok(())
}

/// The figures in the benchmarks' output.
pub fn parse(lines: &[String]) -> Vec<Figure> {
    let mut figures = Vec::new();
    let mut codec_baseline = None;
    let mut backend = String::new();
    let (mut health, mut validate) = (None, None);
    for line in lines.iter().map(|l| l.trim()) {
        if let Some(rest) = line.strip_prefix("serde_json on plain structs:") {
            codec_baseline = first_number(rest);
        } else if let Some((name, rest)) = line.split_once(" via typed entities:") {
            let (Some(value), Some(ratio), Some(baseline_value)) =
                (first_number(rest), number_after(rest, "ratio to baseline"), codec_baseline)
            else {
                continue;
            };
            figures.push(Figure {
                name: format!("codec: {name} via typed entities"),
                value,
                unit: "items/s",
                baseline: "serde_json on plain structs".into(),
                baseline_value,
                ratio,
                target: None,
            });
        } else if let Some(rest) = line.strip_prefix("HTTP benchmark on ") {
            backend = rest.split(':').next().unwrap_or("").to_owned();
            (health, validate) = (None, None);
        } else if let Some(rest) = line.strip_prefix("health ") {
            health = first_number(rest);
        } else if let Some(rest) = line.strip_prefix("validate ") {
            validate = first_number(rest);
        } else if let Some(rest) = line.strip_prefix("validate/health throughput ratio") {
            let (Some(value), Some(baseline_value), Some(ratio)) = (validate, health, first_number(rest)) else {
                continue;
            };
            let target = rest.split_once("(target").map(|(_, t)| t.trim_end_matches(')').trim().to_owned());
            figures.push(Figure {
                name: format!("http ({backend}): validate"),
                value,
                unit: "requests/s",
                baseline: format!("http ({backend}): health"),
                baseline_value,
                ratio,
                target,
            });
        }
    }
    figures
}

/// The closing table.
pub fn summary(figures: &[Figure]) -> String {
    let mut out = String::from("\nxtask: benchmark summary (each figure with its ratio to its baseline)\n");
    out.push_str(&format!("  {:<34} {:>20}  {:<30} {:>20}  {:>6}\n", "figure", "value", "baseline", "value", "ratio"));
    for f in figures {
        let target = f.target.as_ref().map(|t| format!("  (target {t})")).unwrap_or_default();
        out.push_str(&format!(
            "  {:<34} {:>20}  {:<30} {:>20}  {:>6.2}{target}\n",
            f.name,
            format!("{:.0} {}", f.value, f.unit),
            f.baseline,
            format!("{:.0} {}", f.baseline_value, f.unit),
            f.ratio
        ));
    }
    out
}

fn first_number(text: &str) -> Option<f64> {
    text.split_whitespace().find_map(|word| word.parse().ok())
}

fn number_after(text: &str, marker: &str) -> Option<f64> {
    text.split_once(marker).and_then(|(_, rest)| first_number(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_benchmarks_summaries() {
        let output: Vec<String> = "
codec summary: encode + decode of a 1000-item License page (median of 25 runs)
  serde_json on plain structs:     400000 items/s (baseline)
  Xml via typed entities:          100000 items/s  ratio to baseline 0.25
  Json via typed entities:         200000 items/s  ratio to baseline 0.50

HTTP benchmark on Sqlite: 64 connections, 4 s each
  health        9000 requests/s   p50    1.00 ms   p99    2.00 ms
  validate      3000 requests/s   p50    3.00 ms   p99    9.00 ms
  validate/health throughput ratio 0.33 (target at least 0.33)
"
        .lines()
        .map(str::to_owned)
        .collect();
        let figures = parse(&output);
        assert_eq!(figures.len(), 3);
        assert_eq!(figures[0].name, "codec: Xml via typed entities");
        assert_eq!((figures[0].value, figures[0].baseline_value, figures[0].ratio), (100000.0, 400000.0, 0.25));
        assert_eq!(figures[2].name, "http (Sqlite): validate");
        assert_eq!((figures[2].value, figures[2].baseline_value, figures[2].ratio), (3000.0, 9000.0, 0.33));
        assert_eq!(figures[2].target.as_deref(), Some("at least 0.33"));
        let table = summary(&figures);
        assert!(table.contains("http (Sqlite): health") && table.contains("0.50"), "{table}");
    }
}
