"""PyTorch reference values for minitrainer's losses.

Writes, for each loss and option set, the inputs, PyTorch's loss value and the gradients of
the inputs (of `loss.sum()` for reduction "none") in float32, to the JSON fixture the Rust
tests read (`minitrainer-core/tests/fixtures/losses.json` by default).

Usage: python tools/reference/gen_losses.py [OUTPUT]   (run from the repository root)
"""

import json
import os
import sys

import torch
import torch.nn.functional as F

DEFAULT_OUTPUT = os.path.join("minitrainer-core", "tests", "fixtures", "losses.json")


def tensor_json(t):
    # json writes a float as repr(float(x)): the shortest text that reads back to the same f32.
    return {"shape": list(t.shape), "values": [float(x) for x in t.detach().reshape(-1).tolist()]}


def leaf(gen, shape, scale=2.0):
    return (torch.randn(*shape, generator=gen) * scale).float().requires_grad_(True)


def grad_of(loss):
    return loss.sum() if loss.dim() > 0 else loss


def class_case(name, loss, options, x, labels, value, extra=None):
    grad_of(value).backward()
    case = {
        "name": name,
        "loss": loss,
        "options": options,
        "input": tensor_json(x),
        "labels": {"shape": list(labels.shape), "values": [int(v) for v in labels.reshape(-1)]},
        "value": tensor_json(value),
        "input_grad": tensor_json(x.grad),
    }
    if extra:
        case.update(extra)
    return case


def pair_case(name, loss, options, x, y, value):
    grad_of(value).backward()
    return {
        "name": name,
        "loss": loss,
        "options": options,
        "input": tensor_json(x),
        "target": tensor_json(y),
        "value": tensor_json(value),
        "input_grad": tensor_json(x.grad),
        "target_grad": tensor_json(y.grad),
    }


def cross_entropy_cases(gen):
    cases = []
    n, c = 6, 5
    weight = [0.5, 2.0, 1.0, 0.25, 3.0]
    labels = torch.tensor([0, 4, 2, 1, 4, 3])
    partly_ignored = torch.tensor([0, -100, 2, 1, -100, 3])
    ignore_two = torch.tensor([2, 4, 2, 1, 0, 2])
    option_sets = [
        ("plain", {}, labels),
        ("weight", {"weight": weight}, labels),
        ("ignore -100 partly", {}, partly_ignored),
        ("ignore_index 2", {"ignore_index": 2}, ignore_two),
        ("weight and ignore", {"weight": weight}, partly_ignored),
        ("label smoothing", {"label_smoothing": 0.1}, labels),
        ("label smoothing with weight", {"label_smoothing": 0.2, "weight": weight}, labels),
        (
            "label smoothing, weight and ignore",
            {"label_smoothing": 0.3, "weight": weight},
            partly_ignored,
        ),
        ("label smoothing 1", {"label_smoothing": 1.0}, labels),
    ]
    for reduction in ["mean", "sum", "none"]:
        for label, options, target in option_sets:
            x = leaf(gen, (n, c))
            opts = dict(options, reduction=reduction)
            kwargs = dict(opts)
            if "weight" in kwargs:
                kwargs["weight"] = torch.tensor(kwargs["weight"])
            value = F.cross_entropy(x, target, **kwargs)
            cases.append(class_case(f"{label}, {reduction}", "cross_entropy", opts, x, target, value))
    # Large logits: the max subtraction keeps exp finite.
    x = (torch.tensor([[1000.0, -1000.0, 0.0], [-50.0, 80.0, 79.0]])).requires_grad_(True)
    target = torch.tensor([1, 2])
    value = F.cross_entropy(x, target)
    cases.append(class_case("large logits, mean", "cross_entropy", {}, x, target, value))
    # Spatial: [N, C, d1, d2] with labels [N, d1, d2].
    for reduction in ["mean", "none"]:
        x = leaf(gen, (2, 3, 2, 2))
        target = torch.tensor([[[0, 2], [1, -100]], [[2, 2], [0, 1]]])
        w = [1.0, 0.5, 2.0]
        opts = {"weight": w, "label_smoothing": 0.1, "reduction": reduction}
        value = F.cross_entropy(x, target, weight=torch.tensor(w), label_smoothing=0.1, reduction=reduction)
        cases.append(class_case(f"spatial [2,3,2,2], {reduction}", "cross_entropy", opts, x, target, value))
    return cases


