#!/usr/bin/python3
"""Research runs on adbench.py's splits: candidate default recipes (model sizes from the table's shape, a validation
split with early stopping, N members of different seeds) through the current command line, then candidate scores
computed here from what `score --per-column` and `encode` write.

    adbench_research.py train --data DIR --work DIR --config NAME [--tables ...] [--seeds 1-3] [--members N]
    adbench_research.py evaluate --data DIR --work DIR --config NAME [--members N] [--variants a,b,...]

train: for each split, member k (seed 42 + k) trains on train.csv with the config's options, --validation-split V
--early-stopping P; the rows are ordered so that every member holds out the same validation rows (the rows seed 42
holds out; simdvae_split.py computes the split as Java does), so the validation rows are the ones no member
learnt from. Each member then scores train.csv + eval.csv (all.csv) with --per-column, and encodes them.
evaluate: the scores of the variants below per split, into WORK/results.csv as method CONFIG:VARIANT:mN.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import adbench  # noqa: E402
import adbench_tables  # noqa: E402
import simdvae_split  # noqa: E402


def pow2(x):
    return 1 << max(0, round(math.log2(max(1.0, x))))


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


# A recipe's sizes from the table's shape: n training rows (train.csv), w the encoded input width.
# Returns (train options, validation fraction, patience).
def shape(n, w, hidden=(2, 32, 128), latent=(0.25, 2, 16), rows_per_batch=32, batch=(8, 256), steps=4000,
          epochs=(20, 500), fraction=0.2, patience=20, extra=()):
    h = clamp(pow2(hidden[0] * w), hidden[1], hidden[2])
    z = clamp(pow2(latent[0] * w), latent[1], latent[2])
    fit = n - round(fraction * n)
    b = clamp(pow2(fit / rows_per_batch), batch[0], batch[1])
    e = clamp(math.ceil(steps / math.ceil(fit / b)), epochs[0], epochs[1])
    return ["--hidden", str(h), "--latent", str(z), "--batch", str(b), "--epochs", str(e), *extra], fraction, patience


def discrete(split, most):
    """The numeric feature columns with at most `most` distinct values in train.csv."""
    out = []
    for c in split.numeric():
        cells = split.train[c][split.train[c] != ""]
        if pd.to_numeric(cells).nunique() <= most:
            out.append(c)
    return out


def width(split, categorical):
    """The encoded input width simdvae will build: a numeric column 1, a categorical one its training levels + 1
    ((other)), and 1 more ("was missing") for a column with a gap in train.csv."""
    numeric = set(split.numeric()) - set(categorical)
    w = 0
    for c in split.features:
        cells = split.train[c]
        w += 1 if c in numeric else cells[cells != ""].nunique() + 1
        w += int((cells == "").any())
    return w


def shaped(split, categorical_max=0, **kw):
    categorical = discrete(split, categorical_max) if categorical_max else []
    options, fraction, patience = shape(len(split.train), width(split, categorical), **kw)
    if categorical:
        options += ["--categorical", ",".join(categorical)]
    return options, fraction, patience


CONFIGS = {
    "tutorial": lambda s: (["--epochs", "200"], 0.2, 10),  # today's defaults, validation and early stopping
    "shape1": lambda s: shaped(s),
    "lat2": lambda s: shaped(s, latent=(0, 2, 2)),
    "latbig": lambda s: shaped(s, latent=(0.5, 4, 32)),
    "wide": lambda s: shaped(s, hidden=(4, 64, 256)),
    "beta05": lambda s: shaped(s, extra=("--beta", "0.5")),
    "beta2": lambda s: shaped(s, extra=("--beta", "2")),
    "long": lambda s: shaped(s, steps=12000, patience=50),
    "cat10": lambda s: shaped(s, categorical_max=10),
    "cat2": lambda s: shaped(s, categorical_max=2),
    "bern": lambda s: shaped(s, extra=("--likelihood", "bernoulli", "--scale", "minmax")),
    "bern_cat10": lambda s: shaped(s, categorical_max=10, extra=("--likelihood", "bernoulli", "--scale", "minmax")),
}


def suffixes(name):
    """NAME[_nXX[_cK]][_cv]: _nXX adds Gaussian noise of XX % of each numeric column's sd to the training (not
    validation) cells, seeded per member, _cK in K noisy copies of each training row (epochs and patience / K);
    _cv cross-fits the members (member k holds out fold k)."""
    cv = name.endswith("_cv")
    name = name[:-3] if cv else name
    copies = 1
    if "_c" in name and name.rsplit("_c", 1)[1].isdigit():
        name, digits = name.rsplit("_c", 1)
        copies = int(digits)
    noise = 0.0
    if "_n" in name and name.rsplit("_n", 1)[1].isdigit():
        name, digits = name.rsplit("_n", 1)
        noise = int(digits) / 100
    return name, noise, cv, copies


def config_options(name, split):
    name = suffixes(name)[0]
    if name not in CONFIGS:
        raise SystemExit(f"unknown config {name}; known: {', '.join(CONFIGS)}")
    return CONFIGS[name](split)


def run(cmd):
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}\n{r.stderr}")


def train(split, config, members, lean=False, simdvae=adbench.SIMDVAE):
    """Trains the members that are missing; lean: only train and score --per-column (no nll_k, encode,
    reconstruct)."""
    n = len(split.train)
    options, fraction, patience = config_options(config, split)
    base = os.path.join(split.dir, "research", config)
    os.makedirs(base, exist_ok=True)
    _, noise, cv, copies = suffixes(config)
    if cv:  # folds: a seeded permutation cut into pieces of the validation size, wrapping
        size = int(fraction * n + 0.5)
        perm = np.random.default_rng(1000 + split.seed).permutation(n)
        validations = [sorted(int(i) for i in perm[(k * size + np.arange(size)) % n]) for k in range(10)]
    else:
        validations = [simdvae_split.held_out(n, fraction, 42)] * 10
    all_csv = os.path.join(split.dir, "all.csv")
    if not os.path.exists(all_csv):
        pd.concat([split.train, split.eval]).to_csv(all_csv, index=False)
    json.dump(dict(validation=validations[0], validations=validations, options=options, fraction=fraction,
                   patience=patience, n=n), open(os.path.join(base, "split.json"), "w"))
    seconds = []
    for k in range(members):
        out = os.path.join(base, f"m{k}")
        model = os.path.join(out, "model.svae")
        validation = validations[k]
        fit = [i for i in range(n) if i not in set(validation)]
        val_csv = os.path.join(base, f"validation{k}.csv")
        split.train.iloc[validation].to_csv(val_csv, index=False)
        if not os.path.exists(os.path.join(out, "scores.csv")):
            seed = 42 + k
            arranged = os.path.join(base, f"train{k}.csv")
            rng = np.random.default_rng(seed)
            parts = []
            for copy in range(copies):
                rows = split.train.iloc[fit].copy()
                if noise:
                    for c in split.numeric():
                        x = pd.to_numeric(split.train[c].replace("", np.nan))
                        sd = np.nanstd(x.to_numpy(dtype=float))
                        v = pd.to_numeric(rows[c].replace("", np.nan))
                        noisy = (v + rng.normal(0, noise * sd, len(v))).map(lambda u: f"{u:.6g}")
                        rows[c] = np.where(v.isna(), rows[c], noisy)
                parts.append(rows)
            fit_rows = pd.concat(parts)
            val_rows = split.train.iloc[validation]
            member_fraction = len(val_rows) / (len(fit_rows) + len(val_rows))
            order = simdvae_split.arrange(list(range(len(fit_rows))), list(range(len(fit_rows), len(fit_rows) +
                                          len(val_rows))), member_fraction, seed)
            if order is None:
                raise SystemExit(f"{split.dir}: cannot place {len(val_rows)} validation rows")
            pd.concat([fit_rows, val_rows]).iloc[order].to_csv(arranged, index=False)
            member_options = list(options)
            member_patience = patience
            if copies > 1:
                at = member_options.index("--epochs") + 1
                member_options[at] = str(max(5, math.ceil(int(member_options[at]) / copies)))
                member_patience = max(5, round(patience / copies))
            start = time.perf_counter()
            run([simdvae, "train", "--data", arranged, "--label-column", split.label, "--out", out, "--force",
                 "--seed", str(seed), "--validation-split", repr(member_fraction), "--early-stopping",
                 str(member_patience), "--test-data", val_csv, "--iw-samples", "0", *member_options])
            took = time.perf_counter() - start
            run([simdvae, "score", "--model", model, "--data", all_csv, "--per-column",
                 *([] if lean else ["--iw-samples", "20"]),
                 "--unseen-levels", "other", "--out", os.path.join(out, "scores.csv"), "--force"])
            seconds.append((took, time.perf_counter() - start))
            json.dump(dict(train_seconds=took, all_seconds=seconds[-1][1]),
                      open(os.path.join(out, "timing.json"), "w"))
            os.remove(arranged)
        if not lean and not os.path.exists(os.path.join(out, "encoded.csv")):
            run([simdvae, "encode", "--model", model, "--data", all_csv,
                 "--unseen-levels", "other", "--out", os.path.join(out, "encoded.csv"), "--force"])
        if not lean and not os.path.exists(os.path.join(out, "reconstructed.csv")):
            run([simdvae, "reconstruct", "--model", model, "--data", all_csv, "--n", str(len(split.train) +
                 len(split.eval)), "--unseen-levels", "other", "--out", os.path.join(out, "reconstructed.csv"),
                 "--force"])
    return seconds


# ---- score variants ----------------------------------------------------------------------------------------------

def robust_z(values, reference):
    """(v - median) / spread per column, spread = 1.4826 MAD, else IQR / 1.349, else the standard deviation, else 1
    (a column constant on the reference rows)."""
    med = np.nanmedian(reference, axis=0)
    mad = 1.4826 * np.nanmedian(np.abs(reference - med), axis=0)
    q75, q25 = np.nanpercentile(reference, [75, 25], axis=0)
    iqr = (q75 - q25) / 1.349
    std = np.nanstd(reference, axis=0)
    spread = np.where(mad > 1e-9, mad, np.where(iqr > 1e-9, iqr, np.where(std > 1e-9, std, 1.0)))
    return (values - med) / spread


def conformal(values, reference):
    """-log of each column's conformal p-value (1 + #reference >= v) / (n + 1)."""
    ref = np.sort(reference, axis=0)
    n = ref.shape[0]
    out = np.empty_like(values)
    for j in range(values.shape[1]):
        below = np.searchsorted(ref[:, j], values[:, j], side="left")
        out[:, j] = -np.log((1 + n - below) / (n + 1))
    return out


