//! Hand-written SVG charts for the Markdown report: F1 per label (grouped
//! bars, one colour per ablation mode) and the latency histogram (log-scale
//! step areas, one per mode, with p50/p95 markers).
//!
//! Plain SVG 1.1 with no scripts and no external resources, so the files
//! render the same on GitHub, in browsers and in converters. Every piece of
//! text is XML-escaped; charts carry numbers and labels only.

use std::fmt::Write as _;

use super::report::CorpusReport;
use super::Mode;

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const INK: &str = "#1f2933";
const MUTED: &str = "#616e7c";
const GRID: &str = "#e4e7eb";

/// The colour of a mode in every chart.
pub fn mode_colour(m: Mode) -> &'static str {
    match m {
        Mode::Rules => "#4c78a8",
        Mode::Model => "#f58518",
        Mode::Fused => "#54a24b",
    }
}

/// Escape text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

fn open(w: f64, h: f64, title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONT}" role="img">"#
    );
    let _ = writeln!(s, "<title>{}</title>", esc(title));
    let _ = writeln!(
        s,
        r##"<rect x="0" y="0" width="{w:.0}" height="{h:.0}" fill="#ffffff"/>"##
    );
    s
}

fn text(s: &mut String, x: f64, y: f64, size: u32, fill: &str, anchor: &str, body: &str) {
    let _ = writeln!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}" fill="{fill}" text-anchor="{anchor}">{}</text>"#,
        esc(body)
    );
}

fn heading(s: &mut String, title: &str, subtitle: &str) {
    let _ = writeln!(
        s,
        r#"<text x="24" y="30" font-size="17" font-weight="600" fill="{INK}">{}</text>"#,
        esc(title)
    );
    text(s, 24.0, 50.0, 12, MUTED, "start", subtitle);
}

/// Legend entries left to right from `(x, y)`; returns nothing, draws
/// squares and labels.
fn legend(s: &mut String, x: f64, y: f64, items: &[(String, &str, f64)]) {
    let mut cx = x;
    for (label, colour, opacity) in items {
        let _ = writeln!(
            s,
            r#"<rect x="{cx:.1}" y="{:.1}" width="12" height="12" rx="2" fill="{colour}" fill-opacity="{opacity}"/>"#,
            y - 10.0
        );
        text(s, cx + 17.0, y, 12, INK, "start", label);
        cx += 17.0 + 7.0 * label.chars().count() as f64 + 18.0;
    }
}

fn y_title(s: &mut String, x: f64, y: f64, body: &str) {
    let _ = writeln!(
        s,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="12" fill="{MUTED}" text-anchor="middle" transform="rotate(-90 {x:.1} {y:.1})">{}</text>"#,
        esc(body)
    );
}

