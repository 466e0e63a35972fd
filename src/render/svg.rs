//! Charts as inline SVG for the HTML page: no script, no external reference, every text
//! escaped by [`xml_escape`] (after [`sanitize_terminal`], so no control character reaches the
//! markup). Written straight to the destination, one element at a time: a heatmap of five
//! hundred sources is a quarter of a million cells and is never held as one string.
//!
//! Readable without colour and by colour-blind readers: the heatmap's scale is viridis (its
//! lightness rises steadily, so it reads in grey too) and undefined cells are hatched; bars
//! carry their figures as text; stances are told apart by pattern as well as by the
//! Okabe–Ito colours (endorsements solid blue, rejections hatched vermilion, considerations
//! dotted orange).

use std::io::{self, Write};

use super::chart::{Bars, Chart, Heatmap, StanceRow, Stances};
use super::sanitize_terminal;

/// Escapes text for XML character data and attribute values.
pub(super) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize_terminal(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes a chart; `id` makes its pattern ids unique within the page.
pub(super) fn write(out: &mut dyn Write, chart: &Chart, id: usize) -> io::Result<()> {
    match chart {
        Chart::Heatmap(h) => heatmap(out, h, id),
        Chart::Bars(b) => bars(out, b, id),
        Chart::Stances(s) => stances(out, s, id),
    }
}

const BLUE: &str = "#0072B2";
const VERMILION: &str = "#D55E00";
const ORANGE: &str = "#E69F00";
/// Approximate width of a character of the charts' 11px text.
const CHAR_PX: f64 = 7.2;

/// The patterns a chart uses: hatching for undefined cells and rejections, dots for
/// considerations.
fn patterns(out: &mut dyn Write, id: usize) -> io::Result<()> {
    write!(
        out,
        "<defs>\
<pattern id=\"na-{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"#eeeeee\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#888888\" stroke-width=\"2\"/></pattern>\
<pattern id=\"rej-{id}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
<rect width=\"6\" height=\"6\" fill=\"{VERMILION}\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2\"/></pattern>\
<pattern id=\"con-{id}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
<rect width=\"5\" height=\"5\" fill=\"{ORANGE}\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#ffffff\"/></pattern>\
</defs>"
    )
}

fn open(out: &mut dyn Write, width: f64, height: f64, title: &str, id: usize) -> io::Result<()> {
    write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"chart-title-{id}\"><title id=\"chart-title-{id}\">{}</title>",
        xml_escape(title),
        w = width.ceil(),
        h = height.ceil(),
    )?;
    patterns(out, id)
}