class Member:
    """One member's outputs on all.csv (train rows first, then eval rows)."""

    def __init__(self, path, split):
        s = pd.read_csv(os.path.join(path, "scores.csv"))
        enc = os.path.join(path, "encoded.csv")
        e = pd.read_csv(enc) if os.path.exists(enc) else None
        self.nats_cols = [c for c in s.columns if c.startswith("nats_")]
        self.nats = s[self.nats_cols].to_numpy(dtype=float)
        self.score = s["score"].to_numpy(dtype=float)
        self.recon = s["reconstruction"].to_numpy(dtype=float)
        self.kl = s["kl"].to_numpy(dtype=float)
        self.nll_k = s["nll_k"].to_numpy(dtype=float) if "nll_k" in s else None
        self.mu = None if e is None else e[[c for c in e.columns if c.startswith("mu_")]].to_numpy(dtype=float)
        self.metrics = json.load(open(os.path.join(path, "metrics.json")))
        rec = os.path.join(path, "reconstructed.csv")
        self.rec = pd.read_csv(rec, dtype=str, keep_default_na=False) if os.path.exists(rec) else None


def missing_mask(split):
    cells = pd.concat([split.train, split.eval])[split.features]
    return (cells == "").to_numpy()


def missingness(split, reference):
    """Per row, the surprisal of its pattern of gaps under independent per-column rates fitted on the reference
    rows (add-one smoothed): sum over columns of -log p(missing) or -log p(present)."""
    missing = missing_mask(split)
    rate = (missing[reference].sum(axis=0) + 1) / (len(reference) + 2)
    return np.where(missing, -np.log(rate), -np.log1p(-rate)).sum(axis=1)


