//! SVG plots of a run, read back from its `metrics.jsonl`: `loss.svg` (the step losses and the
//! epochs' train and validation losses), `metrics.svg` (the validation metrics by epoch) and
//! `lr.svg` (the learning rate by step).
//!
//! Drawn with `plotters`' SVG backend without its font features: pure Rust, no system fonts
//! or C libraries; labels are SVG `<text>` that the viewer lays out. Each curve is one
//! `<polyline>`; legend swatches are rectangles, so counting polylines counts curves.

use std::path::Path;

use plotters::prelude::*;
use serde_json::Value;

use crate::error::CliError;
use crate::run_dir::METRICS_FILE;

/// One curve.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// The legend label.
    pub name: String,
    /// `(x, y)` points in order; non-finite values are left out when drawn.
    pub points: Vec<(f64, f64)>,
}

/// A line chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chart {
    /// The title.
    pub title: String,
    /// The x axis label.
    pub x_label: String,
    /// The y axis label.
    pub y_label: String,
    /// The curves.
    pub series: Vec<Series>,
}

/// The stroke width of a curve (axes and ticks are 1).
pub const SERIES_WIDTH: u32 = 2;

const SIZE: (u32, u32) = (720, 440);
const COLORS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// The axis ranges covering every finite point, padded so a flat or single-point curve
/// still gets a non-empty range.
fn ranges(chart: &Chart) -> (std::ops::Range<f64>, std::ops::Range<f64>) {
    let points = chart.series.iter().flat_map(|s| s.points.iter());
    let finite: Vec<&(f64, f64)> = points
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    let span = |values: Vec<f64>| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        match (lo.is_finite(), hi > lo) {
            (false, _) => 0.0..1.0,
            (true, true) => lo..hi + (hi - lo) * 0.02,
            (true, false) => lo - lo.abs().max(1.0) * 0.5..hi + hi.abs().max(1.0) * 0.5,
        }
    };
    (
        span(finite.iter().map(|p| p.0).collect()),
        span(finite.iter().map(|p| p.1).collect()),
    )
}

/// `chart` as an SVG document.
///
/// # Errors
/// [`CliError::Internal`] if plotters fails to draw (it only fails on backend errors, which
/// a string backend does not have).
pub fn render_svg(chart: &Chart) -> Result<String, CliError> {
    let mut svg = String::new();
    draw(chart, &mut svg).map_err(|e| CliError::Internal(format!("plotting: {e}")))?;
    Ok(svg)
}

fn draw<'a>(chart: &Chart, svg: &'a mut String) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (x, y) = ranges(chart);
    let mut ctx = ChartBuilder::on(&root)
        .caption(&chart.title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(x, y)?;
    ctx.configure_mesh()
        .x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .light_line_style(WHITE.mix(0.0))
        .draw()?;
    for (i, series) in chart.series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points = series
            .points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite());
        ctx.draw_series(LineSeries::new(points, color.stroke_width(SERIES_WIDTH)))?
            .label(series.name.clone())
            .legend(move |(x, y)| Rectangle::new([(x, y - 4), (x + 16, y + 4)], color.filled()));
    }
    ctx.configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .position(SeriesLabelPosition::UpperRight)
        .draw()?;
    root.present()?;
    Ok(())
}

/// The charts of a metrics log (its JSON lines, in order).
pub fn run_charts(records: &[Value]) -> [(&'static str, Chart); 3] {
    fn of_kind<'r>(records: &'r [Value], kind: &'r str) -> impl Iterator<Item = &'r Value> {
        records.iter().filter(move |r| r["kind"] == kind)
    }
    let curve = |kind: &str, x: &str, y: &str, name: &str| Series {
        name: name.to_string(),
        points: of_kind(records, kind)
            .filter_map(|r| Some((r[x].as_f64()?, r[y].as_f64()?)))
            .collect(),
    };
    let mut loss = vec![curve("step", "step", "loss", "train loss (step)")];
    for (key, name) in [
        ("train_loss", "train loss (epoch)"),
        ("valid_loss", "valid loss (epoch)"),
    ] {
        let series = curve("epoch", "step", key, name);
        if !series.points.is_empty() {
            loss.push(series);
        }
    }
    let mut metric_names: Vec<&str> = Vec::new();
    for record in of_kind(records, "epoch") {
        for key in record.as_object().into_iter().flat_map(|o| o.keys()) {
            if key.starts_with("valid_")
                && key != "valid_loss"
                && !metric_names.contains(&key.as_str())
            {
                metric_names.push(key);
            }
        }
    }
    let metrics = metric_names
        .iter()
        .map(|name| curve("epoch", "epoch", name, name))
        .collect();
    let chart = |title: &str, x: &str, y: &str, series| Chart {
        title: title.into(),
        x_label: x.into(),
        y_label: y.into(),
        series,
    };
    [
        ("loss.svg", chart("loss", "step", "loss", loss)),
        (
            "metrics.svg",
            chart("validation metrics", "epoch", "value", metrics),
        ),
        (
            "lr.svg",
            chart(
                "learning rate",
                "step",
                "lr",
                vec![curve("step", "step", "lr", "lr")],
            ),
        ),
    ]
}

/// Reads `dir/metrics.jsonl` and writes `loss.svg`, `metrics.svg` and `lr.svg` beside it
/// (`metrics.svg` only when the run has validation metrics).
///
/// # Errors
/// The log cannot be read or holds a malformed line; a plot cannot be written.
pub fn write_run_plots(dir: &Path) -> Result<(), CliError> {
    let path = dir.join(METRICS_FILE);
    let records = read_log(&path)?;
    for (name, chart) in run_charts(&records) {
        if chart.series.is_empty() {
            continue;
        }
        let out = dir.join(name);
        std::fs::write(&out, render_svg(&chart)?)
            .map_err(|source| CliError::Write { path: out, source })?;
    }
    Ok(())
}

/// The records of a metrics log.
///
/// # Errors
/// [`CliError::Read`] if unreadable, [`CliError::Json`] naming the first malformed line.
pub fn read_log(path: &Path) -> Result<Vec<Value>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| CliError::Json {
                path: path.to_path_buf(),
                message: format!("line {}: {e}", i + 1),
            })
        })
        .collect()
}
