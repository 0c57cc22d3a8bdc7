"""PyTorch's side of `benches/loader.rs`: one epoch of
`DataLoader(TensorDataset(x, y), batch_size=64, num_workers=0/2)` over 60,000 x 784 float32
(x filled like the Rust bench: (i % 255) / 255), labels i % 10, no shuffle, no model.

Prints, per worker count, the median and min of REPEATS epochs in milliseconds (the worker
processes are started once, with persistent_workers, as criterion's iterations reuse the Rust
loader; the first epoch, which starts them, is a warm-up).

Usage: python tools/reference/bench_loader.py [REPEATS]   (default 10)
"""

import statistics
import sys
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

SAMPLES, FEATURES, BATCH = 60_000, 784, 64


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    torch.set_num_threads(1)
    x = (torch.arange(SAMPLES * FEATURES, dtype=torch.int64) % 255).float().div_(255.0)
    x = x.reshape(SAMPLES, FEATURES)
    y = torch.arange(SAMPLES) % 10
    data = TensorDataset(x, y)
    for workers in (0, 2):
        loader = DataLoader(
            data, batch_size=BATCH, num_workers=workers, persistent_workers=workers > 0
        )
        times = []
        for run in range(repeats + 1):
            start = time.perf_counter()
            rows = sum(batch[0].shape[0] for batch in loader)
            elapsed = (time.perf_counter() - start) * 1000.0
            assert rows == SAMPLES
            if run > 0:
                times.append(elapsed)
        print(
            f"torch {torch.__version__} workers={workers}: "
            f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms over {repeats} epochs"
        )


if __name__ == "__main__":
    main()
