"""PyTorch reference for non-finite and empty inputs (issue 14, numerical faults).

Writes what PyTorch gives for NaN, +inf, -inf, 0.0 and -0.0 through each activation, for
softmax and layer norm rows holding a NaN or an inf, for reductions over a [0, 4] tensor, and
for losses over an empty batch, to a JSON fixture (`minitrainer-core/tests/fixtures/
nonfinite.json` by default). JSON has no NaN or infinity, so every value is written as the
text `repr(float(x))` ("nan", "inf", "-inf", "0.5"), which Rust's `f32` parser reads back.

Usage: python tools/reference/gen_nonfinite.py [OUTPUT]   (run from the repository root)
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

DEFAULT_OUTPUT = os.path.join("minitrainer-core", "tests", "fixtures", "nonfinite.json")
NAN, INF = float("nan"), float("inf")


def values(t):
    return {"shape": list(t.shape), "values": [repr(float(x)) for x in t.detach().reshape(-1).tolist()]}


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x = torch.tensor([NAN, INF, -INF, 0.0, -0.0, 1.0, -3.0])
    activations = {
        "relu": F.relu(x),
        "gelu": F.gelu(x),
        "gelu_tanh": F.gelu(x, approximate="tanh"),
        "sigmoid": torch.sigmoid(x),
        "tanh": torch.tanh(x),
        "silu": F.silu(x),
    }
    rows = torch.tensor([[1.0, INF, 0.0], [1.0, NAN, 0.0], [-INF, 0.0, 1.0], [1.0, 2.0, 3.0]])
    layer_norm = torch.nn.LayerNorm(3)
    empty = torch.zeros(0, 4)
    empty_logits = torch.zeros(0, 3)
    no_labels = torch.zeros(0, dtype=torch.long)
    out = {
        "input": [repr(float(v)) for v in x.tolist()],
        "activations": {name: values(t) for name, t in activations.items()},
        "softmax_rows": {"input": values(rows), "output": values(F.softmax(rows, dim=1))},
        "layer_norm_rows": {"input": values(rows), "output": values(layer_norm(rows))},
        "empty_0x4": {
            "sum": values(empty.sum()),
            "mean": values(empty.mean()),
            "sum_axis0": values(empty.sum(0)),
            "mean_axis0": values(empty.mean(0)),
            "mean_axis1": values(empty.mean(1)),
        },
        "empty_batch_losses": {
            "cross_entropy_mean": values(F.cross_entropy(empty_logits, no_labels)),
            "cross_entropy_sum": values(F.cross_entropy(empty_logits, no_labels, reduction="sum")),
            "mse_mean": values(F.mse_loss(empty, empty)),
            "mse_sum": values(F.mse_loss(empty, empty, reduction="sum")),
        },
    }
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
