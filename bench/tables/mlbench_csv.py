#!/usr/bin/python3
"""Writes CSV files of R's mlbench data sets (Debian's r-cran-mlbench) as users meet them: factor levels as their
names, NA as an empty cell. Needs Debian's python3-rdata and python3-pandas.

    apt-get download r-cran-mlbench python3-rdata && for f in *.deb; do dpkg -x $f x; done
    PYTHONPATH=x/usr/lib/python3/dist-packages /usr/bin/python3 mlbench_csv.py x OUT HouseVotes84 BreastCancer ...
"""
import sys
import warnings

import rdata

root, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]
warnings.simplefilter("ignore")
for name in names:
    parsed = rdata.parser.parse_file(f"{root}/usr/lib/R/site-library/mlbench/data/{name}.rda")
    frame = rdata.conversion.convert(parsed)[name]
    frame.to_csv(f"{out}/{name}.csv", index=False)
    print(f"{out}/{name}.csv: {frame.shape[0]} rows, {frame.shape[1]} columns, "
          f"{int(frame.isna().sum().sum())} missing cells")
