#!/usr/bin/python3
"""Drift on a real table, as a user watching a model in production meets it: three batches against one model.

The rows of class NORMAL are cut by a seeded shuffle: 60 % train the model (./simdvae train with its defaults), the
other 40 % are the batch "like training" (drawn as the training rows were: it should not be flagged). The rows of
every other class are the batch "anomalies", and the like-training batch with one numeric column multiplied by
--factor is the batch "shifted COLUMN". Each batch goes through ./simdvae drift; the script prints one line a batch:
the verdict, the batch's p-value and the most shifted columns. Needs Debian's python3-pandas (run it with
/usr/bin/python3); the data is yours (e.g. survival's pbc written by bench/tables/adbench_tables.py, or any table
from bench/tables/mlbench_csv.py).

    drift_demo.py DATA.csv LABEL NORMAL SHIFT_COLUMN OUT_DIR [--drop COL,...] [--factor 1.5] [--seed S] [--alpha A]

For example survival's flchain (7,874 people: age, sex, serum free light chains, creatinine with gaps; the cause
of death and follow-up time dropped, since they describe the outcome), written with R:

    Rscript -e "library(survival); d <- flchain; d\$chapter <- NULL; d\$futime <- NULL;
                write.csv(d, 'flchain.csv', row.names = FALSE, na = '', quote = FALSE)"
    drift_demo.py flchain.csv death 0 creatinine out
"""
import argparse
import json
import os
import subprocess

import numpy as np
import pandas as pd

from table_args import add_table_arguments, read_table

parser = argparse.ArgumentParser()
add_table_arguments(parser, "shift_column")
parser.add_argument("--factor", type=float, default=1.5)
parser.add_argument("--alpha", type=float, default=0.01)
args = parser.parse_args()

frame, normal = read_table(args)
order = np.random.default_rng(args.seed).permutation(len(normal))
cut = int(0.6 * len(normal))
train = normal.iloc[order[:cut]]
like = normal.iloc[order[cut:]]
shifted = like.copy()
values = pd.to_numeric(shifted[args.shift_column].replace("", np.nan), errors="raise")
shifted[args.shift_column] = [("" if np.isnan(v) else repr(float(v) * args.factor)) for v in values]
batches = {
    "like training": like,
    "anomalies": frame[frame[args.label] != args.normal],
    f"{args.shift_column} x {args.factor:g}": shifted,
}


def p_text(log_p):
    """A p-value from its natural log, in powers of ten where a double would underflow to 0."""
    return f"{np.exp(log_p):.3g}" if log_p > -600 else f"1e{log_p / np.log(10):.0f}"


def path(name):
    return os.path.join(args.out, name)


train.to_csv(path("train.csv"), index=False)
subprocess.run([args.simdvae, "train", "--data", path("train.csv"), "--label-column", args.label, "--out",
                path("run"), "--force"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"{args.data}: trained on {len(train)} rows of {args.label} = {args.normal} (seed {args.seed})")
for i, (name, batch) in enumerate(batches.items()):
    csv = path(f"batch{i}.csv")
    batch.to_csv(csv, index=False)
    subprocess.run([args.simdvae, "drift", "--model", path("run/model.svae"), "--data", csv, "--label-column",
                    args.label, "--unseen-levels", "other", "--alpha", str(args.alpha), "--out", path(f"drift{i}"),
                    "--force"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    report = json.load(open(path(f"drift{i}/drift.json")))
    top = [f"{c['column']} ({c['shifted_in']})" for c in report["columns"][:3] if c["drifted"]]
    print(f"  {name:>20}: {len(batch):4d} rows, {'DRIFT' if report['drifted'] else 'no drift':8s} "
          f"p = {p_text(report['log_p_value'])}; most shifted: {', '.join(top) if top else '-'}")
