"""Reference values for minitrainer's streaming metrics (minitrainer-core/src/metrics/).

Seeded random predictions and labels, split into uneven batches; the expected values are
sklearn's (and torch's, where it has the metric) over the whole set at once. The Rust tests
feed the batches one by one and compare: counts exactly, f64 ratios to 1e-12 relative.

Usage: python tools/reference/gen_metrics.py [OUT]
(default OUT: minitrainer-core/tests/fixtures/metrics.json, relative to the repository root).
"""

import json
import os
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.metrics import (
    accuracy_score,
    classification_report,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    precision_score,
    r2_score,
    recall_score,
    top_k_accuracy_score,
)

torch.set_num_threads(1)
# top_k_accuracy_score warns that k >= n_classes scores 1; that case is tested on purpose.
warnings.filterwarnings("ignore", message=".*will result in a perfect score.*")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "minitrainer-core", "tests", "fixtures", "metrics.json"
)


def floats(t):
    """Exact f32 values as f64 (json writes floats with repr: shortest round trip)."""
    return [float(x) for x in t.reshape(-1).tolist()]


def scalar(x):
    return float(x)


def split(n, sizes):
    assert sum(sizes) == n, (sizes, n)
    return sizes


def classification_case(name, gen, n, c, batch_sizes, missing_label=None, never_predicted=None,
                        probabilities=False):
    logits = torch.randn(n, c, generator=gen, dtype=torch.float32) * 2.0
    if never_predicted is not None:
        logits[:, never_predicted] = -100.0
    scores = torch.softmax(logits, dim=1) if probabilities else logits
    label_pool = [k for k in range(c) if k != missing_label]
    pick = torch.randint(len(label_pool), (n,), generator=gen)
    labels = torch.tensor([label_pool[i] for i in pick.tolist()])
    y = labels.numpy()
    pred = torch.argmax(scores, dim=1).numpy()  # first maximum, as minitrainer's argmax
    s64 = scores.double().numpy()
    classes = list(range(c))
    expected = {"accuracy": scalar(accuracy_score(y, pred))}
    top_k = {}
    for k in range(1, min(c, 4) + 1):
        sk = top_k_accuracy_score(y, s64, k=k, labels=classes)
        # torch's top-k agrees: random floats have no ties at the k-th place.
        hits = (torch.topk(scores, k, dim=1).indices == labels[:, None]).any(dim=1)
        assert float(hits.double().mean()) == sk
        top_k[str(k)] = scalar(sk)
    expected["top_k_accuracy"] = top_k
    for score, fn in [("precision", precision_score), ("recall", recall_score), ("f1", f1_score)]:
        for average in ["macro", "weighted", "micro"]:
            v = fn(y, pred, labels=classes, average=average, zero_division=0)
            expected[f"{score}_{average}"] = scalar(v)
        per_class = fn(y, pred, labels=classes, average=None, zero_division=0)
        expected[f"{score}_per_class"] = [scalar(v) for v in per_class]
    report = classification_report(y, pred, labels=classes, zero_division=0, output_dict=True)
    expected["classification_report"] = json.loads(json.dumps(report, default=float))
    expected["confusion_matrix"] = confusion_matrix(y, pred, labels=classes).tolist()
    # Mean loss: per-sample cross-entropy in f32, averaged in f64 (what the metric sums).
    losses = F.cross_entropy(logits, labels, reduction="none")
    expected["mean_loss_per_sample"] = scalar(losses.double().mean())
    expected["mean_loss_torch_f32"] = scalar(F.cross_entropy(logits, labels))
    return {
        "name": name,
        "num_classes": c,
        "batch_sizes": split(n, batch_sizes),
        "predictions": floats(scores),
        "labels": labels.tolist(),
        "losses": floats(losses),
        "expected": expected,
    }


def regression_case(name, gen, n, outputs, batch_sizes, mean, spread, noise, constant=None):
    shape = (n,) if outputs is None else (n, outputs)
    if constant is None:
        y = torch.randn(*shape, generator=gen, dtype=torch.float32) * spread + mean
    else:
        y = torch.full(shape, constant, dtype=torch.float32)
    pred = y + torch.randn(*shape, generator=gen, dtype=torch.float32) * noise
    y64, p64 = y.double().numpy(), pred.double().numpy()
    return {
        "name": name,
        "shape": list(shape),
        "batch_sizes": split(n, batch_sizes),
        "predictions": floats(pred),
        "targets": floats(y),
        "expected": {
            "mae": scalar(mean_absolute_error(y64, p64)),
            "r2": scalar(r2_score(y64, p64)),
        },
    }


def main():
    gen = torch.Generator().manual_seed(20240611)
    fixture = {
        "sklearn": __import__("sklearn").__version__,
        "torch": torch.__version__,
        "classification": [
            classification_case("logits_7_classes_one_never_a_label", gen, 203, 7,
                                [1, 50, 17, 0, 64, 71], missing_label=6),
            classification_case("probabilities_3_classes", gen, 100, 3, [33, 33, 34],
                                probabilities=True),
            classification_case("logits_5_classes_one_never_predicted", gen, 157, 5,
                                [100, 1, 1, 55], never_predicted=2),
        ],
        "regression": [
            regression_case("one_output_large_mean", gen, 211, None, [7, 0, 100, 104],
                            mean=1000.0, spread=3.0, noise=1.5),
            regression_case("three_outputs", gen, 90, 3, [2, 41, 47],
                            mean=-2.0, spread=1.0, noise=0.7),
            regression_case("constant_target", gen, 40, None, [13, 27],
                            mean=0.0, spread=0.0, noise=0.3, constant=0.1),
        ],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