/// Grouped bars of strict F1 (solid) over overlap F1 (light) per evaluated
/// label plus the micro average, one colour per mode.
pub fn f1_chart(c: &CorpusReport) -> String {
    let modes: Vec<Mode> = c.modes.iter().map(|m| m.mode).collect();
    let n = modes.len().max(1) as f64;
    let mut groups: Vec<(String, Vec<(f64, f64)>)> = c
        .evaluated_labels
        .iter()
        .map(|l| {
            let vals = c
                .modes
                .iter()
                .map(|m| {
                    (
                        m.metrics.strict.per_label.get(l).map_or(0.0, |p| p.f1),
                        m.metrics.overlap.per_label.get(l).map_or(0.0, |p| p.f1),
                    )
                })
                .collect();
            (l.as_str().to_string(), vals)
        })
        .collect();
    groups.push((
        "micro avg".to_string(),
        c.modes
            .iter()
            .map(|m| (m.metrics.strict.micro.f1, m.metrics.overlap.micro.f1))
            .collect(),
    ));

    let (bar_w, bar_gap) = (24.0, 4.0);
    let group_w = n * bar_w + (n - 1.0) * bar_gap;
    let pitch = (group_w + 32.0).max(118.0);
    let (left, top, plot_h) = (72.0, 96.0, 250.0);
    let plot_w = pitch * groups.len() as f64;
    let width = (left + plot_w + 24.0).max(560.0);
    let height = top + plot_h + 56.0;
    let y = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 1.0));

    let mut s = open(width, height, &format!("F1 per label — {}", c.name));
    heading(
        &mut s,
        &format!("F1 per label — {}", c.name),
        &format!(
            "{} documents · solid: strict F1 (exact span) · light: overlap F1",
            c.docs_evaluated
        ),
    );
    let mut items: Vec<(String, &str, f64)> = modes
        .iter()
        .map(|m| (m.as_str().to_string(), mode_colour(*m), 1.0))
        .collect();
    items.push(("overlap".to_string(), MUTED, 0.3));
    legend(&mut s, 24.0, 76.0, &items);

    for k in 0..=5 {
        let v = k as f64 / 5.0;
        let yy = y(v);
        let _ = writeln!(
            s,
            r#"<line x1="{left:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{}" stroke-width="1"/>"#,
            left + plot_w,
            if k == 0 { MUTED } else { GRID }
        );
        text(
            &mut s,
            left - 8.0,
            yy + 4.0,
            11,
            MUTED,
            "end",
            &format!("{:.0} %", v * 100.0),
        );
    }
    y_title(&mut s, 22.0, top + plot_h / 2.0, "F1 (%)");

    for (g, (label, vals)) in groups.iter().enumerate() {
        let gx = left + pitch * g as f64 + (pitch - group_w) / 2.0;
        for (i, (m, (strict, overlap))) in modes.iter().zip(vals).enumerate() {
            let x = gx + i as f64 * (bar_w + bar_gap);
            let colour = mode_colour(*m);
            let _ = writeln!(
                s,
                r#"<g><title>{}</title>"#,
                esc(&format!(
                    "{} · {label}: strict F1 {:.1} %, overlap F1 {:.1} %",
                    m.as_str(),
                    strict * 100.0,
                    overlap * 100.0
                ))
            );
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}" fill="{colour}" fill-opacity="0.3"/>"#,
                y(*overlap),
                y(0.0) - y(*overlap)
            );
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}" fill="{colour}"/>"#,
                y(*strict),
                y(0.0) - y(*strict)
            );
            text(
                &mut s,
                x + bar_w / 2.0,
                y(*strict) - 4.0,
                10,
                INK,
                "middle",
                &format!("{:.0}", strict * 100.0),
            );
            s.push_str("</g>\n");
        }
        text(
            &mut s,
            left + pitch * (g as f64 + 0.5),
            top + plot_h + 20.0,
            12,
            INK,
            "middle",
            label,
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Ticks for a log axis between `lo` and `hi` (both > 0): decades, plus 2
/// and 5 multiples when the range is short.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let (a, b) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
    let mults: &[f64] = if b - a <= 3 { &[1.0, 2.0, 5.0] } else { &[1.0] };
    let mut t = Vec::new();
    for e in a..=b {
        for m in mults {
            let v = m * 10f64.powi(e);
            if v >= lo * 0.999 && v <= hi * 1.001 {
                t.push(v);
            }
        }
    }
    t
}

fn tick_label(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').to_string()
    }
}

/// A "nice" upper bound ≥ `v` for a percentage axis.
fn nice_max(v: f64) -> f64 {
    for step in [0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1.0] {
        if v <= step {
            return step;
        }
    }
    1.0
}

/// Number of histogram bins.
pub const BINS: usize = 40;

