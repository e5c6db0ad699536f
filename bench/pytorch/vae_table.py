#!/usr/bin/python3
"""The same table model in PyTorch, for a side-by-side training speed: the CSV encoded as simdvae encodes it
(numbers standardized on the training rows' observed cells, a gap at 0 with a "was missing" input; each text
column one-hot over its training levels plus '(other)'), the same network (ReLU hidden layers, μ and log σ² heads,
a mirrored decoder), the same loss (Gaussian with log σ² = 7·tanh(r/7), softmax cross-entropy per text column,
missing cells masked, plus KL), Adam (lr 1e-3, ε 1e-7), a seeded shuffle each epoch. Prints seconds per epoch.

Run with Debian's python3-torch and OpenBLAS at its best 2-core setting here:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 vae_table.py DATA.csv --label kind --hidden 64
"""
import argparse
import time

import numpy as np
import pandas as pd
import torch

import table_vae

parser = argparse.ArgumentParser()
parser.add_argument("data")
table_vae.add_options(parser, latent=2, epochs=3)
args = table_vae.parse(parser)

frame = pd.read_csv(args.data, dtype=str, keep_default_na=False)
if args.label:
    frame = frame.drop(columns=[args.label])
numeric, text = [], []
for c in frame.columns:
    cells = frame[c][frame[c] != ""]
    (numeric if pd.to_numeric(cells, errors="coerce").notna().all() else text).append(c)

values = frame[numeric].replace("", np.nan).apply(pd.to_numeric).to_numpy(np.float64)
missing_num = np.isnan(values)
mean = np.nanmean(values, axis=0)
sd = np.nanstd(values, axis=0)
sd[sd == 0] = 1
scaled = ((values - mean) / sd).astype(np.float32)
inputs = [np.where(missing_num, 0, scaled)]
targets = [np.where(missing_num, np.nan, scaled)]
levels = []
codes = []
for c in text:
    observed = sorted(set(frame[c]) - {""})
    levels.append(len(observed) + 1)  # + '(other)'
    index = {v: i for i, v in enumerate(observed)}
    code = np.array([index.get(v, -1) for v in frame[c]])
    onehot = np.zeros((len(frame), len(observed) + 1), np.float32)
    onehot[code >= 0, code[code >= 0]] = 1
    inputs.append(onehot)
    codes.append(code)
gaps = np.concatenate([missing_num, np.stack([cd < 0 for cd in codes], 1)], 1)
indicators = gaps[:, gaps.any(0)].astype(np.float32)
x = torch.tensor(np.concatenate(inputs + [indicators], 1))
t_num = torch.tensor(np.concatenate(targets, 1))
t_cat = torch.tensor(np.stack(codes, 1))
G = len(numeric)
hidden = [int(h) for h in args.hidden.split(",")]
encoder, head, decoder, out, opt = table_vae.network(x.shape[1], hidden, args.latent, 2 * G + sum(levels))
log2pi = float(np.log(2 * np.pi))


def step(xb, tn, tc):
    h = head(encoder(xb))
    mu, lv = h[:, :args.latent], h[:, args.latent:]
    z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
    o = out(decoder(z))
    m, r = o[:, :G], o[:, G:2 * G]
    logvar = 7 * torch.tanh(r / 7)
    seen = ~torch.isnan(tn)
    diff = torch.where(seen, tn - m, torch.zeros_like(m))
    rec = (0.5 * (log2pi + logvar + diff * diff * torch.exp(-logvar)) * seen).sum(1)
    at = 2 * G
    for c, k in enumerate(levels):
        logits = o[:, at:at + k]
        target = tc[:, c]
        ce = torch.nn.functional.cross_entropy(logits, target.clamp(min=0), reduction="none")
        rec = rec + torch.where(target >= 0, ce, torch.zeros_like(ce))
        at += k
    kl = 0.5 * (torch.exp(lv) + mu * mu - 1 - lv).sum(1)
    loss = (rec + kl).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


n = x.shape[0]
print(f"{args.data}: {n} rows, {G} numeric and {len(levels)} text columns, input {x.shape[1]}, "
      f"outputs {2 * G + sum(levels)}, hidden {hidden}, latent {args.latent}, batch {args.batch}, "
      f"torch threads {torch.get_num_threads()}")
for epoch in range(args.epochs):
    order = torch.randperm(n)
    start = time.perf_counter()
    total = 0.0
    for b in range(0, n, args.batch):
        i = order[b:b + args.batch]
        total += step(x[i], t_num[i], t_cat[i]) * len(i)
    seconds = time.perf_counter() - start
    print(f"epoch {epoch + 1}: {seconds:.2f} s, {n / seconds:,.0f} rows/s, loss {total / n:.3f}")
