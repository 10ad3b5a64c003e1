//! The validations-per-day chart: bars laid out on the server as SVG (no script; the page's policy allows no
//! inline styles, so sizes are SVG attributes).

use netlicensing_core::repo::DayCount;

/// Width of one day's slot in the SVG's user units.
const SLOT: u32 = 20;
/// Height of the tallest bar.
const TALL: u32 = 120;
/// Where the bars stand (the baseline), from the top.
const BASE: u32 = 140;

/// A bar of the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Height (zero for a day without validations).
    pub height: u32,
    /// The day (`2024-01-31`).
    pub day: String,
    /// Validations that day.
    pub validations: u64,
    /// The axis label under it (every fifth day and the last), if any.
    pub label: Option<String>,
}

/// The chart of days, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// The bars.
    pub bars: Vec<Bar>,
    /// The SVG's width.
    pub width: u32,
    /// Where the bars stand.
    pub base: u32,
    /// The most validations on one day.
    pub max: u64,
    /// Validations over all the days.
    pub total: u64,
    /// What the chart shows, in words (its accessible description).
    pub summary: String,
}

impl Chart {
    /// Lays out the days.
    pub fn of(days: &[DayCount]) -> Self {
        let max = days.iter().map(|d| d.validations).max().unwrap_or(0);
        let total = days.iter().map(|d| d.validations).sum();
        let last = days.len().saturating_sub(1);
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let height = if max == 0 { 0 } else { (d.validations * u64::from(TALL)).div_ceil(max) as u32 };
                let labelled = i % 5 == 0 || i == last;
                Bar {
                    x: i as u32 * SLOT + 2,
                    y: BASE - height,
                    height,
                    day: d.day.format("%Y-%m-%d").to_string(),
                    validations: d.validations,
                    label: labelled.then(|| d.day.format("%m-%d").to_string()),
                }
            })
            .collect();
        let busiest = days.iter().filter(|d| d.validations == max && max > 0).map(|d| d.day).next_back();
        let summary = match busiest {
            Some(day) => format!(
                "{total} validations in the last {} days; the most, {max}, on {}.",
                days.len(),
                day.format("%Y-%m-%d")
            ),
            None => format!("No validations in the last {} days.", days.len()),
        };
        Self { bars, width: days.len() as u32 * SLOT, base: BASE, max, total, summary }
    }

    /// The x of a bar's label (its middle).
    pub fn middle(bar: &Bar) -> u32 {
        bar.x + (SLOT - 4) / 2
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn bars_scale_to_the_busiest_day() {
        let day = |d| NaiveDate::from_ymd_opt(2024, 1, d).unwrap();
        let days: Vec<DayCount> =
            (1..=6).map(|d| DayCount { day: day(d), validations: [0, 3, 12, 1, 0, 6][d as usize - 1] }).collect();
        let chart = Chart::of(&days);
        assert_eq!((chart.max, chart.total, chart.width), (12, 22, 120));
        let heights: Vec<u32> = chart.bars.iter().map(|b| b.height).collect();
        assert_eq!(heights, [0, 30, 120, 10, 0, 60], "a day with any validation shows");
        assert_eq!(chart.bars[2].y, BASE - 120);
        let labels: Vec<_> = chart.bars.iter().filter_map(|b| b.label.clone()).collect();
        assert_eq!(labels, ["01-01", "01-06"]);
        assert_eq!(chart.summary, "22 validations in the last 6 days; the most, 12, on 2024-01-03.");
        assert_eq!(Chart::of(&days[..1]).summary, "No validations in the last 1 days.");
    }
}
