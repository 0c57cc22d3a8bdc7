"""Extra reference trajectories of torch.optim optimizers for minitrainer's optimizer tests:
the options the shared fixture (shared/fixtures/optim_reference.json) does not cover.

Same procedure and format as gen_optim_reference.py: a fixed 3x4 parameter p0 and a fixed
sequence of 5 gradients (multiples of 1/64, one exact zero, the 5th x8), then
for t in 1..5: p.grad = g_t; opt.step(), the parameter recorded after every step, in float32
and float64, single-tensor code path (foreach=False), CPU, one thread.

    python tools/reference/gen_optim_extra.py [OUT]
    (default OUT: minitrainer-core/tests/fixtures/optim_extra.json, relative to the repo root)
"""
import json
import os
import sys

import torch

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    REPO, "minitrainer-core", "tests", "fixtures", "optim_extra.json")
torch.set_num_threads(1)

# Exactly the shared fixture's inputs.
P0 = torch.arange(12, dtype=torch.float64).reshape(3, 4) * 0.25 - 1.375
gen = torch.Generator().manual_seed(20240601)
GRADS = [torch.round(torch.randn(3, 4, generator=gen, dtype=torch.float64) * 64) / 64 for _ in range(5)]
GRADS[2][0, 0] = 0.0
GRADS[4] = GRADS[4] * 8

O = torch.optim
CASES = [
    ("adam_amsgrad", O.Adam, dict(lr=1e-2, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.01, amsgrad=True)),
    ("adam_small_beta1_maximize", O.Adam, dict(lr=1e-2, betas=(0.3, 0.999), eps=1e-6, maximize=True)),
    ("adamw_amsgrad", O.AdamW, dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.1, amsgrad=True)),
    ("sgd_plain", O.SGD, dict(lr=0.1)),
    ("sgd_nesterov", O.SGD, dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("sgd_dampening_maximize", O.SGD, dict(lr=0.05, momentum=0.8, dampening=0.3, maximize=True)),
    ("rmsprop_centered_momentum", O.RMSprop,
     dict(lr=1e-2, alpha=0.9, eps=1e-6, weight_decay=0.01, momentum=0.9, centered=True)),
    ("rmsprop_momentum", O.RMSprop, dict(lr=1e-2, momentum=0.5)),
    ("rmsprop_centered_small_alpha", O.RMSprop, dict(lr=1e-2, alpha=0.3, centered=True, maximize=True)),
    ("adagrad_decay", O.Adagrad,
     dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-10)),
    ("adagrad_maximize", O.Adagrad, dict(lr=0.1, maximize=True)),
]


def run(cls, kw, dtype):
    p = torch.nn.Parameter(P0.to(dtype).clone())
    opt = cls([p], foreach=False, **kw)
    traj = []
    for g in GRADS:
        p.grad = g.to(dtype).clone()
        opt.step()
        traj.append([[float(x) for x in row] for row in p.detach().tolist()])
    return traj


def main():
    out = {
        "torch_version": torch.__version__,
        "shape": [3, 4],
        "layout": "row-major nested lists [3][4]; p_after_step[t] is the parameter after step t+1",
        "procedure": "for t in 0..5: p.grad = grads[t]; optimizer.step()  (no zero_grad needed: grad is replaced)",
        "float_note": "float32 results are exact float32 values printed as shortest-roundtrip float64 decimals",
        "p0": P0.tolist(),
        "grads": [g.tolist() for g in GRADS],
        "optimizers": {},
    }
    for name, cls, kw in CASES:
        hp = {k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}
        out["optimizers"][name] = {
            "torch_class": "torch.optim." + cls.__name__, "hyperparams": hp, "foreach": False,
            "float32": run(cls, kw, torch.float32),
            "float64": run(cls, kw, torch.float64),
        }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", os.path.normpath(OUT), "with", len(CASES), "cases")


if __name__ == "__main__":
    main()
