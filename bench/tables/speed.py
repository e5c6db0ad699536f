#!/usr/bin/python3
"""Training speed on a mixed table, simdvae against PyTorch side by side: the same table, model, loss and batch,
alternating runs on the same machine in one go, so the ratio is one run's. Prints each run's epochs and the median
rows per second from epoch 3 on (the first epochs are JIT warm-up).

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/tables/speed.py [--rows 50000] [--rounds 2] [--epochs 5]

Needs python3-torch, python3-pandas and libopenblas0-pthread (Debian); run from the repository's root after
`mvn install`.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=50000)
parser.add_argument("--rounds", type=int, default=2)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--hidden", default="64")
parser.add_argument("--threads", type=int, default=2, help="simdvae's threads (PyTorch: 1 torch thread, "
                    "OPENBLAS_NUM_THREADS from the environment, 2 by default)")
args = parser.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="simdvae-table-speed-")
table = os.path.join(work, "mixed.csv")
subprocess.run([sys.executable, os.path.join(here, "make_mixed.py"), str(args.rows), table, "1"], check=True)
env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "2"))


def pytorch():
    out = subprocess.run([sys.executable, os.path.join(here, "..", "pytorch", "vae_table.py"), table, "--label",
                          "kind", "--hidden", args.hidden, "--epochs", str(args.epochs)],
                         check=True, capture_output=True, text=True, env=env).stdout
    print("  " + out.splitlines()[0])
    return [float(s) for s in re.findall(r"epoch \d+: ([0-9.]+) s", out)]


def simdvae(r):
    run = os.path.join(work, f"run{r}")
    subprocess.run(["./simdvae", "train", "--data", table, "--label-column", "kind", "--hidden", args.hidden,
                    "--epochs", str(args.epochs), "--threads", str(args.threads), "--validation-split", "0",
                    "--out", run],
                   check=True, capture_output=True)
    with open(os.path.join(run, "metrics.json")) as f:
        metrics = json.load(f)
    # simdvae holds out a seeded tenth of the rows for its test loss: compare rows per second
    return [e["seconds"] for e in metrics["epochs"]], metrics["train_size"]


def show(name, seconds, rows):
    steady = seconds[2:] or seconds[-1:]
    rate = rows / statistics.median(steady)
    whole = rows * len(seconds) / sum(seconds)
    print(f"  {name:8s} {rows} rows, epochs {' '.join(f'{s:.2f}' for s in seconds)} s; steady (from epoch 3) "
          f"median {rate:,.0f} rows/s; whole run {whole:,.0f} rows/s")
    return rate, whole


ratios = []
for r in range(args.rounds):
    print(f"round {r + 1}")
    t = show("pytorch", pytorch(), args.rows)
    s = show("simdvae", *simdvae(r))
    ratios.append((s[0] / t[0], s[1] / t[1]))
    print(f"  simdvae {s[0] / t[0]:.1f}x the rows per second (steady), {s[1] / t[1]:.1f}x over the whole run")
print("ratios (steady, whole run): " + ", ".join(f"{a:.1f} / {b:.1f}" for a, b in ratios))