/// Viridis at `t` in [0, 1], interpolated between nine of its colours.
fn viridis(t: f64) -> (u8, u8, u8) {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f64;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn heatmap(out: &mut dyn Write, h: &Heatmap, id: usize) -> io::Result<()> {
    let n = h.labels.len();
    if n == 0 {
        return Ok(());
    }
    let cell = (720.0 / n as f64).clamp(3.0, 28.0);
    let labelled = cell >= 9.0;
    let longest = h
        .labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let margin = if labelled {
        longest * CHAR_PX + 8.0
    } else {
        8.0
    };
    let grid = cell * n as f64;
    let legend_h = 46.0;
    let width = margin + grid + 10.0;
    let height = margin + grid + legend_h;
    open(out, width.max(320.0), height, &h.title, id)?;
    if labelled {
        for (i, label) in h.labels.iter().enumerate() {
            let mid = margin + cell * (i as f64 + 0.5);
            let label = xml_escape(label);
            write!(
                out,
                "<text x=\"{x:.1}\" y=\"{mid:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{label}</text>\
<text transform=\"translate({mid:.1},{y:.1}) rotate(-90)\" dominant-baseline=\"middle\">{label}</text>",
                x = margin - 4.0,
                y = margin - 4.0,
            )?;
        }
    }
    let layout = Grid { margin, cell, id };
    for r in 0..n {
        heatmap_row(out, h, r, &layout)?;
    }
    heatmap_scale(out, margin, margin + grid + 12.0, id)
}

/// Where a heatmap's cells go: the margin for labels, the side of a cell, the chart's id.
struct Grid {
    margin: f64,
    cell: f64,
    id: usize,
}

/// One row of the heatmap's cells, each with its figure as a tooltip (up to sixty sources)
/// and as text when the cells are large enough.
fn heatmap_row(out: &mut dyn Write, h: &Heatmap, r: usize, grid: &Grid) -> io::Result<()> {
    let Grid { margin, cell, id } = *grid;
    let n = h.labels.len();
    let numbers = cell >= 24.0;
    let tooltips = n <= 60;
    out.write_all(b"<g>")?;
    for c in 0..n {
        let (x, y) = (margin + cell * c as f64, margin + cell * r as f64);
        let value = h.get(r, c);
        let fill = match value {
            Some(v) => {
                let (red, green, blue) = viridis(v);
                format!("#{red:02x}{green:02x}{blue:02x}")
            }
            None => format!("url(#na-{id})"),
        };
        write!(
            out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell:.1}\" height=\"{cell:.1}\" fill=\"{fill}\""
        )?;
        if tooltips {
            let figure = value.map_or("n/a".to_owned(), |v| format!("{v:.2}"));
            write!(
                out,
                "><title>{} × {}: {figure}</title></rect>",
                xml_escape(&h.labels[r]),
                xml_escape(&h.labels[c])
            )?;
        } else {
            out.write_all(b"/>")?;
        }
        if numbers && let Some(v) = value {
            let class = if v < 0.6 { "on-dark" } else { "on-light" };
            write!(
                out,
                "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" dominant-baseline=\"middle\" font-size=\"9\">{v:.2}</text>",
                x + cell / 2.0,
                y + cell / 2.0
            )?;
        }
    }
    out.write_all(b"</g>\n")
}

/// The heatmap's scale under it: ten steps from 0 to 1, and the hatch of "undefined"; closes
/// the chart.
fn heatmap_scale(out: &mut dyn Write, margin: f64, top: f64, id: usize) -> io::Result<()> {
    for k in 0..10 {
        let (red, green, blue) = viridis((f64::from(k) + 0.5) / 10.0);
        write!(
            out,
            "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"16\" height=\"12\" fill=\"#{red:02x}{green:02x}{blue:02x}\"/>",
            margin + 16.0 * f64::from(k)
        )?;
    }
    write!(
        out,
        "<text x=\"{m:.1}\" y=\"{t:.1}\">0</text><text x=\"{e:.1}\" y=\"{t:.1}\" text-anchor=\"end\">1</text>\
<rect x=\"{n:.1}\" y=\"{top:.1}\" width=\"16\" height=\"12\" fill=\"url(#na-{id})\" stroke=\"#888888\"/>\
<text x=\"{nt:.1}\" y=\"{t2:.1}\">n/a</text></svg>",
        m = margin,
        e = margin + 160.0,
        t = top + 26.0,
        n = margin + 176.0,
        nt = margin + 196.0,
        t2 = top + 10.0,
    )
}