/// Histogram of per-document latency on a log axis, one step area per mode,
/// with p50 (solid) and p95 (dashed) markers.
pub fn latency_chart(c: &CorpusReport) -> String {
    let rows = c.modes.len().max(1) as f64;
    let (left, plot_w, plot_h) = (72.0, 620.0, 240.0);
    let top = 96.0 + 20.0 * (rows - 1.0);
    let width = left + plot_w + 32.0;
    let height = top + plot_h + 60.0;
    let title = format!("Latency per document — {}", c.name);
    let mut s = open(width, height, &title);
    heading(
        &mut s,
        &title,
        &format!(
            "{} documents per mode · batch time shared by document length · solid line p50, dashed p95",
            c.docs_evaluated
        ),
    );
    // One legend row per mode: colour, name, percentiles.
    for (i, m) in c.modes.iter().enumerate() {
        let yy = 76.0 + 20.0 * i as f64;
        legend(
            &mut s,
            24.0,
            yy,
            &[(m.mode.as_str().to_string(), mode_colour(m.mode), 1.0)],
        );
        text(
            &mut s,
            100.0,
            yy,
            12,
            MUTED,
            "start",
            &format!(
                "p50 {} ms · p95 {} ms · p99 {} ms · {} docs/s",
                short_num(m.speed.p50_ms),
                short_num(m.speed.p95_ms),
                short_num(m.speed.p99_ms),
                short_num(m.speed.docs_per_s)
            ),
        );
    }

    const FLOOR: f64 = 1e-4;
    let all: Vec<f64> = c
        .modes
        .iter()
        .flat_map(|m| m.speed.latencies_ms.iter().copied())
        .filter(|v| v.is_finite())
        .map(|v| v.max(FLOOR))
        .collect();
    if all.is_empty() {
        text(
            &mut s,
            left + plot_w / 2.0,
            top + plot_h / 2.0,
            14,
            MUTED,
            "middle",
            "no documents",
        );
        s.push_str("</svg>\n");
        return s;
    }
    let mut lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = all.iter().copied().fold(0.0, f64::max);
    // At least one decade, so a narrow distribution is not a single spike.
    if hi / lo < 10.0 {
        let mid = (lo * hi).sqrt();
        lo = (mid / 10f64.sqrt()).max(FLOOR);
        hi = lo * 10.0;
    }
    // Breathing room so no bar touches the frame.
    let pad = (hi / lo).powf(0.04);
    lo = (lo / pad).max(FLOOR * 0.5);
    hi *= pad;
    let (llo, lhi) = (lo.log10(), hi.log10());
    let x = |v: f64| left + plot_w * ((v.max(lo).log10() - llo) / (lhi - llo)).clamp(0.0, 1.0);
    let bin_of = |v: f64| {
        let f = (v.max(lo).log10() - llo) / (lhi - llo);
        ((f * BINS as f64) as usize).min(BINS - 1)
    };
    let shares: Vec<Vec<f64>> = c
        .modes
        .iter()
        .map(|m| {
            let mut h = vec![0usize; BINS];
            for &v in &m.speed.latencies_ms {
                if v.is_finite() {
                    h[bin_of(v.max(FLOOR))] += 1;
                }
            }
            let n = m.speed.latencies_ms.len().max(1) as f64;
            h.into_iter().map(|k| k as f64 / n).collect()
        })
        .collect();
    let ymax = nice_max(shares.iter().flatten().copied().fold(0.0, f64::max));
    let y = |v: f64| top + plot_h * (1.0 - (v / ymax).clamp(0.0, 1.0));

    for k in 0..=5 {
        let v = ymax * k as f64 / 5.0;
        let yy = y(v);
        let _ = writeln!(
            s,
            r#"<line x1="{left:.1}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="{}" stroke-width="1"/>"#,
            left + plot_w,
            if k == 0 { MUTED } else { GRID }
        );
        text(
            &mut s,
            left - 8.0,
            yy + 4.0,
            11,
            MUTED,
            "end",
            &format!("{:.0} %", v * 100.0),
        );
    }
    for t in log_ticks(lo, hi) {
        let xx = x(t);
        let _ = writeln!(
            s,
            r#"<line x1="{xx:.1}" y1="{:.1}" x2="{xx:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1"/>"#,
            top + plot_h,
            top + plot_h + 5.0
        );
        text(
            &mut s,
            xx,
            top + plot_h + 18.0,
            11,
            MUTED,
            "middle",
            &tick_label(t),
        );
    }
    text(
        &mut s,
        left + plot_w / 2.0,
        top + plot_h + 42.0,
        12,
        MUTED,
        "middle",
        "latency per document (ms, log scale)",
    );
    y_title(&mut s, 22.0, top + plot_h / 2.0, "documents (%)");

    let edge = |i: usize| 10f64.powf(llo + (lhi - llo) * i as f64 / BINS as f64);
    for (m, h) in c.modes.iter().zip(&shares) {
        let colour = mode_colour(m.mode);
        let mut d = format!("M{:.1},{:.1}", x(edge(0)), y(0.0));
        for (i, v) in h.iter().enumerate() {
            let _ = write!(
                d,
                " L{:.1},{:.1} L{:.1},{:.1}",
                x(edge(i)),
                y(*v),
                x(edge(i + 1)),
                y(*v)
            );
        }
        let _ = write!(d, " L{:.1},{:.1} Z", x(edge(BINS)), y(0.0));
        let _ = writeln!(
            s,
            r#"<path d="{d}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" stroke-width="1.6" stroke-linejoin="round"/>"#
        );
        for (v, dash, name) in [(m.speed.p50_ms, "", "p50"), (m.speed.p95_ms, "5 4", "p95")] {
            if v > 0.0 {
                let xx = x(v);
                let _ = writeln!(
                    s,
                    r#"<line x1="{xx:.1}" y1="{top:.1}" x2="{xx:.1}" y2="{:.1}" stroke="{colour}" stroke-width="1.4" stroke-dasharray="{dash}"><title>{} {name} {} ms</title></line>"#,
                    top + plot_h,
                    m.mode.as_str(),
                    short_num(v)
                );
            }
        }
    }
    // The axis on top of the areas' baselines.
    let _ = writeln!(
        s,
        r#"<line x1="{left:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{MUTED}" stroke-width="1"/>"#,
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    s.push_str("</svg>\n");
    s
}

fn short_num(v: f64) -> String {
    if v < 0.1 {
        format!("{v:.3}")
    } else if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::metrics::{Counts, Metrics, Prf};
    use crate::eval::report::{CorpusReport, ModeReport};
    use crate::eval::speed::SpeedRecorder;
    use crate::types::Label;
    use std::collections::BTreeMap;
    use std::time::Duration;

    /// A corpus report with three modes and made-up numbers.
    fn sample() -> CorpusReport {
        let labels = [Label::Person, Label::Organization, Label::Location];
        let modes = Mode::ALL
            .iter()
            .enumerate()
            .map(|(k, &mode)| {
                let mut metrics = Metrics::default();
                for (i, l) in labels.iter().enumerate() {
                    let tp = 20 + 15 * k + 10 * i;
                    let c = Counts {
                        tp,
                        fp: 30 - 5 * i,
                        fn_: 40 - 10 * k,
                    };
                    metrics.strict.per_label.insert(*l, Prf::from_counts(c));
                    let c = Counts {
                        tp: tp + 12,
                        fp: 18,
                        fn_: 28 - 10 * k,
                    };
                    metrics.overlap.per_label.insert(*l, Prf::from_counts(c));
                }
                metrics.strict.micro = Prf::from_counts(Counts {
                    tp: 70,
                    fp: 40,
                    fn_: 50,
                });
                metrics.overlap.micro = Prf::from_counts(Counts {
                    tp: 90,
                    fp: 20,
                    fn_: 30,
                });
                let mut rec = SpeedRecorder::new();
                for d in 0..300u64 {
                    let base = [0.05, 4.0, 4.3][k];
                    let us = (base * 1000.0 * (1.0 + ((d * 7919) % 97) as f64 / 40.0)) as u64;
                    rec.record(&["ein Satz"], Duration::from_micros(us.max(1)));
                }
                ModeReport {
                    mode,
                    failed_docs: 0,
                    metrics,
                    speed: rec.finish(),
                }
            })
            .collect();
        CorpusReport {
            name: "germeval2014/dev.tsv".into(),
            format: crate::eval::corpus::Format::Germeval,
            path: "dev.tsv".into(),
            mapping: "germeval".into(),
            scheme: None,
            docs_read: 300,
            docs_evaluated: 300,
            tokens: 600,
            chars: 2400,
            malformed_lines: 0,
            skipped_records: 0,
            problems: Vec::new(),
            gold_ampel_docs: 0,
            gold_by_label: BTreeMap::new(),
            ignored_labels: BTreeMap::new(),
            unmapped_labels: BTreeMap::new(),
            evaluated_labels: labels.to_vec(),
            modes,
        }
    }

    #[test]
    fn f1_chart_has_a_bar_pair_per_label_and_mode() {
        let svg = f1_chart(&sample());
        // 3 labels + micro, 3 modes, strict and overlap bar each.
        assert_eq!(svg.matches("<g><title>").count(), 12);
        for m in Mode::ALL {
            assert_eq!(svg.matches(mode_colour(m)).count(), 4 * 2 + 1, "{m:?}");
        }
        assert!(svg.contains(">ORGANIZATION</text>"));
        assert!(svg.contains(">micro avg</text>"));
        assert!(svg.contains("F1 per label — germeval2014/dev.tsv"));
    }

    #[test]
    fn latency_chart_has_one_area_and_two_markers_per_mode() {
        let svg = latency_chart(&sample());
        assert_eq!(svg.matches("<path ").count(), 3);
        assert_eq!(svg.matches("</title></line>").count(), 6);
        assert!(svg.contains("latency per document (ms, log scale)"));
        let mut empty = sample();
        empty.modes.clear();
        assert!(latency_chart(&empty).contains("no documents"));
    }

    /// Writes sample charts to the temp folder for a look with a viewer.
    #[test]
    #[ignore = "writes sample charts into the temp folder"]
    fn dump_sample_charts() {
        let dir = std::env::temp_dir();
        std::fs::write(dir.join("ampel-f1.svg"), f1_chart(&sample())).unwrap();
        std::fs::write(dir.join("ampel-latency.svg"), latency_chart(&sample())).unwrap();
    }

    #[test]
    fn escaping() {
        assert_eq!(esc("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&#39; ");
    }

    #[test]
    fn log_ticks_cover_the_range() {
        assert_eq!(
            log_ticks(0.1, 10.0),
            vec![0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0]
        );
        assert_eq!(
            log_ticks(0.001, 1000.0),
            vec![0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0]
        );
        assert_eq!(tick_label(0.05), "0.05");
        assert_eq!(tick_label(20.0), "20");
        assert_eq!(nice_max(0.31), 0.5);
    }
}
