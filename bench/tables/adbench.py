#!/usr/bin/python3
"""simdvae against a 5-nearest-neighbour distance and an isolation forest on public tables, with the semi-supervised
protocol of ADBench (NeurIPS 2022) and DTE (ICLR 2024): a seeded half of the normal rows is what every detector
learns from (train.csv); the other half and every anomalous row are ranked (eval.csv). AUROC and average precision
(anomalous = positive) per table and seed.

    adbench.py run --data DIR --work DIR [--tables a,b,...] [--seeds 1-5] [--name NAME] [--baselines]
                   [-- simdvae train options ...]
    adbench.py report --work DIR [--methods knn,iforest,NAME,...] [--seeds 1-5] [--metric auroc|ap]

`run` writes the tables' splits under WORK/splits/, runs `./simdvae train --data train.csv --label-column LABEL
[options]` and `./simdvae score --unseen-levels other` on eval.csv exactly as a user would (the default `score`
column ranks), and appends one line per table, seed and method to WORK/results.csv (the per-seed file).
With --baselines it also scores the same splits with kNN and an isolation forest: one encoding for both, fitted on
train.csv — texts one-hot (a missing text is its own level, unseen levels ignored), numbers with their training
median filled in and a missing-indicator column for each numeric column with a gap in train.csv, everything
standardized on train.csv; kNN's score is the mean Euclidean distance to the 5 nearest training rows,
IsolationForest has 300 trees and random_state = seed. `report` prints a Markdown table of means over the seeds.
The tables come from adbench_tables.py. Needs Debian's python3-sklearn and python3-pandas (/usr/bin/python3).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import IsolationForest
from sklearn.impute import SimpleImputer
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.neighbors import NearestNeighbors
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adbench_tables  # noqa: E402

SIMDVAE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "simdvae")


def seeds(text):
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(s) for s in text.split(",")]


class Split:
    """One table's split for one seed: train.csv and eval.csv under WORK/splits/TABLE/sSEED, and eval's truth."""

    def __init__(self, data, work, table, seed):
        self.table, self.seed = table, seed
        self.label = adbench_tables.TABLES[table][0]
        frame, truth = adbench_tables.read(os.path.join(data, f"{table}.csv"), table)
        normal = np.flatnonzero(~truth)
        order = np.random.default_rng(seed).permutation(normal)
        learn = np.sort(order[: len(normal) // 2])
        ranked = np.setdiff1d(np.arange(len(frame)), learn)
        self.train = frame.iloc[learn].reset_index(drop=True)
        self.eval = frame.iloc[ranked].reset_index(drop=True)
        self.truth = truth[ranked]
        self.features = [c for c in frame.columns if c != self.label]
        self.dir = os.path.join(work, "splits", table, f"s{seed}")
        os.makedirs(self.dir, exist_ok=True)
        self.train_csv = os.path.join(self.dir, "train.csv")
        self.eval_csv = os.path.join(self.dir, "eval.csv")
        for rows, path in [(self.train, self.train_csv), (self.eval, self.eval_csv)]:
            if not os.path.exists(path):
                rows.to_csv(path, index=False)

    def numeric(self):
        """The feature columns whose every non-empty training cell is a number (simdvae's rule too)."""
        out = []
        for c in self.features:
            cells = self.train[c][self.train[c] != ""]
            if pd.to_numeric(cells, errors="coerce").notna().all():
                out.append(c)
        return out


def encoded(split):
    """train and eval as one numeric matrix each, for kNN and the forest (see the module's doc)."""
    numeric = split.numeric()
    text = [c for c in split.features if c not in numeric]

    def matrix(rows):
        m = rows[split.features].replace("", np.nan)
        m[numeric] = m[numeric].apply(pd.to_numeric, errors="coerce")
        return m

    parts = []
    if numeric:
        parts.append(("numbers", SimpleImputer(strategy="median", add_indicator=True), numeric))
    if text:
        parts.append(("texts", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                                             OneHotEncoder(handle_unknown="ignore", sparse_output=False)), text))
    encoder = make_pipeline(ColumnTransformer(parts), StandardScaler())
    train = encoder.fit_transform(matrix(split.train))
    return train, encoder.transform(matrix(split.eval))


def baselines(split):
    train, evaluation = encoded(split)
    out = {}
    start = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=5).fit(train)
    out["knn"] = (nn.kneighbors(evaluation)[0].mean(axis=1), time.perf_counter() - start)
    start = time.perf_counter()
    forest = IsolationForest(n_estimators=300, random_state=split.seed).fit(train)
    out["iforest"] = (-forest.decision_function(evaluation), time.perf_counter() - start)
    return out


def simdvae(split, name, options, simdvae_path=SIMDVAE):
    """./simdvae train and score as a user runs them; returns (the score column, seconds for both)."""
    run = os.path.join(split.dir, name)
    start = time.perf_counter()
    quiet = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    subprocess.run([simdvae_path, "train", "--data", split.train_csv, "--label-column", split.label, "--out", run,
                    "--force", *options], **quiet)
    scores = os.path.join(run, "scores.csv")
    subprocess.run([simdvae_path, "score", "--model", os.path.join(run, "model.svae"), "--data", split.eval_csv,
                    "--unseen-levels", "other", "--out", scores, "--force"], **quiet)
    seconds = time.perf_counter() - start
    return pd.read_csv(scores)["score"].to_numpy(), seconds