fn bars(out: &mut dyn Write, b: &Bars, id: usize) -> io::Result<()> {
    let longest = b
        .bars
        .iter()
        .map(|x| x.label.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let label_w = longest * CHAR_PX + 10.0;
    let bar_w = 360.0;
    let row = 20.0;
    let width = label_w + bar_w + 160.0;
    let height = row * b.bars.len() as f64 + 24.0;
    open(out, width, height, &b.title, id)?;
    // the axis: 0, 0.5 and 1
    for (k, tick) in ["0", "0.5", "1"].iter().enumerate() {
        let x = label_w + bar_w * k as f64 / 2.0;
        write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"0\" x2=\"{x:.1}\" y2=\"{y:.1}\" stroke=\"#999999\" stroke-dasharray=\"2 3\"/>\
<text x=\"{x:.1}\" y=\"{t:.1}\" text-anchor=\"middle\">{tick}</text>",
            y = height - 18.0,
            t = height - 4.0
        )?;
    }
    for (i, bar) in b.bars.iter().enumerate() {
        let y = row * i as f64;
        write!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
            label_w - 6.0,
            y + row / 2.0,
            xml_escape(&bar.label)
        )?;
        let (w, fill, figure) = match bar.value {
            Some(v) => (
                bar_w * v.clamp(0.0, 1.0),
                BLUE.to_owned(),
                format!("{v:.2}"),
            ),
            None => (bar_w, format!("url(#na-{id})"), "n/a".to_owned()),
        };
        write!(
            out,
            "<rect x=\"{label_w:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" dominant-baseline=\"middle\">{figure} {}</text>",
            y + 3.0,
            row - 6.0,
            label_w + bar_w + 6.0,
            y + row / 2.0,
            xml_escape(&bar.note)
        )?;
    }
    out.write_all(b"</svg>")
}

fn stances(out: &mut dyn Write, s: &Stances, id: usize) -> io::Result<()> {
    let rows: usize = s.groups.iter().map(|g| g.rows.len() + 1).sum();
    let longest = s
        .groups
        .iter()
        .flat_map(|g| g.rows.iter().map(|r| r.label.chars().count()))
        .max()
        .unwrap_or(0) as f64;
    let most = s
        .groups
        .iter()
        .flat_map(|g| g.rows.iter())
        .map(|r| r.reject.max(r.endorse + r.consider))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let label_w = longest * CHAR_PX + 10.0;
    let half = 200.0;
    let unit = half / most;
    let axis = label_w + 40.0 + half;
    let row = 18.0;
    let width = axis + half + 90.0;
    let height = row * rows as f64 + 30.0;
    open(out, width, height, &s.title, id)?;
    let mut y = 0.0;
    for group in &s.groups {
        write!(
            out,
            "<text x=\"0\" y=\"{:.1}\" font-weight=\"bold\" dominant-baseline=\"middle\">{}</text>",
            y + row / 2.0,
            xml_escape(&group.label)
        )?;
        y += row;
        for r in &group.rows {
            stance_row(
                out,
                r,
                &Axis {
                    label_w,
                    axis,
                    unit,
                    row,
                    y,
                },
                id,
            )?;
            y += row;
        }
    }
    write!(
        out,
        "<line x1=\"{axis:.1}\" y1=\"0\" x2=\"{axis:.1}\" y2=\"{y:.1}\" stroke=\"#666666\"/>\
<rect x=\"0\" y=\"{ly:.1}\" width=\"14\" height=\"10\" fill=\"{BLUE}\"/><text x=\"18\" y=\"{lt:.1}\">✓ endorses</text>\
<rect x=\"100\" y=\"{ly:.1}\" width=\"14\" height=\"10\" fill=\"url(#rej-{id})\"/><text x=\"118\" y=\"{lt:.1}\">✗ rejects</text>\
<rect x=\"196\" y=\"{ly:.1}\" width=\"14\" height=\"10\" fill=\"url(#con-{id})\"/><text x=\"214\" y=\"{lt:.1}\">? considers</text></svg>",
        ly = y + 10.0,
        lt = y + 19.0,
    )
}

/// Where a row of the stances chart goes.
struct Axis {
    /// the width of the readings' labels
    label_w: f64,
    /// the middle line: rejections to its left, the rest to its right
    axis: f64,
    /// the width of one source
    unit: f64,
    /// the height of a row, and the top of this one
    row: f64,
    y: f64,
}

