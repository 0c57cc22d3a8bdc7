//! LR schedulers and gradient clipping against PyTorch (`tools/reference/gen_schedules.py` →
//! `minitrainer-core/tests/fixtures/schedules.json`): every learning rate PyTorch sets, step by
//! step; clipped gradients and returned norms; state round trips; errors by name.

use minitrainer::Tensor;
use minitrainer::module::Param;
use minitrainer::optim::schedule::{LrScheduler, ScheduleError, scheduler_from_str};
use minitrainer::optim::{LearningRates, clip_grad_norm, clip_grad_value};
use serde_json::Value;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const FIXTURE: &str = include_str!("../../minitrainer-core/tests/fixtures/schedules.json");

/// Relative tolerance for learning rates (the brief's bound; most match to the last bit).
const LR_RTOL: f64 = 1e-7;
/// Relative tolerance for clipped f32 gradients and norms (PyTorch accumulates in another order).
const CLIP_RTOL: f32 = 2e-6;

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("the committed fixture is JSON")
}

fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .expect("a list")
        .iter()
        .map(|x| match x {
            Value::String(s) if s == "inf" => f64::INFINITY,
            x => x.as_f64().expect("a number"),
        })
        .collect()
}

struct Case {
    spec: String,
    steps: usize,
    lrs: Vec<Vec<f64>>,
    metrics: Option<Vec<f64>>,
}

fn cases() -> Vec<Case> {
    fixture()["schedules"]
        .as_array()
        .expect("a list of cases")
        .iter()
        .map(|case| Case {
            spec: case["spec"].to_string(),
            steps: case["steps"].as_u64().expect("steps") as usize,
            lrs: case["lrs"]
                .as_array()
                .expect("lrs")
                .iter()
                .map(floats)
                .collect(),
            metrics: case.get("metrics").map(floats),
        })
        .collect()
}

fn base_lrs() -> Vec<f64> {
    floats(&fixture()["base_lrs"])
}

/// A scheduler from the case's spec, and the optimizer's rates after construction.
fn start(case: &Case) -> Result<(Box<dyn LrScheduler>, Vec<f64>), ScheduleError> {
    let scheduler = scheduler_from_str(&case.spec, &base_lrs())?;
    let mut lrs = base_lrs();
    lrs.set_learning_rates(scheduler.last_lr());
    Ok((scheduler, lrs))
}

fn step(
    scheduler: &mut dyn LrScheduler,
    lrs: &mut Vec<f64>,
    case: &Case,
    i: usize,
) -> Result<(), ScheduleError> {
    match &case.metrics {
        Some(metrics) => scheduler.step_with_metric(lrs, metrics[i]),
        None => scheduler.step(lrs),
    }
}

fn assert_close(got: &[f64], want: &[f64], what: &str) {
    for (g, w) in got.iter().zip(want) {
        let error = (g - w).abs() / w.abs().max(f64::MIN_POSITIVE);
        assert!(error <= LR_RTOL, "{what}: {got:?} vs PyTorch {want:?}");
    }
    assert_eq!(got.len(), want.len(), "{what}");
}

// ---- schedules vs PyTorch ------------------------------------------------------------------

#[test]
fn every_scheduler_follows_pytorchs_sequence() -> TestResult {
    let (mut exact, mut total) = (0, 0);
    for case in cases() {
        let (mut scheduler, mut lrs) = start(&case)?;
        assert_close(
            &lrs,
            &case.lrs[0],
            &format!("{} at construction", case.spec),
        );
        for i in 0..case.steps {
            step(scheduler.as_mut(), &mut lrs, &case, i)?;
            let want = &case.lrs[i + 1];
            assert_close(&lrs, want, &format!("{} after step {}", case.spec, i + 1));
            assert_eq!(scheduler.last_lr(), lrs.as_slice());
            exact += usize::from(lrs == *want);
            total += 1;
        }
    }
    // The recursive formulas are PyTorch's, operation for operation: every value is the same
    // f64, not merely close (the tolerance above is the contract; this pins the stronger fact).
    assert_eq!(exact, total, "values not bit-identical to PyTorch's");
    Ok(())
}

#[test]
fn the_fixture_covers_every_scheduler() {
    let specs: Vec<String> = cases().into_iter().map(|c| c.spec).collect();
    for name in minitrainer::optim::schedule::SCHEDULER_NAMES {
        assert!(
            specs.iter().any(|s| s.contains(&format!("\"{name}\""))),
            "no case for {name}"
        );
    }
}

#[test]
fn one_cycle_refuses_a_step_past_total_steps() -> TestResult {
    let case = cases()
        .into_iter()
        .find(|c| c.spec.contains("one_cycle_lr"))
        .expect("a one-cycle case");
    let (mut scheduler, mut lrs) = start(&case)?;
    for i in 0..case.steps {
        step(scheduler.as_mut(), &mut lrs, &case, i)?;
    }
    let err = scheduler.step(&mut lrs).unwrap_err();
    assert!(matches!(err, ScheduleError::PastTotalSteps { .. }), "{err}");
    Ok(())
}

// ---- state ---------------------------------------------------------------------------------

