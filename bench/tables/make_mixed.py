#!/usr/bin/env python3
"""Writes a seeded synthetic mixed table as users have them: numeric columns that depend on each other, text
columns (a few to many levels) that depend on the numbers, 5 % of the cells empty, and a label column.

    make_mixed.py ROWS OUT.csv [SEED]
"""
import csv
import math
import random
import sys

rows, out = int(sys.argv[1]), sys.argv[2]
r = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
levels = {"region": 4, "channel": 3, "plan": 6, "device": 12, "segment": 20, "weekday": 7}
header = [f"n{j}" for j in range(10)] + list(levels) + ["kind"]
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for _ in range(rows):
        a, b = r.gauss(0, 1), r.gauss(0, 1)
        nums = [a, b, a + b, a * 2 + r.gauss(0, .3), math.exp(a / 2), b * b, 100 + 15 * a, r.gauss(0, 1),
                a - b + r.gauss(0, .2), 0.01 * r.gauss(0, 1) + a * b]
        texts = []
        for k, (name, n) in enumerate(levels.items()):
            base = int((a * (k + 1) + b) * 1.5) % n if r.random() < 0.8 else r.randrange(n)
            texts.append(f"{name}_{base}")
        cells = [f"{v:.4f}" for v in nums] + texts
        cells = ["" if r.random() < 0.05 else c for c in cells]
        w.writerow(cells + ["a" if a > 0 else "b"])
