#!/usr/bin/python3
"""Warm start against training from scratch, on one table: a seeded tenth of the rows is the test set; the rest is
cut into halves A and B. Three runs of ./simdvae train, all scored on the same test rows after every epoch:

  all      from scratch on A and B together, EPOCHS epochs
  A        from scratch on A alone, EPOCHS epochs
  A -> B   train --from A's model on B alone, EPOCHS epochs

Prints each run's test loss per epoch, and the epoch at which A -> B first comes within 1 % of the final test loss
of "all" (and how many epochs "all" needs to get there itself).

    /usr/bin/python3 warm_start.py DATA.csv OUT_DIR [--label COL] [--epochs 10] [train options...]
"""
import argparse
import json
import os
import subprocess

import numpy as np
import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("data")
parser.add_argument("out")
parser.add_argument("--label")
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--simdvae", default=os.path.join(os.path.dirname(__file__), "..", "..", "simdvae"))
args, options = parser.parse_known_args()

os.makedirs(args.out, exist_ok=True)
frame = pd.read_csv(args.data, dtype=str, keep_default_na=False)
order = np.random.default_rng(args.seed).permutation(len(frame))
test_rows = len(frame) // 10
half = (len(frame) - test_rows) // 2
parts = {"test": order[:test_rows], "A": order[test_rows:test_rows + half], "B": order[test_rows + half:],
         "all": order[test_rows:]}
files = {}
for name, rows in parts.items():
    files[name] = os.path.join(args.out, f"{name}.csv")
    frame.iloc[rows].to_csv(files[name], index=False)


MODEL_OPTIONS = {"--hidden", "--latent", "--likelihood", "--scale", "--init"}  # a warm start takes the model's


def run_options():
    kept, skip = [], False
    for o in options:
        if skip:
            skip = False
        elif o in MODEL_OPTIONS:
            skip = True
        else:
            kept.append(o)
    return kept


def train(name, data, *extra):
    run = os.path.join(args.out, name)
    label = ["--label-column", args.label] if args.label else []
    given = run_options() if "--from" in extra else options
    subprocess.run([args.simdvae, "train", "--data", data, "--test-data", files["test"], *label, "--epochs",
                    str(args.epochs), "--iw-samples", "0", "--out", run, "--force", *given, *extra], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(run, "metrics.json")) as f:
        metrics = json.load(f)
    return run, [e["test_loss"] for e in metrics["epochs"]], metrics["train_size"]


_, full, full_rows = train("all", files["all"])
first, a_losses, a_rows = train("A", files["A"])
_, warm, b_rows = train("A-B", files["B"], "--from", os.path.join(first, "model.svae"))
target = full[-1] + 0.01 * abs(full[-1])
print(f"{os.path.basename(args.data)}: test {test_rows} rows; all {full_rows}, A {a_rows}, B {b_rows} training rows")
for name, losses in [("all", full), ("A", a_losses), ("A -> B", warm)]:
    print(f"  {name:7s} " + " ".join(f"{v:.3f}" for v in losses))


def reached(losses):
    return next((i + 1 for i, v in enumerate(losses) if v <= target), None)


print(f"  within 1 % of all's final test loss ({full[-1]:.3f}): A -> B after epoch {reached(warm)} of B, "
      f"all after epoch {reached(full)}; A -> B ends at {warm[-1]:.3f} ({100 * (warm[-1] / full[-1] - 1):+.2f} %)")
