"""What anomaly_eval.py and drift_demo.py share: their common arguments, and a labelled table read as text."""
import os

import pandas as pd


def add_table_arguments(parser, *more):
    """DATA LABEL NORMAL [MORE...] OUT, --drop, --seed and --simdvae."""
    for name in ("data", "label", "normal", *more, "out"):
        parser.add_argument(name)
    parser.add_argument("--drop", default="")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--simdvae", default=os.path.join(os.path.dirname(__file__), "..", "..", "simdvae"))


def read_table(args):
    """Makes OUT; returns the table (every cell as text, empty cells kept, --drop's columns dropped) and its
    normal rows (those whose LABEL is NORMAL)."""
    os.makedirs(args.out, exist_ok=True)
    frame = pd.read_csv(args.data, dtype=str, keep_default_na=False)
    if args.drop:
        frame = frame.drop(columns=args.drop.split(","))
    return frame, frame[frame[args.label] == args.normal]
