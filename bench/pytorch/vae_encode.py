"""The tutorial's encoder (784 -> 512 ReLU -> mu, log var in R^2) in PyTorch, timed as InferenceBench times ours.

Run with Debian's python3-torch, side by side with `./simdvae jmh InferenceBench`, on the same machine:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/vae_encode.py [ROWS ...]
One torch thread and (with OPENBLAS_NUM_THREADS=1) one BLAS thread, as our single-threaded benchmark. Prints the
best of five timed loops per row count, after a warm-up.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
enc = nn.Linear(784, 512)
head = nn.Linear(512, 4)
for rows in [int(r) for r in sys.argv[1:]] or [1, 256]:
    x = torch.rand(rows, 784)
    calls = max(20, 4000 // rows)
    with torch.no_grad():
        for _ in range(calls):
            head(F.relu(enc(x))).split(2, dim=1)
        best = 0.0
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(calls):
                head(F.relu(enc(x))).split(2, dim=1)
            best = max(best, calls * rows / (time.perf_counter() - t))
    print(f"pytorch encode, {rows} row(s) a call: {best:,.0f} rows/s ({1e6 * rows / best:.1f} us a call)")
