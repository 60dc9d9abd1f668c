"""How fast is sweep()? 65,536 (η, γ) pairs × 100 epochs of momentum on "quadratic".

Prints the median time of several runs, in trajectory-steps per second, for
sweep() and for two baselines measured in the same run: a plain Python loop over
the pairs (timed on a slice, since it is slow) and a fused loop compiled with
numba (pip install -r benchmarks/requirements.txt), then the ratios.

    python benchmarks/sweep_speed.py [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from optimizers import sweep  # noqa: E402

EPOCHS = 100
SIDE = 256  # 256 × 256 = 65,536 pairs
START = (-5.0, -2.0)
BOUND = 1e12


def grid():
    lr, gamma = np.meshgrid(np.geomspace(0.01, 2.0, SIDE), np.linspace(0.0, 0.99, SIDE))
    return lr.ravel(), gamma.ravel()


def python_loop(lr, gamma):
    """The textbook's loop, once per pair."""
    out = []
    for eta, g in zip(lr.tolist(), gamma.tolist()):
        x1, x2 = START
        v1 = v2 = 0.0
        diverged = -1
        for t in range(1, EPOCHS + 1):
            v1 = g * v1 + eta * (0.2 * x1)
            v2 = g * v2 + eta * (4.0 * x2)
            x1, x2 = x1 - v1, x2 - v2
            if diverged < 0 and not (abs(x1) <= BOUND and abs(x2) <= BOUND):
                diverged = t
        out.append((x1, x2, diverged))
    return out


def numba_loop():
    try:
        import numba
    except ImportError:
        return None

    @numba.njit(cache=False)
    def fused(lr, gamma):
        n = lr.shape[0]
        final = np.empty((n, 2))
        diverged = np.full(n, -1)
        for i in range(n):
            x1, x2 = START
            v1 = v2 = 0.0
            for t in range(1, EPOCHS + 1):
                v1 = gamma[i] * v1 + lr[i] * (0.2 * x1)
                v2 = gamma[i] * v2 + lr[i] * (4.0 * x2)
                x1 -= v1
                x2 -= v2
                if diverged[i] < 0 and not (abs(x1) <= BOUND and abs(x2) <= BOUND):
                    diverged[i] = t
            final[i, 0] = x1
            final[i, 1] = x2
        return final, diverged

    return fused


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    lr, gamma = grid()
    steps = lr.size * EPOCHS

    ours = median_seconds(lambda: sweep("momentum", "quadratic", epochs=EPOCHS, lr=lr, momentum=gamma), args.repeats)
    rows = [("sweep() (NumPy)", ours, steps)]

    fused = numba_loop()
    if fused is not None:
        expected = sweep("momentum", "quadratic", epochs=EPOCHS, lr=lr, momentum=gamma)
        final, diverged = fused(lr, gamma)  # compiles; checked against sweep() once
        assert np.array_equal(diverged, expected.diverged_at)
        rows.append(("fused loop (numba)", median_seconds(lambda: fused(lr, gamma), args.repeats), steps))

    part = slice(0, lr.size // 32)
    rows.append(("plain Python loop", median_seconds(lambda: python_loop(lr[part], gamma[part]), 3),
                 (lr.size // 32) * EPOCHS))

    print(f"momentum on quadratic, {lr.size:,} (η, γ) pairs × {EPOCHS} epochs; medians of {args.repeats} runs")
    rates = {}
    for name, seconds, n in rows:
        rates[name] = n / seconds
        print(f"  {name:<22} {n / seconds / 1e6:8.1f} M steps/s   ({seconds * 1e3 * steps / n:8.1f} ms for all pairs)")
    ours_rate = rates["sweep() (NumPy)"]
    if "fused loop (numba)" in rates:
        print(f"  sweep() is {rates['fused loop (numba)'] / ours_rate:.2f}x slower than the fused numba loop")
    else:
        print("  (numba not installed: pip install -r benchmarks/requirements.txt for the compiled baseline)")
    print(f"  sweep() is {ours_rate / rates['plain Python loop']:.1f}x faster than the plain Python loop")


if __name__ == "__main__":
    main()