/// A reading's row: its label, the bars of rejections (left), endorsements and
/// considerations (right), each count as text.
fn stance_row(out: &mut dyn Write, r: &StanceRow, at: &Axis, id: usize) -> io::Result<()> {
    let Axis {
        label_w,
        axis,
        unit,
        row,
        y,
    } = *at;
    let mid = y + row / 2.0;
    write!(
        out,
        "<text x=\"{:.1}\" y=\"{mid:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">{}</text>",
        label_w - 6.0,
        xml_escape(&r.label)
    )?;
    let (rej, end, con) = (
        unit * r.reject as f64,
        unit * r.endorse as f64,
        unit * r.consider as f64,
    );
    write!(
        out,
        "<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{rej:.1}\" height=\"{h:.1}\" fill=\"url(#rej-{id})\"/>\
<rect x=\"{axis:.1}\" y=\"{top:.1}\" width=\"{end:.1}\" height=\"{h:.1}\" fill=\"{BLUE}\"/>\
<rect x=\"{:.1}\" y=\"{top:.1}\" width=\"{con:.1}\" height=\"{h:.1}\" fill=\"url(#con-{id})\"/>",
        axis - rej,
        axis + end,
        top = y + 3.0,
        h = row - 6.0,
    )?;
    if r.reject > 0 {
        write!(
            out,
            "<text x=\"{:.1}\" y=\"{mid:.1}\" text-anchor=\"end\" dominant-baseline=\"middle\">✗ {}</text>",
            axis - rej - 4.0,
            r.reject
        )?;
    }
    let mut right = Vec::new();
    if r.endorse > 0 {
        right.push(format!("✓ {}", r.endorse));
    }
    if r.consider > 0 {
        right.push(format!("? {}", r.consider));
    }
    write!(
        out,
        "<text x=\"{:.1}\" y=\"{mid:.1}\" dominant-baseline=\"middle\">{}</text>",
        axis + end + con + 4.0,
        right.join("  ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart::{Bar, StanceGroup, StanceRow};

    fn svg(chart: &Chart) -> String {
        let mut out = Vec::new();
        write(&mut out, chart, 7).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            xml_escape("<b>\"x\" & 'y'\x1b"),
            "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;␛"
        );
        let chart = Chart::Bars(Bars {
            title: "<script>".into(),
            caption: String::new(),
            bars: vec![Bar {
                label: "</text><script>alert(1)</script>".into(),
                value: Some(0.5),
                note: "& more".into(),
            }],
        });
        let out = svg(&chart);
        assert!(!out.contains("<script"), "{out}");
        assert!(out.contains("&lt;/text&gt;&lt;script&gt;"));
        assert!(out.contains("0.50 &amp; more"));
    }

    #[test]
    fn heatmap_marks_undefined_cells_and_scales() {
        let chart = Chart::Heatmap(Heatmap {
            title: "t".into(),
            caption: String::new(),
            labels: vec!["a".into(), "b".into()],
            values: vec![Some(1.0), None, None, Some(0.0)],
        });
        let out = svg(&chart);
        assert_eq!(
            out.matches("fill=\"url(#na-7)\"").count(),
            3,
            "two cells and the key"
        );
        assert!(out.contains("fill=\"#fde725\""), "1 is viridis yellow");
        assert!(out.contains("fill=\"#440154\""), "0 is viridis purple");
        assert!(out.contains("<title>a × b: n/a</title>"));
        assert!(out.starts_with("<svg ") && out.ends_with("</svg>"));
    }

    #[test]
    fn stances_label_every_count() {
        let chart = Chart::Stances(Stances {
            title: "t".into(),
            caption: String::new(),
            groups: vec![StanceGroup {
                label: "tears".into(),
                rows: vec![StanceRow {
                    label: "Grief".into(),
                    endorse: 3,
                    consider: 1,
                    reject: 2,
                }],
            }],
        });
        let out = svg(&chart);
        assert!(out.contains("✗ 2") && out.contains("✓ 3  ? 1"), "{out}");
    }
}
