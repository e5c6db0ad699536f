#!/usr/bin/python3
"""Writes scikit-learn's breast-cancer table (Debian's python3-sklearn ships it) as a CSV file with a header of
names: 30 measurements and a diagnosis column, benign or malignant.

    /usr/bin/python3 sklearn_csv.py OUT.csv
"""
import sys

import pandas as pd
from sklearn.datasets import load_breast_cancer

data = load_breast_cancer()
frame = pd.DataFrame(data.data, columns=[n.replace(" ", "_") for n in data.feature_names])
frame["diagnosis"] = [data.target_names[t] for t in data.target]
frame.to_csv(sys.argv[1], index=False)
print(f"{sys.argv[1]}: {len(frame)} rows, {frame.shape[1] - 1} measurements, "
      f"{dict(frame['diagnosis'].value_counts())}")
