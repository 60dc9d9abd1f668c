"""How long a typed formula takes to be accepted or refused (issue 15's hostile links).

Medians over repeated calls, each with the cache cleared, so every call crosses to
the worker process and back; the worker is started (and SymPy imported) beforehand.

    python benchmarks/formula_speed.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from surfaces.formula import FormulaError, _compiled, from_formula  # noqa: E402

FORMULAS = ["((((3^64)^64)^64)^64)^64*x1", "((((2/3)^64)^64)^64)^64*x1", "(2^64)^64", "1e12^64*x1",
            "0^x1+x2^2", "sqrt(-x1^2-x2^2-1)", "log(-x1^2-1)+x2", "(-8)^(1/3)+x1^2",
            "sin(x1)*cos(x2) + 0.1*(x1^2 + x2^2)", "sin(sin(sin(sin(sin(sin(sin(sin(x1*x2))))))))"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from_formula("x1^2")  # start the worker
    print(f"medians of {args.repeats} calls, cache cleared before each")
    for text in FORMULAS:
        times, outcome = [], ""
        for _ in range(args.repeats):
            _compiled.cache_clear()
            t0 = time.perf_counter()
            try:
                from_formula(text)
                outcome = "accepted"
            except FormulaError as err:
                outcome = err.reason
            times.append(time.perf_counter() - t0)
        print(f"  {text:48s} {outcome:20s} {1000 * statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
