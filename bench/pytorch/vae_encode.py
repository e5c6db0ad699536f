"""The tutorial's model (784 -> 512 ReLU -> mu, log var in R^2 -> 512 ReLU -> 784) in PyTorch, timed as
ServingBench times ours: encode (mu and log var) or score (the negative ELBO at z = mu: encoder, decoder, the
Bernoulli cross-entropy on the logits and the KL term), ROWS rows a call.

Run with Debian's python3-torch, side by side with `./simdvae jmh ServingBench`, on the same machine:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch/vae_encode.py [--op encode|score] [--json] [ROWS ...]
One torch thread and OPENBLAS_NUM_THREADS BLAS threads (PyTorch's best setting on these machines). Prints the best
of five timed loops per row count, after a warm-up; with --json, one JSON object a line ({op, rows, threads,
rows_per_second}) for `./simdvae bench`.
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("rows", nargs="*", type=int, default=[1, 256])
parser.add_argument("--op", choices=["encode", "score"], default="encode")
parser.add_argument("--json", action="store_true")
args = parser.parse_args()

torch.set_num_threads(1)
torch.manual_seed(1)
enc = nn.Linear(784, 512)
head = nn.Linear(512, 4)
dec = nn.Linear(2, 512)
out = nn.Linear(512, 784)


def encode(x):
    return head(F.relu(enc(x))).split(2, dim=1)


def score(x):
    mu, logvar = encode(x)
    logits = out(F.relu(dec(mu)))
    rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
    kl = 0.5 * (logvar.exp() + mu * mu - 1 - logvar).sum(1)
    return rec + kl


call = encode if args.op == "encode" else score
for rows in args.rows:
    x = torch.rand(rows, 784)
    calls = max(20, 4000 // rows)
    with torch.no_grad():
        for _ in range(calls):
            call(x)
        best = 0.0
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(calls):
                call(x)
            best = max(best, calls * rows / (time.perf_counter() - t))
    if args.json:
        print(json.dumps({"op": args.op, "rows": rows, "threads": int(os.environ.get("OPENBLAS_NUM_THREADS", "1")),
                          "rows_per_second": best}))
    else:
        print(f"pytorch {args.op}, {rows} row(s) a call: {best:,.0f} rows/s ({1e6 * rows / best:.1f} us a call)")
