#!/usr/bin/python3
"""A Fashion-MNIST epoch, simdvae against PyTorch side by side: `./simdvae train --epochs 3 --batch B --iw-samples 0`
and vae_epoch.py (the same model, loss, optimiser and batch in PyTorch), alternating, rounds x batches, on the same
machine in one go, so each ratio is one round's. simdvae: the faster of epochs 2-3 (epoch 1 holds the JIT's
warm-up); PyTorch: the fastest of its three. With --avx2, simdvae's JVM runs with -XX:UseAVX=2 (C2 then has 16
vector registers of 256 bits: an AVX2 CPU's case on an AVX-512 one) and OpenBLAS with its Haswell kernel.

    /usr/bin/python3 bench/pytorch/epoch_side_by_side.py [--data DIR] [--batches 50,128] [--rounds 2] [--avx2]

Needs python3-torch and libopenblas0-pthread (Debian); run from the repository's root.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
parser.add_argument("--batches", default="50,128")
parser.add_argument("--rounds", type=int, default=2)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--avx2", action="store_true")
args = parser.parse_args()

here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="simdvae-epoch-")
flags = open("/proc/cpuinfo").read() if os.path.exists("/proc/cpuinfo") else ""
coretype = "Haswell" if args.avx2 or " avx512f " not in flags else "SkylakeX"
torch_env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS=str(args.threads),
                 OPENBLAS_CORETYPE=coretype)
simdvae_env = dict(os.environ)
if args.avx2:
    # SIMDVAE_JAVA_OPTS replaces the launcher's heap options: give them again, with the flag
    simdvae_env["SIMDVAE_JAVA_OPTS"] = ("-Xms8m -XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:MinHeapFreeRatio=5 "
                                        "-XX:MaxHeapFreeRatio=10 -XX:NewRatio=4 -XX:UseAVX=2")


def pytorch(batch):
    out = subprocess.run([sys.executable, os.path.join(here, "vae_epoch.py"), "--data", args.data, "--epochs", "3",
                          "--batch", str(batch)], check=True, capture_output=True, text=True, env=torch_env).stdout
    return min(float(s) for s in re.findall(r"epoch \d+/\d+ .* ([0-9.]+) s", out))


def simdvae(batch, r):
    run = os.path.join(work, f"b{batch}r{r}")
    subprocess.run(["./simdvae", "train", "--data", args.data, "--epochs", "3", "--batch", str(batch),
                    "--iw-samples", "0", "--threads", str(args.threads), "--out", run], check=True,
                   capture_output=True, env=simdvae_env)
    with open(os.path.join(run, "metrics.json")) as f:
        m = json.load(f)
    return min(e["seconds"] for e in m["epochs"][1:]), m["width"], m.get("vector_registers"), m.get("gemm_tile")


print(f"OpenBLAS kernel {coretype}; simdvae {args.threads} threads" + (", -XX:UseAVX=2" if args.avx2 else ""))
print("| batch | round | simdvae (s/epoch) | PyTorch 1.13 (s/epoch) | ratio |")
print("|---:|---:|---:|---:|---:|")
for r in range(1, args.rounds + 1):
    for batch in (int(b) for b in args.batches.split(",")):
        t = pytorch(batch)
        s, width, registers, tile = simdvae(batch, r)
        print(f"| {batch} | {r} | {s:.2f} ({width} bits, {registers} registers, {tile}) | {t:.2f} | {t / s:.2f}x |",
              flush=True)