def nll_cases(gen):
    cases = []
    weight = [0.5, 2.0, 1.0, 0.25]
    labels = torch.tensor([0, 3, 2, -100, 1])
    for reduction in ["mean", "sum", "none"]:
        for label, options in [("plain", {}), ("weight", {"weight": weight})]:
            x = torch.log_softmax(torch.randn(5, 4, generator=gen) * 2, dim=1).detach().requires_grad_(True)
            opts = dict(options, reduction=reduction)
            kwargs = dict(opts)
            if "weight" in kwargs:
                kwargs["weight"] = torch.tensor(kwargs["weight"])
            value = F.nll_loss(x, labels, **kwargs)
            cases.append(class_case(f"{label}, ignore -100, {reduction}", "nll", opts, x, labels, value))
    return cases


def bce_cases(gen):
    cases = []
    option_sets = [
        ("plain", {}),
        ("pos_weight", {"pos_weight": [0.5, 3.0, 1.0]}),
        ("weight", {"weight": [2.0, 0.5, 1.5]}),
        ("weight and pos_weight", {"weight": [2.0, 0.5, 1.5], "pos_weight": [4.0, 0.25, 1.0]}),
    ]
    for reduction in ["mean", "sum", "none"]:
        for label, options in option_sets:
            x = leaf(gen, (4, 3), scale=3.0)
            y = torch.rand(4, 3, generator=gen).requires_grad_(True)
            opts = dict(options, reduction=reduction)
            kwargs = {k: torch.tensor(v) for k, v in options.items()}
            value = F.binary_cross_entropy_with_logits(x, y, reduction=reduction, **kwargs)
            cases.append(pair_case(f"{label}, {reduction}", "bce_with_logits", opts, x, y, value))
    x = torch.tensor([[100.0, -100.0, 0.0]]).requires_grad_(True)
    y = torch.tensor([[0.0, 1.0, 0.5]]).requires_grad_(True)
    value = F.binary_cross_entropy_with_logits(x, y)
    cases.append(pair_case("large logits, mean", "bce_with_logits", {}, x, y, value))
    return cases


def regression_cases(gen):
    cases = []
    losses = [
        ("mse", {}, lambda x, y, r, o: F.mse_loss(x, y, reduction=r)),
        ("l1", {}, lambda x, y, r, o: F.l1_loss(x, y, reduction=r)),
        ("smooth_l1", {}, lambda x, y, r, o: F.smooth_l1_loss(x, y, reduction=r)),
        ("smooth_l1", {"beta": 0.5}, lambda x, y, r, o: F.smooth_l1_loss(x, y, reduction=r, beta=o["beta"])),
        ("smooth_l1", {"beta": 0.0}, lambda x, y, r, o: F.smooth_l1_loss(x, y, reduction=r, beta=o["beta"])),
        ("huber", {}, lambda x, y, r, o: F.huber_loss(x, y, reduction=r)),
        ("huber", {"delta": 0.5}, lambda x, y, r, o: F.huber_loss(x, y, reduction=r, delta=o["delta"])),
        ("huber", {"delta": 2.0}, lambda x, y, r, o: F.huber_loss(x, y, reduction=r, delta=o["delta"])),
    ]
    for reduction in ["mean", "sum", "none"]:
        for loss, options, f in losses:
            x = leaf(gen, (3, 4), scale=1.5)
            y = leaf(gen, (3, 4), scale=1.5)
            # One exact tie: the gradient at a zero difference (0 for L1, as `sign`).
            with torch.no_grad():
                y[0, 0] = x[0, 0]
            opts = dict(options, reduction=reduction)
            value = f(x, y, reduction, options)
            name = f"{loss} {options or 'default'}, {reduction}"
            cases.append(pair_case(name, loss, opts, x, y, value))
    return cases


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUTPUT
    torch.manual_seed(0)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(1234)
    cases = cross_entropy_cases(gen) + nll_cases(gen) + bce_cases(gen) + regression_cases(gen)
    fixture = {
        "generator": "tools/reference/gen_losses.py",
        "torch": torch.__version__.split("+")[0],
        "cases": cases,
    }
    os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
    with open(output, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {output}")


if __name__ == "__main__":
    main()
