//! The SVG plots parse as XML and hold one polyline per curve.

use minitrainer_cli::plot::{Chart, SERIES_WIDTH, Series, render_svg};

use super::{scratch, train_wine};

fn polylines(svg: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    let width = SERIES_WIDTH.to_string();
    doc.descendants()
        .filter(|n| {
            n.has_tag_name("polyline") && n.attribute("stroke-width") == Some(width.as_str())
        })
        .count()
}

#[test]
fn run_plots_have_one_series_per_curve() {
    let dir = scratch("plots").join("wine");
    train_wine(&dir, 2);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    // Step loss, epoch train loss, epoch validation loss.
    assert_eq!(polylines(&read("loss.svg")), 3);
    // valid_accuracy and valid_f1_macro.
    assert_eq!(polylines(&read("metrics.svg")), 2);
    assert_eq!(polylines(&read("lr.svg")), 1);
    assert!(read("metrics.svg").contains("valid_f1_macro"));
}

#[test]
fn a_chart_survives_flat_single_point_and_non_finite_curves() {
    let chart = Chart {
        title: "t".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        series: vec![
            Series {
                name: "flat".into(),
                points: vec![(1.0, 2.0), (2.0, 2.0)],
            },
            Series {
                name: "one".into(),
                points: vec![(1.0, 3.0), (2.0, f64::NAN)],
            },
        ],
    };
    assert_eq!(polylines(&render_svg(&chart).unwrap()), 2);
}
