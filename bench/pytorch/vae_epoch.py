#!/usr/bin/env python3
"""The tutorial's VAE in PyTorch, timed per epoch: the baseline that simdvae's train is compared with.

Same model (784 -> 512 ReLU -> mu, log var in R^2 (one fused layer, as simdvae's) -> 512 ReLU -> 784 logits),
same loss (binary cross-entropy summed over pixels + KL, mean over the batch), Adam (lr 1e-3, eps 1e-7), the
same batch size, on the same IDX files. Prints one line per epoch: seconds and samples/s.

Its best setting on our 2-core machines: one torch thread and two OpenBLAS threads, and OpenBLAS's kernel for the
CPU (OPENBLAS_CORETYPE, see the README), e.g.

  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=2 OPENBLAS_CORETYPE=SkylakeX \\
      /usr/bin/python3 bench/pytorch/vae_epoch.py --data /usr/share/datasets/fashion-mnist --epochs 3
"""
import argparse
import gzip
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(directory, name):
    """The array in DIR/NAME or DIR/NAME.gz (IDX format: magic, dimensions, unsigned bytes)."""
    path = os.path.join(directory, name)
    opener = open
    if not os.path.exists(path):
        path += ".gz"
        opener = gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Vae(nn.Module):
    def __init__(self, features=784, hidden=512, latent=2):
        super().__init__()
        self.latent = latent
        self.enc = nn.Linear(features, hidden)
        self.head = nn.Linear(hidden, 2 * latent)
        self.dec = nn.Linear(latent, hidden)
        self.out = nn.Linear(hidden, features)

    def forward(self, x):
        mu, log_var = self.head(F.relu(self.enc(x))).split(self.latent, dim=1)
        z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        logits = self.out(F.relu(self.dec(z)))
        bce = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        kl = 0.5 * (torch.exp(log_var) + mu * mu - 1 - log_var).sum(1)
        return (bce + kl).mean()


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="directory of the four MNIST-format IDX files")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = read_idx(args.data, "train-images-idx3-ubyte")
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float32) / 255.0)
    model = Vae(features=x.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    print(f"pytorch {torch.__version__}: {x.shape[0]} images, batch {args.batch}, {args.threads} torch thread(s),"
          f" OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')},"
          f" OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}", flush=True)
    for epoch in range(args.epochs):
        start = time.perf_counter()
        order = torch.randperm(x.shape[0])
        total = 0.0
        for i in range(0, x.shape[0], args.batch):
            loss = model(x[order[i:i + args.batch]])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * min(args.batch, x.shape[0] - i)
        seconds = time.perf_counter() - start
        print(f"epoch {epoch + 1}/{args.epochs}  train loss {total / x.shape[0]:.2f}  {seconds:.2f} s"
              f"  {x.shape[0] / seconds:,.0f} samples/s", flush=True)


if __name__ == "__main__":
    main()
