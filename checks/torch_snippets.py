"""Run the app's PyTorch snippets with torch and compare them with the core's printed lines.

torch is too large for every CI run and is no dependency of the app, so this runs by hand, with a
Python that has torch (the snippets run in it; the core runs here):

    python checks/torch_snippets.py [--python /path/to/python-with-torch]

Every line says: the settings, the core's line, PyTorch's line, and whether they agree. Where the
app says PyTorch's form differs (dampening, Nesterov's points, ε inside the square root, SGD's noise),
they should differ; everywhere else they must agree to the printed digit. Exit status 1 on a
disagreement the app does not announce.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optimizers import OPTIMIZERS, run  # noqa: E402
from optimizers.torch_code import torch_differences, torch_snippet  # noqa: E402
from surfaces import SURFACES  # noqa: E402

CASES = [
    ("gd", {}), ("sgd", {"noise": 0.0}), ("sgd", {}), ("momentum", {}), ("momentum", {"dampening": 0.5}),
    ("nesterov", {}), ("adagrad", {}), ("rmsprop", {}), ("adadelta", {}), ("adam", {}), ("adam", {"weight_decay": 0.1}),
    ("adamw", {}), ("amsgrad", {}), ("adamax", {}), ("nadam", {}), ("radam", {}),
]
SURFACE_KEYS = ("quadratic", "himmelblau", "rastrigin")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="a Python with torch installed")
    args = parser.parse_args()
    failures = 0
    for key in SURFACE_KEYS:
        surface = SURFACES[key]
        for optimizer, changes in CASES:
            values = {**OPTIMIZERS[optimizer].defaults, "lr": surface.lr or OPTIMIZERS[optimizer].defaults["lr"],
                      **changes}
            if not OPTIMIZERS[optimizer].lr_from_surface:
                values["lr"] = OPTIMIZERS[optimizer].defaults["lr"]
            ours = run(optimizer, surface, start=surface.start, epochs=20, **values).line()
            code = torch_snippet(optimizer, values, surface.code, surface.start, 20)
            done = subprocess.run([args.python, "-c", code], capture_output=True, text=True, check=True)
            theirs = done.stdout.strip()
            reasons = torch_differences(optimizer, values)
            agree = ours == theirs
            verdict = "agree" if agree else f"differ, as the app says ({', '.join(reasons)})" if reasons else "DIFFER"
            failures += not agree and not reasons
            shown = ", ".join(f"{k}={v:g}" for k, v in values.items() if type(v) is float)
            print(f"{key:<10} {optimizer:<9} {shown}\n    core:    {ours}\n    PyTorch: {theirs}\n    {verdict}")
    print(f"{failures} unannounced disagreement(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