def variants(split, member, validation, missing):
    """Every candidate score of one member for the eval rows: name -> array."""
    n = len(split.train)
    val = np.array(validation)
    fit = np.setdiff1d(np.arange(n), val)
    ev = slice(n, None)
    nats = np.where(missing, np.nan, member.nats)  # a missing cell's nats are its expected cost: no evidence
    out = {"score": member.score[ev], "recon": member.recon[ev], "elbo_mu": member.recon[ev] + member.kl[ev]}
    if member.nll_k is not None:
        out["nll_k"] = member.nll_k[ev]
    for ref_name, ref in [("val", val), ("train", np.arange(n))]:
        z = np.nan_to_num(robust_z(nats, nats[ref]), nan=0.0)
        zp = np.clip(z, 0, None)
        miss = missingness(split, ref)
        zm = robust_z(miss[:, None], miss[ref][:, None])[:, 0]
        zkl = robust_z(member.kl[:, None], member.kl[ref][:, None])[:, 0]
        out[f"zpos_{ref_name}"] = zp[ev].sum(axis=1)
        out[f"zsum_{ref_name}"] = z[ev].sum(axis=1)
        out[f"zlog_{ref_name}"] = np.log1p(zp)[ev].sum(axis=1)
        out[f"zlogm_{ref_name}"] = out[f"zlog_{ref_name}"] + np.log1p(np.clip(zm, 0, None))[ev]
        out[f"zlogmk_{ref_name}"] = out[f"zlogm_{ref_name}"] + np.log1p(np.clip(zkl, 0, None))[ev]
        out[f"zcap_{ref_name}"] = np.minimum(zp, 10)[ev].sum(axis=1)
        out[f"zpos_kl_{ref_name}"] = out[f"zpos_{ref_name}"] + np.clip(zkl[ev], 0, None)
        cp = np.nan_to_num(conformal(np.nan_to_num(nats, nan=-np.inf), np.nan_to_num(nats[ref], nan=-np.inf)))
        out[f"fisher_{ref_name}"] = cp[ev].sum(axis=1)
        out[f"reconm_{ref_name}"] = member.recon[ev] + miss[ev]
    # latent distance: mean distance of mu to the 5 nearest fit rows' mu
    from sklearn.neighbors import NearestNeighbors
    elbo = member.recon + member.kl

    def zval(v):
        return robust_z(v[:, None], v[val][:, None])[:, 0]
    if member.mu is not None:
        nn = NearestNeighbors(n_neighbors=5).fit(member.mu[fit])
        lat = nn.kneighbors(member.mu)[0].mean(axis=1)  # (fit rows' own distances include themselves: unused)
        out["latent_knn"] = lat[ev]
        out["elbo+lat"] = (zval(elbo) + zval(lat))[ev]
        out["elbo+0.5lat"] = (zval(elbo) + 0.5 * zval(lat))[ev]
    out["kl"] = member.kl[ev]
    out["elbo_z"] = zval(elbo)[ev]
    out["elbo_pct"] = (np.searchsorted(np.sort(elbo[val]), elbo[ev], side="left") + 1) / (len(val) + 1)
    if member.rec is not None:
        # squared error in training-sd units for numeric columns (a missing cell 0), nats for categorical ones
        cells = pd.concat([split.train, split.eval])[split.features]
        numeric = set(split.numeric())
        err = np.zeros_like(member.nats)
        for j, c in enumerate(split.features):
            if c in numeric:
                x = pd.to_numeric(cells[c].replace("", np.nan)).to_numpy(dtype=float)
                sd = np.nanstd(x[:n]) or 1.0
                err[:, j] = np.nan_to_num(((x - member.rec[c].astype(float).to_numpy()) / sd) ** 2)
            else:
                err[:, j] = np.where(missing[:, j], 0.0, member.nats[:, j])
        out["mse"] = err[ev].sum(axis=1)
        out["mse+kl"] = (err.sum(axis=1) + member.kl)[ev]
        ez = np.clip(np.nan_to_num(robust_z(err, err[val]), nan=0.0), 0, None)
        out["mse_zlog"] = np.log1p(ez)[ev].sum(axis=1)
    for a in (0.5, 2, 4):
        out[f"recon+{a}kl"] = (member.recon + a * member.kl)[ev]
    return out


