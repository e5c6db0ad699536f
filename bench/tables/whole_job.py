#!/usr/bin/python3
"""A user's whole job, simdvae against PyTorch, as a user runs it: on a numeric table of 58,000 rows and 9 columns
(Shuttle's shape; seeded synthetic rows unless --data names a CSV), `./simdvae train` (10 epochs, a 9-64-4 model, no
validation split, as the PyTorch script holds none; every default else: test loss, test nll, reference, pictures)
then `./simdvae score` on the test rows, two processes, timed from the first one's start to the second one's end;
PyTorch (bench/pytorch/vae_whole_job.py) from `import torch` to its last score, in one process. Alternating rounds on
the same machine; medians.

Then a table of a few hundred rows trained with every default (`./simdvae train --data small.csv`): its wall time,
and where it went (metrics.json's seconds: launcher, JVM start, setup, data, epochs, test loss, reference, pictures).

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/tables/whole_job.py [--rounds 3] [--rows 58000] [--small 320]

Needs python3-torch, python3-pandas and libopenblas0-pthread (Debian); run from the repository's root.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--rows", type=int, default=58000)
parser.add_argument("--data", help="a numeric CSV to use instead of synthetic rows (its last --test-share held out)")
parser.add_argument("--label", help="the label column of --data, dropped")
parser.add_argument("--test-share", type=float, default=0.2)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--small", type=int, default=320, help="rows of the small table (0 skips it)")
parser.add_argument("--simdvae", default="./simdvae", help="the launcher to time")
args = parser.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="simdvae-whole-job-")
env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS", "2"))


def synthetic(rows, path, seed):
    """Nine numeric columns driven by two latent factors, with noise, skew and a few integer-valued columns."""
    r = random.Random(seed)
    with open(path, "w") as f:
        f.write(",".join(f"x{j}" for j in range(9)) + "\n")
        for _ in range(rows):
            a, b = r.gauss(0, 1), r.gauss(0, 1)
            v = [a, b, a + b + r.gauss(0, .1), 2 * a - b + r.gauss(0, .3), abs(a) ** 1.5, round(10 * b + 40),
                 a * b + r.gauss(0, .2), r.gauss(0, 1), round(3 * a) + r.choice((0, 0, 0, 1))]
            f.write(",".join(f"{x:.4f}" for x in v) + "\n")


def split(path, train, test):
    with open(path) as f:
        lines = f.readlines()
    header, rows = lines[0], lines[1:]
    cut = int(len(rows) * (1 - args.test_share))
    with open(train, "w") as f:
        f.writelines([header] + rows[:cut])
    with open(test, "w") as f:
        f.writelines([header] + rows[cut:])
    return cut, len(rows) - cut


table = args.data or os.path.join(work, "table.csv")
if not args.data:
    synthetic(args.rows, table, 1)
train_csv, test_csv = os.path.join(work, "train.csv"), os.path.join(work, "test.csv")
n_train, n_test = split(table, train_csv, test_csv)
label = ["--label-column", args.label] if args.label else []
print(f"{table}: {n_train} training rows, {n_test} test rows; {args.epochs} epochs, hidden 64, latent 4")


def timed(cmd, **kw):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} {cmd[1] if len(cmd) > 1 else ''} failed:\n{p.stderr[-2000:]}")
    return time.perf_counter() - t, p


def pytorch():
    out = os.path.join(work, "pytorch_scores.csv")
    cmd = [sys.executable, os.path.join(here, "..", "pytorch", "vae_whole_job.py"), train_csv, test_csv, out,
           "--hidden", "64", "--latent", "4", "--epochs", str(args.epochs)] + (["--label", args.label] if args.label
                                                                                else [])
    wall, p = timed(cmd, env=env)
    print(f"  pytorch  {wall:6.2f} s  ({p.stderr.strip().splitlines()[-1]})")
    return wall


def simdvae(r):
    run = os.path.join(work, f"run{r}")
    t = time.perf_counter()
    train, _ = timed([args.simdvae, "train", "--data", train_csv, "--test-data", test_csv, "--hidden", "64",
                      "--latent", "4", "--epochs", str(args.epochs), "--validation-split", "0", "--out", run] + label)
    score, _ = timed([args.simdvae, "score", "--model", os.path.join(run, "model.svae"), "--data", test_csv,
                      "--out", os.path.join(work, f"scores{r}.csv"), "--force"] + label)
    wall = time.perf_counter() - t
    with open(os.path.join(run, "metrics.json")) as f:
        m = json.load(f)
    epochs = [e["seconds"] for e in m["epochs"]]
    stages = m.get("seconds", {})
    print(f"  simdvae  {wall:6.2f} s  (train {train:.2f} s: epochs {sum(epochs):.2f} s, first {epochs[0]:.2f} s, "
          f"steady {statistics.median(epochs[2:] or epochs):.3f} s; score {score:.2f} s)")
    if stages:
        print("           train's stages: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    return wall


ratios = []
for r in range(args.rounds):
    print(f"round {r + 1}")
    t, s = pytorch(), simdvae(r)
    ratios.append(t / s)
    print(f"  whole job: simdvae {t / s:.2f}x PyTorch's speed")
print(f"whole-job ratio (PyTorch's wall / simdvae's): median {statistics.median(ratios):.2f} "
      f"({', '.join(f'{x:.2f}' for x in ratios)})")

if args.small > 0:
    small = os.path.join(work, "small.csv")
    synthetic(args.small, small, 2)
    walls = []
    for r in range(args.rounds):
        run = os.path.join(work, f"small{r}")
        wall, _ = timed([args.simdvae, "train", "--data", small, "--out", run])
        walls.append(wall)
        with open(os.path.join(run, "metrics.json")) as f:
            stages = json.load(f).get("seconds", {})
        print(f"small table ({args.small} rows, defaults): {wall:.2f} s wall; "
              + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    print(f"small table: median {statistics.median(walls):.2f} s wall")