#[test]
fn a_restored_scheduler_continues_the_same_sequence() -> TestResult {
    for case in cases() {
        let (mut scheduler, mut lrs) = start(&case)?;
        for i in 0..10 {
            step(scheduler.as_mut(), &mut lrs, &case, i)?;
        }
        // Through text, as a checkpoint stores it.
        let saved: Value = serde_json::from_str(&scheduler.state().to_string())?;
        let mut resumed = scheduler_from_str(&case.spec, &base_lrs())?;
        resumed.load_state(&saved)?;
        assert_eq!(resumed.last_lr(), scheduler.last_lr(), "{}", case.spec);
        let mut resumed_lrs = base_lrs();
        resumed_lrs.set_learning_rates(resumed.last_lr()); // the optimizer's rates, restored
        for i in 10..case.steps {
            step(scheduler.as_mut(), &mut lrs, &case, i)?;
            step(resumed.as_mut(), &mut resumed_lrs, &case, i)?;
            assert_eq!(resumed_lrs, lrs, "{} after step {}", case.spec, i + 1);
            assert_eq!(resumed_lrs, case.lrs[i + 1], "{}", case.spec);
        }
        assert_eq!(resumed.state(), scheduler.state(), "{}", case.spec);
    }
    Ok(())
}

#[test]
fn a_state_of_another_scheduler_or_malformed_is_refused_naming_the_field() -> TestResult {
    let mut step_lr = scheduler_from_str("step_lr(step_size=3)", &[0.1])?;
    let cosine = scheduler_from_str("cosine_annealing_lr(t_max=3)", &[0.1])?;
    let err = step_lr.load_state(&cosine.state()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "this state is of scheduler \"cosine_annealing_lr\", but it is loaded into a `step_lr`"
    );

    let before = step_lr.state();
    let mut state = before.clone();
    state["last_lr"] = serde_json::json!([0.1, 0.2]);
    let err = step_lr.load_state(&state).unwrap_err().to_string();
    assert!(err.contains("`last_lr` has 2 entries"), "{err}");
    state["step_count"] = serde_json::json!(-1);
    let err = step_lr.load_state(&state).unwrap_err().to_string();
    assert!(
        err.contains("`step_count` must be a non-negative integer"),
        "{err}"
    );
    assert_eq!(step_lr.state(), before, "a refused state changes nothing");

    let spec = r#"{"name": "sequential_lr", "milestones": [2],
        "schedulers": ["linear_lr(total_iters=2)", "exponential_lr(gamma=0.5)"]}"#;
    let mut sequential = scheduler_from_str(spec, &[0.1])?;
    let mut state = sequential.state();
    state["children"][1]["last_epoch"] = Value::from("x");
    let err = sequential.load_state(&state).unwrap_err().to_string();
    assert!(
        err.contains("`children.1.last_epoch` must be an integer"),
        "{err}"
    );
    Ok(())
}

#[test]
fn plateau_state_keeps_its_infinite_best() -> TestResult {
    let plateau = scheduler_from_str("reduce_lr_on_plateau(mode=\"max\")", &[0.1])?;
    let state = plateau.state();
    assert_eq!(state["best"], "-inf");
    let mut other = scheduler_from_str("reduce_lr_on_plateau(mode=\"max\")", &[0.1])?;
    other.load_state(&state)?;
    assert_eq!(other.state(), state);
    Ok(())
}

// ---- by name -------------------------------------------------------------------------------

#[test]
fn config_errors_name_the_scheduler_and_the_field() {
    let cases = [
        (
            "step_lr(step_size=0)",
            "invalid `step_lr` config: step_size: must be >= 1, got 0",
        ),
        ("exponential_lr(gamma=-0.5)", "gamma: must be > 0, got -0.5"),
        (
            "linear_lr(start_factor=0)",
            "start_factor: must be > 0, got 0.0",
        ),
        (
            "one_cycle_lr(max_lr=0.1, total_steps=10, pct_start=1.5)",
            "pct_start: must be in 0.0..=1.0",
        ),
        (
            "reduce_lr_on_plateau(factor=1.0)",
            "factor: must be in (0, 1), got 1.0",
        ),
        (
            "reduce_lr_on_plateau(mode=\"mni\")",
            "did you mean \"min\"?",
        ),
        (
            "cosine_annealing_lr(tmax=3)",
            "unknown field \"tmax\"; did you mean \"t_max\"?",
        ),
        (
            "sequential_lr(milestones=[3], schedulers=[\"step_lr(step_size=2)\"])",
            "1 schedulers need 0 milestones",
        ),
        (
            "sequential_lr(milestones=[], schedulers=[\"reduce_lr_on_plateau\"])",
            "can't be a child scheduler",
        ),
        ("step_lr(step_size=3", "malformed scheduler spec"),
    ];
    for (spec, message) in cases {
        let err = scheduler_from_str(spec, &[0.1])
            .err()
            .expect(spec)
            .to_string();
        assert!(err.contains(message), "{spec}: {err}");
    }
}

