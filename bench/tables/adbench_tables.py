#!/usr/bin/python3
"""The harness's tables: where each comes from, which rows are anomalous, and a writer of their CSV files.

    /usr/bin/python3 adbench_tables.py OUT_DIR

writes OUT_DIR/<name>.csv for every table below, as users meet them: factor levels as their names, NA as an empty
cell, the class column kept under its own name (the harness drops it from the features). Sources are Debian
packages only: r-cran-mlbench (read with python3-rdata), R's recommended package survival (read with Rscript) and
python3-sklearn's shipped wine table. No data goes into git.

Anomalies follow ADBench (NeurIPS 2022) / ODDS where the table is one of theirs:
  pima        diabetes = pos                                              768 rows, 268 anomalous
  breastw     Class = malignant (ADBench keeps the 683 complete rows; here all 699, 16 empty cells)
  ionosphere  Class = bad                                                 351 / 126
  glass       Type = 6 (tableware, ODDS: the clear minority class)        214 / 9
  satellite   the three smallest classes (ODDS)                          6435 / 2036
  shuttle     class 1 (Rad.Flow) normal, class 4 (High) discarded, the rest anomalous (ODDS) 49097 / 3511
  wine        classes 2, 3 normal, class 1 down-sampled to 10 rows (ODDS; here a seeded choice)   129 / 10
and for tables ADBench lacks (text cells, gaps):
  votes       HouseVotes84: Class = republican; 16 y/n texts with gaps     435 / 168
  soybean     the four smallest classes of 19; 35 coded columns with gaps  683 / 53
  pbc         survival::pbc (Mayo primary biliary cirrhosis): status = 2 (died); id and follow-up time dropped;
              mixed (sex and treatment as text, lab values with gaps)      418 / 161
"""
import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd

MLBENCH = "/usr/lib/R/site-library/mlbench/data"

# name -> (label column, anomalous classes (None: every class but `normal`), normal classes (None: every other),
#          discarded classes, feature columns to drop)
TABLES = {
    "pima": ("diabetes", ["pos"], None, [], []),
    "breastw": ("Class", ["malignant"], None, [], ["Id"]),
    "ionosphere": ("Class", ["bad"], None, [], []),
    "glass": ("Type", ["6"], None, [], []),
    "satellite": ("classes", ["cotton crop", "damp grey soil", "vegetation stubble"], None, [], []),
    "shuttle": ("Class", None, ["Rad.Flow"], ["High"], []),
    "wine": ("class", ["1"], None, [], []),
    "votes": ("Class", ["republican"], None, [], []),
    "soybean": ("Class", ["2-4-d-injury", "diaporthe-pod-&-stem-blight", "cyst-nematode", "herbicide-injury"], None,
                [], []),
    "pbc": ("status", ["2"], None, [], []),
}


def read(path, name):
    """Reads a table written by write(): every cell as text, empty cells as ''; returns (features, anomalous)."""
    label, anomalous, normal, discarded, drop = TABLES[name]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = frame[~frame[label].isin(discarded)].drop(columns=drop).reset_index(drop=True)
    if anomalous is not None:
        truth = frame[label].isin(anomalous).to_numpy()
    else:
        truth = ~frame[label].isin(normal).to_numpy()
    return frame, truth


def rda(name):
    import rdata
    warnings.simplefilter("ignore")
    parsed = rdata.parser.parse_file(f"{MLBENCH}/{name}.rda")
    return rdata.conversion.convert(parsed)[name]


def write(out):
    os.makedirs(out, exist_ok=True)
    frames = {
        "pima": rda("PimaIndiansDiabetes"),
        "breastw": rda("BreastCancer"),
        "ionosphere": rda("Ionosphere"),
        "glass": rda("Glass"),
        "satellite": rda("Satellite"),
        "shuttle": rda("Shuttle"),
        "votes": rda("HouseVotes84"),
        "soybean": rda("Soybean"),
    }
    from sklearn.datasets import load_wine
    wine = load_wine()
    frame = pd.DataFrame(wine.data, columns=wine.feature_names)
    frame["class"] = wine.target + 1
    keep = np.random.default_rng(0).choice(np.flatnonzero(frame["class"] == 1), 10, replace=False)
    frames["wine"] = frame[(frame["class"] != 1) | frame.index.isin(keep)]
    pbc = os.path.join(out, "pbc.csv")
    # trt: 1 D-penicillamine, 2 placebo, NA for the 106 patients outside the trial; sex is already text.
    subprocess.run(["Rscript", "-e", "library(survival); d <- pbc; d$id <- NULL; d$time <- NULL; "
                    "d$trt <- factor(d$trt, 1:2, c('D-penicillamine', 'placebo')); "
                    f"write.csv(d, '{pbc}', row.names = FALSE, na = '', quote = FALSE)"], check=True)
    for name, frame in frames.items():
        frame.to_csv(os.path.join(out, f"{name}.csv"), index=False)
    for name in TABLES:
        features, truth = read(os.path.join(out, f"{name}.csv"), name)
        print(f"{name}: {len(features)} rows, {features.shape[1] - 1} feature columns, {int(truth.sum())} anomalous, "
              f"{int((features == '').sum().sum())} empty cells")


if __name__ == "__main__":
    write(sys.argv[1])