def record(work, split, method, scores, seconds, note=""):
    """Appends one result line to WORK/results.csv (a later line for the same table, seed and method wins). AUROC
    and AP depend on the ranking alone: scores are ranked first, so a score of +inf (a row so far out that its KL
    overflows a float) ranks above every finite one, as it does for a user sorting the column."""
    path = os.path.join(work, "results.csv")
    scores = rankdata(np.asarray(scores, dtype=float))
    line = pd.DataFrame([dict(table=split.table, seed=split.seed, method=method,
                              auroc=roc_auc_score(split.truth, scores),
                              ap=average_precision_score(split.truth, scores), seconds=seconds, note=note)])
    line.to_csv(path, mode="a", header=not os.path.exists(path), index=False)
    return line.iloc[0]


def results(work):
    frame = pd.read_csv(os.path.join(work, "results.csv"), keep_default_na=False)
    return frame.drop_duplicates(["table", "seed", "method"], keep="last")


def report(work, methods, seed_list, metric, tables=None):
    """A Markdown table: rows are tables, columns methods, cells the mean of `metric` over the seeds."""
    frame = results(work)
    frame = frame[frame.seed.isin(seed_list)]
    if methods:
        frame = frame[frame.method.isin(methods)]
    else:
        methods = list(dict.fromkeys(frame.method))
    tables = tables or [t for t in adbench_tables.TABLES if t in set(frame.table)]
    means = frame.pivot_table(index="table", columns="method", values=metric, aggfunc="mean")
    counts = frame.pivot_table(index="table", columns="method", values=metric, aggfunc="count")
    lines = [f"| table | {' | '.join(methods)} |", "|---|" + "---:|" * len(methods)]
    for t in tables:
        cells = []
        for m in methods:
            v = means.get(m, {}).get(t, np.nan)
            n = counts.get(m, {}).get(t, 0)
            cells.append("–" if np.isnan(v) else f"{v:.3f}" + ("" if n == len(seed_list) else f" ({n})"))
        lines.append(f"| {t} | {' | '.join(cells)} |")
    mean = [means.loc[tables, m].mean() if m in means else np.nan for m in methods]
    lines.append(f"| **mean** | {' | '.join(f'**{v:.3f}**' for v in mean)} |")
    if "knn" in means and "iforest" in means:
        # the issue's bar: above both baselines' means, and on no table more than 0.02 below the worse of the two
        worse = np.minimum(means.loc[tables, "knn"], means.loc[tables, "iforest"])
        margin = [(means.loc[tables, m] - worse).min() if m in means else np.nan for m in methods]
        worst = [(means.loc[tables, m] - worse).idxmin() if m in means else "" for m in methods]
        lines.append(f"| worst margin to the worse baseline | "
                     f"{' | '.join(f'{v:+.3f} ({t})' for v, t in zip(margin, worst))} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["run", "report"])
    parser.add_argument("--data", help="the directory adbench_tables.py wrote")
    parser.add_argument("--work", required=True)
    parser.add_argument("--tables", default=",".join(adbench_tables.TABLES))
    parser.add_argument("--seeds", default="1-5")
    parser.add_argument("--name", default="simdvae", help="the method's name in results.csv")
    parser.add_argument("--baselines", action="store_true", help="also kNN and the isolation forest")
    parser.add_argument("--no-simdvae", action="store_true", help="only the baselines")
    parser.add_argument("--methods", default="")
    parser.add_argument("--metric", default="auroc", choices=["auroc", "ap"])
    parser.add_argument("--simdvae", default=SIMDVAE)
    args, options = parser.parse_known_args()
    options = [o for o in options if o != "--"]
    seed_list = seeds(args.seeds)
    tables = args.tables.split(",")
    if args.command == "report":
        print(report(args.work, [m for m in args.methods.split(",") if m], seed_list, args.metric,
                     [t for t in tables if t in adbench_tables.TABLES]))
        return
    for table in tables:
        for seed in seed_list:
            split = Split(args.data, args.work, table, seed)
            shown = [f"{table} s{seed}"]
            if args.baselines:
                for method, (scores, seconds) in baselines(split).items():
                    r = record(args.work, split, method, scores, seconds)
                    shown.append(f"{method} {r.auroc:.3f}/{r.ap:.3f}")
            if not args.no_simdvae:
                scores, seconds = simdvae(split, args.name, options, args.simdvae)
                r = record(args.work, split, args.name, scores, seconds, note=json.dumps(options))
                shown.append(f"{args.name} {r.auroc:.3f}/{r.ap:.3f} {seconds:.1f}s")
            print("  ".join(shown), flush=True)


if __name__ == "__main__":
    main()
