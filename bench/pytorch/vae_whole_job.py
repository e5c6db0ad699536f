#!/usr/bin/python3
"""A user's whole job in PyTorch, for the whole-job comparison (bench/tables/whole_job.py): from `import torch` to the
last score, in one process. Reads a numeric CSV of training rows and one of test rows, standardizes the columns on
the training rows, trains the table VAE simdvae trains (ReLU hidden layers, mu and log var heads, a mirrored decoder,
a Gaussian likelihood with log var = 7 tanh(r/7), plus KL; Adam lr 1e-3, eps 1e-7; batch 50; a seeded shuffle each
epoch), then scores every test row as simdvae's `score` does (the negative ELBO with one z drawn per row) and
writes them as CSV. Prints its seconds per stage on stderr.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 /usr/bin/python3 vae_whole_job.py TRAIN.csv TEST.csv OUT.csv \\
        --hidden 64 --latent 4 --epochs 10
"""
import time

start = time.perf_counter()
import argparse  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402

import table_vae  # noqa: E402

imported = time.perf_counter()
parser = argparse.ArgumentParser()
parser.add_argument("train")
parser.add_argument("test")
parser.add_argument("out")
table_vae.add_options(parser, latent=4, epochs=10)
args = table_vae.parse(parser)


def read(path):
    frame = pd.read_csv(path)
    if args.label:
        frame = frame.drop(columns=[args.label])
    return frame.to_numpy(np.float64)


train_raw, test_raw = read(args.train), read(args.test)
mean, sd = train_raw.mean(0), train_raw.std(0)
sd[sd == 0] = 1
x = torch.tensor(((train_raw - mean) / sd).astype(np.float32))
x_test = torch.tensor(((test_raw - mean) / sd).astype(np.float32))
loaded = time.perf_counter()
G = x.shape[1]
hidden = [int(h) for h in args.hidden.split(",")]
encoder, head, decoder, out, opt = table_vae.network(G, hidden, args.latent, 2 * G)
log2pi = float(np.log(2 * np.pi))


def negative_elbo(xb):
    """Per row: the Gaussian reconstruction's negative log-likelihood plus KL, one z drawn per row."""
    h = head(encoder(xb))
    mu, lv = h[:, :args.latent], h[:, args.latent:]
    z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
    o = out(decoder(z))
    m, logvar = o[:, :G], 7 * torch.tanh(o[:, G:] / 7)
    diff = xb - m
    rec = (0.5 * (log2pi + logvar + diff * diff * torch.exp(-logvar))).sum(1)
    kl = 0.5 * (torch.exp(lv) + mu * mu - 1 - lv).sum(1)
    return rec + kl


n = x.shape[0]
for epoch in range(args.epochs):
    order = torch.randperm(n)
    for b in range(0, n, args.batch):
        loss = negative_elbo(x[order[b:b + args.batch]]).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
trained = time.perf_counter()
with torch.no_grad():
    scores = torch.cat([negative_elbo(x_test[b:b + 4096]) for b in range(0, x_test.shape[0], 4096)]).numpy()
pd.DataFrame({"score": scores.astype(np.float64)}).to_csv(args.out, index=False)
done = time.perf_counter()
print(f"pytorch: import {imported - start:.2f} s, data {loaded - imported:.2f} s, training {trained - loaded:.2f} s,"
      f" scoring {done - trained:.2f} s; mean score {scores.mean():.3f} (torch threads {torch.get_num_threads()})",
      file=sys.stderr)
