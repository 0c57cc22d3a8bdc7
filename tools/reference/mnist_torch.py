"""PyTorch's side of `examples/mnist.rs` and of the W6 workload (`benches/workloads`): a
784-256-10 MLP (ReLU) trained on MNIST with Adam (lr 1e-3), cross-entropy, batches of 64
shuffled by a seeded generator, `DataLoader(TensorDataset(x, y), num_workers=0)`, validated on
the 10,000 test images after each epoch (batches of 1000).

The IDX files (`train-images-idx3-ubyte.gz`, ...; gzipped or not) are read with numpy from
`--data`, else `$MINITRAINER_MNIST`, else `../shared/data/mnist`; pixels / 255 as float32,
as `minitrainer::data::Mnist` and torchvision's `ToTensor` give them.

Each training step is what the Rust trainer does minus its extras: zero_grad, forward, loss,
backward, step, and `loss.item()` (the trainer reads every loss for its log).

Usage:
  python tools/reference/mnist_torch.py THREADS [--epochs 5] [--limit N] [--tsv]
    THREADS   torch.set_num_threads (set OMP_NUM_THREADS/MKL_NUM_THREADS to match)
    --limit   train on the first N training images only (W6's subset)
    --tsv     print `torch  W6-mnist-trainer  THREADS  steps/s  VALUE` per epoch on stdout
              (training steps only, as benches/workloads' TSV mode), the rest on stderr; the
              first epoch is a warm-up (not printed) and there is no validation, as in W6
Without --tsv it prints each epoch's training and validation seconds and test accuracy.
"""

import argparse
import gzip
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

BATCH, LR, SEED = 64, 1e-3, 0


def read_idx(path):
    """The array of an IDX file of unsigned bytes (gzipped if it ends in .gz)."""
    if not path.exists():
        path = path.with_name(path.name + ".gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(directory, prefix, limit=None):
    """Images as float32 / 255 `[N, 28, 28]` and int64 labels `[N]`."""
    images = read_idx(directory / f"{prefix}-images-idx3-ubyte")
    labels = read_idx(directory / f"{prefix}-labels-idx1-ubyte")
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / np.float32(255.0))
    return x, torch.from_numpy(labels.astype(np.int64))


def accuracy(model, loader):
    model.eval()
    correct, total, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for x, y in loader:
            logits = model(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
            total += y.shape[0]
    model.train()
    return correct / total, loss_sum / total


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("threads", type=int)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--tsv", action="store_true")
    parser.add_argument("--data", default=os.environ.get("MINITRAINER_MNIST", "../shared/data/mnist"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    info = sys.stderr if args.tsv else sys.stdout
    directory = Path(args.data)

    x, y = load(directory, "train", args.limit)
    x_test, y_test = load(directory, "t10k")
    generator = torch.Generator().manual_seed(SEED)
    train = DataLoader(
        TensorDataset(x, y), batch_size=BATCH, shuffle=True, generator=generator, num_workers=0
    )
    test = DataLoader(TensorDataset(x_test, y_test), batch_size=1000, num_workers=0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(train)} steps per epoch", file=info)

    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        loss_sum, rows = 0.0, 0
        for xb, yb in train:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * yb.shape[0]
            rows += yb.shape[0]
        train_secs = time.perf_counter() - start
        if args.tsv:
            if epoch > 1:
                rate = len(train) / train_secs
                print(f"torch\tW6-mnist-trainer\t{args.threads}\tsteps/s\t{rate:.6f}", flush=True)
            print(f"# W6 epoch {epoch}: train loss {loss_sum / rows:.4f}", file=info)
            continue
        start = time.perf_counter()
        test_accuracy, test_loss = accuracy(model, test)
        valid_secs = time.perf_counter() - start
        print(
            f"epoch {epoch}  train {train_secs:.2f} s  valid {valid_secs:.2f} s  "
            f"train loss {loss_sum / rows:.4f}  test loss {test_loss:.4f}  "
            f"test accuracy {test_accuracy:.4f}",
            file=info,
        )


if __name__ == "__main__":
    main()