#[test]
fn an_unknown_scheduler_is_refused_with_a_suggestion_and_the_list() {
    let err = scheduler_from_str(r#"{"name": "exponetial_lr", "gamma": 0.9}"#, &[0.1])
        .err()
        .expect("an unknown name");
    let message = err.to_string();
    assert!(
        message.starts_with(r#"unknown scheduler "exponetial_lr"; did you mean "exponential_lr"?"#),
        "{message}"
    );
    assert!(
        message.contains(r#"(known: "step_lr", "multi_step_lr""#),
        "{message}"
    );
    let minitrainer::Error::Schedule(ScheduleError::UnknownScheduler { known, .. }) = err.into()
    else {
        panic!("a schedule error in crate::Error");
    };
    assert_eq!(known.len(), 8);
}

#[test]
fn plateau_needs_a_metric_and_others_ignore_it() -> TestResult {
    let mut lrs = vec![0.1];
    let mut plateau = scheduler_from_str("reduce_lr_on_plateau", &lrs)?;
    assert!(plateau.needs_metric());
    assert!(matches!(
        plateau.step(&mut lrs),
        Err(ScheduleError::MetricRequired { .. })
    ));
    let mut step_lr = scheduler_from_str("step(step_size=1, gamma=0.5)", &lrs)?;
    step_lr.step_with_metric(&mut lrs, 123.0)?;
    assert_eq!(lrs, [0.05]);
    Ok(())
}

#[test]
fn stepping_an_optimizer_with_other_groups_is_an_error() -> TestResult {
    let mut scheduler = scheduler_from_str("step_lr(step_size=1)", &[0.1, 0.01])?;
    let mut three = vec![0.1, 0.01, 0.001];
    let err = scheduler.step(&mut three).unwrap_err().to_string();
    assert!(
        err.contains("has 3 entries, but the scheduler was built for 2"),
        "{err}"
    );
    assert!(matches!(
        scheduler_from_str("step_lr(step_size=1)", &[]),
        Err(ScheduleError::NoGroups)
    ));
    Ok(())
}

// ---- gradient clipping ---------------------------------------------------------------------

fn params(case: &Value) -> Result<Vec<Param>, minitrainer::Error> {
    let shapes = case["shapes"].as_array().expect("shapes");
    let grads = case["grads"].as_array().expect("grads");
    let mut params = vec![];
    for (shape, grad) in shapes.iter().zip(grads) {
        let shape: Vec<usize> = shape
            .as_array()
            .expect("a shape")
            .iter()
            .map(|d| d.as_u64().expect("a size") as usize)
            .collect();
        let grad: Vec<f32> = floats(grad).into_iter().map(|x| x as f32).collect();
        let param = Param::new(&Tensor::zeros(&shape));
        // d Σ(p · g)/dp = g: plants the fixture's gradient.
        param.mul(&Tensor::from_vec(grad, &shape)?).sum().backward();
        params.push(param);
    }
    params.push(Param::new(&Tensor::zeros(&[2]))); // no gradient: skipped
    Ok(params)
}

fn assert_close_f32(got: f32, want: f32, what: &str) {
    assert!(
        (got - want).abs() <= CLIP_RTOL * want.abs().max(1e-30),
        "{what}: {got} vs PyTorch {want}"
    );
}

#[test]
fn clipping_matches_pytorch() -> TestResult {
    for case in fixture()["clip"].as_array().expect("clip cases") {
        let params = params(case)?;
        let what = format!(
            "{} {:?} {:?}",
            case["kind"],
            case.get("max_norm"),
            case.get("norm_type")
        );
        if case["kind"] == "norm" {
            let max_norm = floats(&Value::Array(vec![case["max_norm"].clone()]))[0] as f32;
            let norm_type = floats(&Value::Array(vec![case["norm_type"].clone()]))[0] as f32;
            let total = clip_grad_norm(&params, max_norm, norm_type)?;
            assert_close_f32(
                total,
                case["total_norm"].as_f64().expect("a norm") as f32,
                &what,
            );
        } else {
            clip_grad_value(
                &params,
                case["clip_value"].as_f64().expect("a value") as f32,
            )?;
        }
        for (param, want) in params
            .iter()
            .zip(case["clipped"].as_array().expect("clipped"))
        {
            let got = param.grad().expect("a gradient");
            for (g, w) in got.iter().zip(floats(want)) {
                assert_close_f32(*g, w as f32, &what);
            }
        }
        assert!(
            params
                .last()
                .expect("the gradient-less one")
                .grad()
                .is_none()
        );
    }
    Ok(())
}

#[test]
fn clipping_below_the_max_leaves_the_gradients_exactly() -> TestResult {
    let case = fixture()["clip"]
        .as_array()
        .expect("clip cases")
        .iter()
        .find(|c| c["max_norm"] == 100.0)
        .cloned()
        .expect("the below-the-max case");
    let params = params(&case)?;
    let before: Vec<_> = params.iter().map(|p| p.grad()).collect();
    let total = clip_grad_norm(params.iter().map(|p| p.tensor()), 100.0, 2.0)?;
    assert!(total < 100.0);
    let after: Vec<_> = params.iter().map(|p| p.grad()).collect();
    assert_eq!(before, after);
    Ok(())
}
