"""PyTorch reference for the fused linear op `F.linear(x, w, b)` (issue 13, the training hot path).

For a fixed x [3, 4] (and a batch of sequences x3 [2, 3, 4], and one sample x1 [4]), weight
w [5, 4], bias b [5] and output weights r, writes F.linear's output and the gradients of
`sum(F.linear(x, w, b) * r)` with respect to x, w and b to a JSON fixture
(`minitrainer-core/tests/fixtures/linear.json` by default). Values are small fractions, so the
inputs are exact in f32; floats are written as `repr(float(v))`.

Usage: python tools/reference/gen_linear.py [OUTPUT]   (run from the repository root)
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

DEFAULT_OUTPUT = os.path.join("minitrainer-core", "tests", "fixtures", "linear.json")


def flat(t):
    return [repr(float(v)) for v in t.detach().reshape(-1).tolist()]


def case(x, w, b, seed):
    g = torch.Generator().manual_seed(seed)
    x = x.clone().requires_grad_(True)
    w = w.clone().requires_grad_(True)
    b = None if b is None else b.clone().requires_grad_(True)
    out = F.linear(x, w, b)
    r = torch.randint(-4, 5, out.shape, generator=g).float() / 4
    (out * r).sum().backward()
    result = {
        "x_shape": list(x.shape),
        "x": flat(x),
        "w": flat(w),
        "b": None if b is None else flat(b),
        "r": flat(r),
        "out_shape": list(out.shape),
        "out": flat(out),
        "grad_x": flat(x.grad),
        "grad_w": flat(w.grad),
        "grad_b": None if b is None else flat(b.grad),
    }
    return result


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    g = torch.Generator().manual_seed(13)
    # Multiples of 1/8 in [-2, 2]: exact in f32, so the fixture inputs carry no rounding.
    def values(*shape):
        return torch.randint(-16, 17, shape, generator=g).float() / 8
    w, b = values(5, 4), values(5)
    cases = {
        "batch": case(values(3, 4), w, b, 1),
        "sequences": case(values(2, 3, 4), w, b, 2),
        "one_sample": case(values(4), w, b, 3),
        "no_bias": case(values(3, 4), w, None, 4),
    }
    path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    with open(path, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
