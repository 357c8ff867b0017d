#!/usr/bin/env python3
"""The fp32 matrix-multiply rate this machine gives right now (numpy's OpenBLAS, best of N).

    sgemm_probe.py [--n 2048] [--reps 5] [--threads T]

Prints one number, GFLOP/s. A quick probe of the machine's state: on a virtual machine whose
vCPUs the host sometimes places on one physical core's FMA units and sometimes on two, the same
code runs at two different speeds, and bench/compare.sh records the probe beside every figure.
With --n 4096 --reps 10 it is also how docs/benchmarks.md measured the development VM's peak.
"""
import argparse
import time

import numpy as np
from threadpoolctl import threadpool_limits


def positive(text):
    """An argparse type: an integer >= 1 (--reps 0 printed a rate of 0.0; --threads 0 meant every CPU)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("%r is not an integer" % text)
    if value < 1:
        raise argparse.ArgumentTypeError("%d is not allowed; expected an integer >= 1" % value)
    return value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=positive, default=2048)
    ap.add_argument("--reps", type=positive, default=5)
    ap.add_argument("--threads", type=positive, default=None, help="default: every CPU")
    a = ap.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((a.n, a.n), dtype=np.float32)
    y = rng.random((a.n, a.n), dtype=np.float32)
    with threadpool_limits(limits=a.threads):
        x @ y
        best = float("inf")
        for _ in range(a.reps):
            t0 = time.perf_counter()
            x @ y
            best = min(best, time.perf_counter() - t0)
    print("%.1f" % (2 * a.n ** 3 / best / 1e9))


if __name__ == "__main__":
    main()
