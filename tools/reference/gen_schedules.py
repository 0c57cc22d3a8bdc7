"""Reference values for minitrainer's LR schedulers and gradient clipping, from PyTorch.

Writes minitrainer-core/tests/fixtures/schedules.json (or the path given as the first argument):
- "schedules": for each case, minitrainer's JSON spec, the steps to take (and the metric fed
  at each step, for ReduceLROnPlateau), and the learning rates PyTorch's scheduler sets on an
  SGD optimizer with two parameter groups (lrs 0.1 and 0.01): after construction, then after
  each step;
- "clip": gradients, then the total norm `clip_grad_norm_` returns and the gradients it leaves
  (L2, L1, inf, p = 3, a case below the max), and `clip_grad_value_`'s result.

Run: python tools/reference/gen_schedules.py [out.json]   (torch 2.x, CPU)
"""

import json
import math
import os
import sys

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

BASE_LRS = [0.1, 0.01]


def optimizer():
    a = torch.nn.Parameter(torch.zeros(2))
    b = torch.nn.Parameter(torch.zeros(3))
    return SGD([{"params": [a], "lr": BASE_LRS[0]}, {"params": [b], "lr": BASE_LRS[1]}], lr=BASE_LRS[0])


def lrs(opt):
    return [float(g["lr"]) for g in opt.param_groups]


def metrics(n):
    # A noisy, slowly falling curve with plateaus: exercises patience and cooldown.
    return [1.0 / (1.0 + 0.1 * t) + 0.05 * math.sin(1.7 * t) for t in range(n)]


def run(spec, make, steps, metric=None):
    opt = optimizer()
    sched = make(opt)
    seen = [lrs(opt)]
    for i in range(steps):
        opt.step()
        if metric is None:
            sched.step()
        else:
            sched.step(metric[i])
        seen.append(lrs(opt))
    case = {"spec": spec, "steps": steps, "lrs": seen}
    if metric is not None:
        case["metrics"] = metric
    return case


