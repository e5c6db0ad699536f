#!/usr/bin/python3
"""Anomaly detection on a labelled table, simdvae against scikit-learn's IsolationForest on the same split.

The rows of class NORMAL are normal, every other row an anomaly. A seeded shuffle puts 70 % of the normal rows in
train.csv (what both detectors learn from) and the other 30 % with every anomaly in eval.csv; both score eval.csv.
simdvae reads the files as they are (text cells, empty cells) through ./simdvae train and score; the isolation
forest gets what scikit-learn needs: missing numbers filled with the training median, texts one-hot encoded
(unknown levels ignored). Prints AUROC and average precision of both, from the scores. Needs Debian's
python3-sklearn and python3-pandas (run it with /usr/bin/python3).

    anomaly_eval.py DATA.csv LABEL NORMAL OUT_DIR [--drop COL,...] [--seed S] [simdvae train options...]

With --contamination, the unsupervised protocol (PyOD's): a seeded split puts 70 % of all rows, anomalies included,
in train.csv and the rest in eval.csv; the contamination is the table's true anomaly share; simdvae trains with
train --contamination (its threshold from its training rows' scores) and writes score's outlier column, the forest
gets IsolationForest(contamination=...) and predict. Prints each one's precision and recall on eval.csv.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import IsolationForest
from sklearn.impute import SimpleImputer
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from table_args import add_table_arguments, read_table

parser = argparse.ArgumentParser()
add_table_arguments(parser)
parser.add_argument("--contamination", action="store_true",
                    help="the unsupervised protocol: train on all kinds of rows, decide at the true anomaly share")
args, train_options = parser.parse_known_args()

frame, normal = read_table(args)
anomalies = frame[frame[args.label] != args.normal]
rng = np.random.default_rng(args.seed)
share = len(anomalies) / len(frame)
if args.contamination:
    order = rng.permutation(len(frame))
    cut = int(0.7 * len(frame))
    train = frame.iloc[order[:cut]]
    evaluation = frame.iloc[order[cut:]]
    train_options = [*train_options, "--contamination", f"{share:.6f}"]
else:
    order = rng.permutation(len(normal))
    cut = int(0.7 * len(normal))
    train = normal.iloc[order[:cut]]
    evaluation = pd.concat([normal.iloc[order[cut:]], anomalies])
train_csv = os.path.join(args.out, "train.csv")
eval_csv = os.path.join(args.out, "eval.csv")
train.to_csv(train_csv, index=False)
evaluation.to_csv(eval_csv, index=False)
truth = (evaluation[args.label] != args.normal).to_numpy()

run = os.path.join(args.out, "run")
subprocess.run([args.simdvae, "train", "--data", train_csv, "--label-column", args.label, "--out", run, "--force",
                *train_options], check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
scores_csv = os.path.join(args.out, "scores.csv")
subprocess.run([args.simdvae, "score", "--model", os.path.join(run, "model.svae"), "--data", eval_csv,
                "--iw-samples", "50", "--unseen-levels", "other", "--out", scores_csv, "--force"], check=True,
               stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
scores = pd.read_csv(scores_csv)

features = [c for c in frame.columns if c != args.label]
numeric = [c for c in features if pd.to_numeric(train[c].replace("", np.nan), errors="coerce").notna().sum()
           == (train[c] != "").sum()]
text = [c for c in features if c not in numeric]


def matrix(rows):
    m = rows[features].replace("", np.nan)
    m[numeric] = m[numeric].apply(pd.to_numeric)
    return m


forest = make_pipeline(ColumnTransformer([
    ("numbers", SimpleImputer(strategy="median"), numeric),
    ("texts", make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                            OneHotEncoder(handle_unknown="ignore")), text)]),
    IsolationForest(n_estimators=300, random_state=args.seed, contamination=share if args.contamination else "auto"))
forest.fit(matrix(train))
forest_scores = -forest.decision_function(matrix(evaluation))

print(f"{os.path.basename(args.data)}: {len(train)} {'' if args.contamination else 'normal '}rows to learn from; "
      f"{len(evaluation)} to score, "
      f"{int(truth.sum())} of them anomalies; {len(numeric)} numeric, {len(text)} text columns; "
      f"{int((frame[features] == '').sum().sum())} empty cells")
for name, s in [("simdvae score", scores["score"]), ("simdvae recon", scores["reconstruction"]), ("simdvae nll_k", scores["nll_k"]),
                ("isolation forest", forest_scores)]:
    print(f"  {name:17s} AUROC {roc_auc_score(truth, s):.3f}  average precision {average_precision_score(truth, s):.3f}")
if args.contamination:
    forest_outliers = forest.predict(matrix(evaluation)) == -1
    print(f"  contamination {share:.3f} (the table's anomaly share)")
    for name, flagged in [("simdvae outlier", scores["outlier"].to_numpy() == 1),
                          ("isolation forest", forest_outliers)]:
        hits = int((flagged & truth).sum())
        print(f"  {name:17s} precision {hits / max(1, flagged.sum()):.3f}  recall {hits / truth.sum():.3f}  "
              f"flagged {int(flagged.sum())}")