def evaluate(args, split, config, members, names):
    base = os.path.join(split.dir, "research", config)
    info = json.load(open(os.path.join(base, "split.json")))
    missing = missing_mask(split)
    per_member = []
    for k in range(members):
        m = Member(os.path.join(base, f"m{k}"), split)
        validation = info["validations"][k] if "validations" in info else info["validation"]
        per_member.append(variants(split, m, validation, missing))
    rows = []
    for name in per_member[0]:
        if names and name not in names or any(name not in v for v in per_member):
            continue
        stack = np.stack([v[name] for v in per_member])
        rows.append(adbench.record(args.work, split, f"{config}:{name}:m{members}", stack.mean(axis=0), 0.0))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["train", "evaluate"])
    parser.add_argument("--data", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--tables", default=",".join(adbench_tables.TABLES))
    parser.add_argument("--seeds", default="1-3")
    parser.add_argument("--members", type=int, default=1)
    parser.add_argument("--variants", default="")
    parser.add_argument("--lean", action="store_true", help="train: only train and score --per-column")
    args = parser.parse_args()
    names = [v for v in args.variants.split(",") if v]
    for table in args.tables.split(","):
        for seed in adbench.seeds(args.seeds):
            split = adbench.Split(args.data, args.work, table, seed)
            if args.command == "train":
                seconds = train(split, args.config, args.members, args.lean)
                print(f"{table} s{seed}: " + ", ".join(f"{a:.1f}s train, {b:.1f}s all" for a, b in seconds),
                      flush=True)
            else:
                rows = evaluate(args, split, args.config, args.members, names)
                print(f"{table} s{seed}: " + "  ".join(f"{r.method.split(':')[1]} {r.auroc:.3f}" for r in rows),
                      flush=True)


if __name__ == "__main__":
    main()