def schedule_cases():
    cases = []
    add = lambda spec, make, steps, metric=None: cases.append(run(spec, make, steps, metric))

    add({"name": "step_lr", "step_size": 3, "gamma": 0.5}, lambda o: S.StepLR(o, 3, gamma=0.5), 40)
    add({"name": "step_lr", "step_size": 7}, lambda o: S.StepLR(o, 7), 40)
    add({"name": "multi_step_lr", "milestones": [5, 12, 12, 30], "gamma": 0.5},
        lambda o: S.MultiStepLR(o, [5, 12, 12, 30], gamma=0.5), 40)
    add({"name": "multi_step_lr", "milestones": [10, 20]}, lambda o: S.MultiStepLR(o, [10, 20]), 30)
    add({"name": "exponential_lr", "gamma": 0.9}, lambda o: S.ExponentialLR(o, 0.9), 50)
    add({"name": "exponential_lr", "gamma": 0.97}, lambda o: S.ExponentialLR(o, 0.97), 50)
    add({"name": "cosine_annealing_lr", "t_max": 10}, lambda o: S.CosineAnnealingLR(o, 10), 60)
    add({"name": "cosine_annealing_lr", "t_max": 25, "eta_min": 1e-4},
        lambda o: S.CosineAnnealingLR(o, 25, eta_min=1e-4), 60)
    add({"name": "cosine_annealing_lr", "t_max": 7, "eta_min": 0.001},
        lambda o: S.CosineAnnealingLR(o, 7, eta_min=0.001), 40)
    add({"name": "linear_lr", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 8},
        lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=8), 30)
    add({"name": "linear_lr", "start_factor": 0.5, "end_factor": 0.1, "total_iters": 10},
        lambda o: S.LinearLR(o, start_factor=0.5, end_factor=0.1, total_iters=10), 30)
    add({"name": "linear_lr"}, lambda o: S.LinearLR(o), 30)

    add({"name": "one_cycle_lr", "max_lr": 1.0, "total_steps": 50},
        lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=50, cycle_momentum=False), 50)
    add({"name": "one_cycle_lr", "max_lrs": [0.5, 0.05], "total_steps": 40, "pct_start": 0.25,
         "anneal_strategy": "linear"},
        lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.05], total_steps=40, pct_start=0.25,
                               anneal_strategy="linear", cycle_momentum=False), 40)
    add({"name": "one_cycle_lr", "max_lr": 0.3, "epochs": 5, "steps_per_epoch": 10,
         "div_factor": 10.0, "final_div_factor": 100.0, "three_phase": True},
        lambda o: S.OneCycleLR(o, max_lr=0.3, epochs=5, steps_per_epoch=10, div_factor=10.0,
                               final_div_factor=100.0, three_phase=True, cycle_momentum=False), 50)
    add({"name": "one_cycle_lr", "max_lrs": [0.2, 0.02], "total_steps": 45, "pct_start": 0.4,
         "anneal_strategy": "linear", "three_phase": True},
        lambda o: S.OneCycleLR(o, max_lr=[0.2, 0.02], total_steps=45, pct_start=0.4,
                               anneal_strategy="linear", three_phase=True, cycle_momentum=False), 45)

    def warmup_cosine(o):
        warm = S.LinearLR(o, start_factor=0.1, total_iters=5)
        cos = S.CosineAnnealingLR(o, T_max=30)
        return S.SequentialLR(o, [warm, cos], milestones=[5])

    add({"name": "sequential_lr", "milestones": [5], "schedulers": [
        {"name": "linear_lr", "start_factor": 0.1, "total_iters": 5},
        {"name": "cosine_annealing_lr", "t_max": 30}]}, warmup_cosine, 45)

    def three(o):
        warm = S.LinearLR(o, start_factor=0.2, total_iters=4)
        exp = S.ExponentialLR(o, gamma=0.95)
        cos = S.CosineAnnealingLR(o, T_max=10, eta_min=1e-3)
        return S.SequentialLR(o, [warm, exp, cos], milestones=[4, 15])

    add({"name": "sequential_lr", "milestones": [4, 15], "schedulers": [
        {"name": "linear_lr", "start_factor": 0.2, "total_iters": 4},
        {"name": "exponential_lr", "gamma": 0.95},
        {"name": "cosine_annealing_lr", "t_max": 10, "eta_min": 1e-3}]}, three, 40)

    m = metrics(60)
    add({"name": "reduce_lr_on_plateau", "mode": "min", "factor": 0.5, "patience": 2,
         "threshold": 1e-2, "cooldown": 2},
        lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=1e-2,
                                      cooldown=2), 60, m)
    neg = [-x for x in m]
    add({"name": "reduce_lr_on_plateau", "mode": "max", "factor": 0.3, "patience": 1,
         "threshold": 0.01, "threshold_mode": "abs", "cooldown": 1, "min_lr": 0.004},
        lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=1, threshold=0.01,
                                      threshold_mode="abs", cooldown=1, min_lr=0.004), 60, neg)
    add({"name": "reduce_lr_on_plateau", "patience": 0, "min_lrs": [0.02, 0.0], "eps": 1e-4},
        lambda o: S.ReduceLROnPlateau(o, patience=0, min_lr=[0.02, 0.0], eps=1e-4), 40, m[:40])
    return cases


def f32s(t):
    return [float(x) for x in t.flatten().tolist()]


def clip_cases():
    torch.manual_seed(0)
    shapes = [[3, 4], [5], [2, 2]]
    grads = [torch.randn(s) * 0.7 for s in shapes]
    cases = []
    for kind, max_norm, norm_type in [("norm", 1.0, 2.0), ("norm", 2.0, 1.0),
                                      ("norm", 0.5, math.inf), ("norm", 1.5, 3.0),
                                      ("norm", 100.0, 2.0), ("norm", math.inf, 2.0),
                                      ("value", 0.3, None)]:
        params = [torch.nn.Parameter(torch.zeros(s)) for s in shapes]
        for p, g in zip(params, grads):
            p.grad = g.clone()
        # A parameter without a gradient is skipped.
        params.append(torch.nn.Parameter(torch.zeros(2)))
        case = {"kind": kind, "shapes": shapes, "grads": [f32s(g) for g in grads]}
        if kind == "norm":
            total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
            case.update(max_norm=repr(max_norm) if math.isinf(max_norm) else max_norm,
                        norm_type=repr(norm_type) if math.isinf(norm_type) else norm_type,
                        total_norm=float(total))
        else:
            torch.nn.utils.clip_grad_value_(params, max_norm)
            case["clip_value"] = max_norm
        case["clipped"] = [f32s(p.grad) for p in params[:-1]]
        cases.append(case)
    return cases


def main():
    torch.set_num_threads(1)
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "minitrainer-core", "tests", "fixtures", "schedules.json")
    out = sys.argv[1] if len(sys.argv) > 1 else default
    fixture = {
        "generator": "tools/reference/gen_schedules.py",
        "torch": torch.__version__,
        "base_lrs": BASE_LRS,
        "schedules": schedule_cases(),
        "clip": clip_cases(),
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        # json writes floats with repr (shortest round trip); infinities are strings above.
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
