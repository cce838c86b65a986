//! An impact measure drawn as SVG from Rust: the baseline, the target as a dashed line, and the
//! dated readings joined up, with their values. The same numbers go in a table beside it, for
//! screen readers and for anyone who prefers one.

use chrono::NaiveDate;
use leptos::prelude::*;

/// What a measure chart draws.
#[derive(Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub unit: String,
    pub baseline: (NaiveDate, f64),
    pub target: f64,
    /// Oldest first.
    pub readings: Vec<(NaiveDate, f64)>,
}

const W: f64 = 600.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 56.0;
const TOP: f64 = 18.0;
const BOTTOM: f64 = 36.0;

/// "27", "3.5", "1,200": at most one decimal place, thousands grouped.
pub fn number(v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    let whole = rounded.trunc().abs() as u64;
    let frac = ((rounded.abs() - whole as f64) * 10.0).round() as u64;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if rounded < 0.0 { "−" } else { "" };
    if frac == 0 { format!("{sign}{grouped}") } else { format!("{sign}{grouped}.{frac}") }
}

/// A value with its unit: "27 %", "14 pupils".
pub fn with_unit(v: f64, unit: &str) -> String {
    if unit == "%" { format!("{} %", number(v)) } else { format!("{} {unit}", number(v)) }
}

/// A coordinate as SVG text, to a tenth, without float formatting (kilobytes of the bundle).
fn at(v: f64) -> String {
    let t = (v * 10.0).round() as i64;
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", t.abs() / 10, t.abs() % 10)
}

/// Up to five round values spanning `lo..=hi`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(raw);
    let mut v = (lo / step).ceil() * step;
    let mut out = vec![];
    while v <= hi + step * 1e-6 && out.len() < 8 {
        out.push(v);
        v += step;
    }
    out
}

/// A number as typed into a form ("27", "3.5", "-4"), read with the JSON number parser the
/// bundle already has rather than a second one.
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', "");
    serde_json::from_str::<f64>(&t).ok().filter(|v| v.is_finite())
}

/// The chart, as an `<svg>` with a text alternative naming its story.
pub fn measure_chart(s: &Series) -> impl IntoView + use<> {
    let values: Vec<f64> =
        s.readings.iter().map(|r| r.1).chain([s.baseline.1, s.target]).filter(|v| v.is_finite()).collect();
    let (mut lo, mut hi) = values.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    if lo == hi {
        lo -= 1.0;
        hi += 1.0;
    }
    // A percentage reads best from 0.
    if s.unit == "%" && lo >= 0.0 {
        lo = 0.0;
        hi = hi.max(100.0_f64.min(hi * 1.1));
    }
    let pad = (hi - lo) * 0.08;
    let (lo, hi) = (if lo == 0.0 { 0.0 } else { lo - pad }, hi + pad);
    let first = s.baseline.0;
    let last = s.readings.last().map(|r| r.0).unwrap_or(first).max(first);
    let days = ((last - first).num_days().max(1)) as f64;
    let x = move |d: NaiveDate| LEFT + ((d - first).num_days() as f64 / days) * (W - LEFT - RIGHT);
    let y = move |v: f64| TOP + (1.0 - (v - lo) / (hi - lo)) * (H - TOP - BOTTOM);
    let points: Vec<(f64, f64, f64, NaiveDate)> =
        std::iter::once(s.baseline).chain(s.readings.iter().copied()).map(|(d, v)| (x(d), y(v), v, d)).collect();
    let path = points.iter().map(|(px, py, _, _)| format!("{},{}", at(*px), at(*py))).collect::<Vec<_>>().join(" ");
    let target_y = y(s.target);
    let latest = s.readings.last().map(|r| r.1);
    let story = match latest {
        Some(l) => format!(
            "{}: from a baseline of {} to {} at the latest reading; the target is {}.",
            s.name,
            with_unit(s.baseline.1, &s.unit),
            with_unit(l, &s.unit),
            with_unit(s.target, &s.unit)
        ),
        None => format!(
            "{}: baseline {}, target {}; no readings yet.",
            s.name,
            with_unit(s.baseline.1, &s.unit),
            with_unit(s.target, &s.unit)
        ),
    };
    let unit = s.unit.clone();
    let target_label = format!("Target {}", with_unit(s.target, &s.unit));
    let grid = ticks(lo, hi);
    let label_dates: Vec<(f64, String)> = {
        let mut seen: Vec<(f64, String)> = vec![];
        for (px, _, _, d) in &points {
            // Dates closer than 60 px to the last labelled one are left to the table.
            if seen.last().is_none_or(|(lx, _)| px - lx >= 60.0) {
                seen.push((*px, super::day_month(*d)));
            }
        }
        seen
    };
    view! {
        <svg class="chart" viewBox="0 0 600 240" role="img" aria-label=story preserveAspectRatio="xMidYMid meet">
            <g class="chart-grid">
                {grid.into_iter().map(|v| {
                    let gy = y(v);
                    view! {
                        <line x1=at(LEFT) x2=at(W - RIGHT) y1=at(gy) y2=at(gy)/>
                        <text x=at(LEFT - 8.0) y=at(gy + 4.0) text-anchor="end">{number(v)}</text>
                    }
                }).collect_view()}
            </g>
            <g class="chart-dates">
                {label_dates.into_iter().map(|(px, label)| view! {
                    <text x=at(px) y=at(H - 12.0) text-anchor="middle">{label}</text>
                }).collect_view()}
            </g>
            <line class="chart-target" x1=at(LEFT) x2=at(W - RIGHT) y1=at(target_y) y2=at(target_y)/>
            <text class="chart-target-label" x=at(W - RIGHT - 4.0) y=at(target_y - 6.0) text-anchor="end">{target_label}</text>
            <polyline class="chart-line" points=path fill="none"/>
            {points.into_iter().enumerate().map(|(i, (px, py, v, _))| {
                let class = if i == 0 { "chart-point chart-baseline" } else { "chart-point" };
                let label = with_unit(v, &unit);
                view! {
                    <circle class=class cx=at(px) cy=at(py) r="5"/>
                    <text class="chart-value" x=at(px) y=at(py - 10.0) text-anchor="middle">{label}</text>
                }
            }).collect_view()}
        </svg>
    }
}

