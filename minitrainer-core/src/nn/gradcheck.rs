//! Test helper: every parameter's gradient against central finite differences.

use crate::module::Module;
use crate::tensor::{Tensor, no_grad, seeded_rng};

/// Perturbation and tolerance for f32 central differences.
const EPS: f32 = 1e-2;
const TOLERANCE: f32 = 2e-2;

/// Checks `d loss / d param` for every parameter element of `module`, where
/// `loss = sum(forward(module) * r)` for a fixed random `r` (so every output element matters
/// with a different weight).
pub(crate) fn check_param_grads<M: Module>(module: &M, forward: impl Fn(&M) -> Tensor) {
    let shape = forward(module).shape().to_vec();
    let weights = Tensor::randn(&shape, 0.0, 1.0, &mut seeded_rng(99));
    let loss = |m: &M| forward(m).mul(&weights).sum();

    module.zero_grad();
    loss(module).backward();
    let params = module.named_parameters();
    assert!(
        !params.is_empty(),
        "gradcheck of a module without parameters"
    );
    for (name, param) in params {
        let analytic = param
            .grad()
            .unwrap_or_else(|| panic!("no gradient reached `{name}`"));
        let _guard = no_grad();
        for i in 0..param.numel() {
            let nudge = |delta: f32| {
                param.update_data(|d| {
                    if let Some(v) = d.iter_mut().nth(i) {
                        *v += delta;
                    }
                })
            };
            nudge(EPS);
            let plus = loss(module).item();
            nudge(-2.0 * EPS);
            let minus = loss(module).item();
            nudge(EPS);
            let numeric = (plus - minus) / (2.0 * EPS);
            let exact = analytic.iter().nth(i).copied().unwrap_or(f32::NAN);
            assert!(
                (numeric - exact).abs() <= TOLERANCE * (1.0 + numeric.abs()),
                "`{name}`[{i}]: analytic {exact} vs numeric {numeric}"
            );
        }
    }
}