/// One row of a dot chart: an item and each column's mean (1–5), if shown.
pub struct DotRow {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Ratings on a 1–5 scale, an item per row and a marker per column (a shape and a colour each, so
/// it reads in grey too), with a legend; `story` is its text alternative. The table beside it holds
/// the same numbers.
pub fn dot_chart(columns: &[&'static str], rows: &[DotRow], story: String) -> impl IntoView + use<> {
    const LABEL: f64 = 250.0;
    const ROW: f64 = 30.0;
    const TOP: f64 = 46.0;
    let h = TOP + ROW * rows.len() as f64 + 24.0;
    let x = |v: f64| LABEL + (v - 1.0) / 4.0 * (W - LABEL - 24.0);
    let marker = |i: usize, cx: f64, cy: f64| -> AnyView {
        let class = format!("dot dot-{i}");
        match i % 4 {
            0 => view! { <circle class=class cx=at(cx) cy=at(cy) r="6"/> }.into_any(),
            1 => view! { <rect class=class x=at(cx - 5.5) y=at(cy - 5.5) width="11" height="11"/> }.into_any(),
            2 => view! { <polygon class=class points=format!("{},{} {},{} {},{}", at(cx), at(cy - 7.0), at(cx + 6.5), at(cy + 5.0), at(cx - 6.5), at(cy + 5.0))/> }.into_any(),
            _ => view! { <polygon class=class points=format!("{},{} {},{} {},{} {},{}", at(cx), at(cy - 7.0), at(cx + 7.0), at(cy), at(cx), at(cy + 7.0), at(cx - 7.0), at(cy))/> }.into_any(),
        }
    };
    let legend = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let lx = 8.0 + i as f64 * 120.0;
            view! { {marker(i, lx + 6.0, 14.0)}<text x=at(lx + 18.0) y="19">{*c}</text> }
        })
        .collect_view();
    let grid = (1..=5)
        .map(|v| {
            let gx = x(f64::from(v));
            view! {
                <line x1=at(gx) x2=at(gx) y1=at(TOP - 8.0) y2=at(h - 22.0)/>
                <text x=at(gx) y=at(h - 6.0) text-anchor="middle">{v.to_string()}</text>
            }
        })
        .collect_view();
    let body = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let cy = TOP + ROW * r as f64 + ROW / 2.0;
            let label = row.label.clone();
            let dots = row.values.iter().enumerate().filter_map(|(i, v)| v.map(|v| marker(i, x(v), cy))).collect_view();
            view! {
                <text class="dot-label" x=at(LABEL - 10.0) y=at(cy + 4.0) text-anchor="end">{label}</text>
                <line class="dot-rule" x1=at(x(1.0)) x2=at(x(5.0)) y1=at(cy) y2=at(cy)/>
                {dots}
            }
        })
        .collect_view();
    let view_box = format!("0 0 600 {}", at(h));
    view! {
        <svg class="chart dots" viewBox=view_box role="img" aria-label=story preserveAspectRatio="xMidYMid meet">
            <g class="chart-grid">{grid}</g>
            <g class="chart-legend">{legend}</g>
            {body}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number(27.0), "27");
        assert_eq!(number(3.25), "3.3");
        assert_eq!(number(1200.0), "1,200");
        assert_eq!(number(-4.0), "−4");
        assert_eq!(with_unit(79.0, "%"), "79 %");
        assert_eq!(with_unit(12.0, "pupils"), "12 pupils");
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!((at(12.34), at(-0.05), at(600.0)), ("12.3".into(), "-0.1".into(), "600.0".into()));
    }
}
