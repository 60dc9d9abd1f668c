"""The paths a drag shows: a run's path at every stop of one slider, packed small for the browser.

While a student drags η (or γ, β, ρ), the browser switches the run's path on the contour among
these, before the slider is released (static/live.js). They are computed by the core, like every
path; here they are only thinned and packed:
- at most PREVIEW_POINTS points per path, every k-th epoch with k odd, so that a path that
  flips from side to side each epoch still zigzags, and the last epoch always;
- each coordinate as a 16-bit integer on a window three plot-widths wide (a step of
  1/21845 of the plot: below a pixel), NaN as -32768; the whole deflated and in base64.
"""

from __future__ import annotations

import base64
import math
import zlib

import numpy as np

PREVIEW_POINTS = 200
MISSING = -32768
STEPS = 32767  # integer steps from the window's centre to its edge


def preview_epochs(epochs: int) -> np.ndarray:
    """The epochs a drag's path shows: all of them, or every k-th (k odd) and the last."""
    stride = max(1, math.ceil(epochs / PREVIEW_POINTS))
    if stride > 1 and stride % 2 == 0:
        stride += 1
    kept = np.arange(0, epochs + 1, stride)
    return kept if kept[-1] == epochs else np.append(kept, epochs)


def window(bounds) -> dict:
    """The packing's window: centred on the plot, three plot-widths (or heights) across."""
    (a, b), (c, d) = bounds
    return {"cx": (a + b) / 2, "cy": (c + d) / 2, "sx": 1.5 * (b - a) / STEPS, "sy": 1.5 * (d - c) / STEPS}


def pack_paths(points: np.ndarray, bounds) -> dict:
    """`points` (paths, epochs + 1, 2) as the browser reads them: the window, the epochs kept,
    and the coordinates (path, epoch, x1/x2) as deflated little-endian int16 in base64."""
    epochs = preview_epochs(points.shape[1] - 1)
    w = window(bounds)
    return {**w, "epochs": epochs.tolist(),
            "paths": _packed(points[:, epochs, :], [w["cx"], w["cy"]], [w["sx"], w["sy"]])}


def pack_heights(z: np.ndarray, span) -> dict:
    """The 3D view's heights (paths, epochs + 1) at the epochs pack_paths keeps, on a window three
    times `span` (low, high) across: {"cz", "sz", "heights"}."""
    epochs = preview_epochs(z.shape[1] - 1)
    low, high = span
    cz, sz = (low + high) / 2, 1.5 * (high - low) / STEPS
    return {"cz": cz, "sz": sz, "heights": _packed(z[:, epochs, None], [cz], [sz])}


def _packed(values: np.ndarray, centres, scales) -> str:
    with np.errstate(invalid="ignore", over="ignore"):  # a diverged path is far off the window
        q = (values - centres) / scales
        q = np.clip(np.round(q), -STEPS, STEPS)
    q[~np.isfinite(values)] = MISSING
    return base64.b64encode(zlib.compress(q.astype("<i2").tobytes(), 6)).decode("ascii")


def unpack_paths(packed: dict) -> np.ndarray:
    """What the browser draws: (paths, kept epochs, 2), NaN where a point is missing."""
    q = np.frombuffer(zlib.decompress(base64.b64decode(packed["paths"])), dtype="<i2")
    q = q.reshape(-1, len(packed["epochs"]), 2).astype(float)
    xy = q * [packed["sx"], packed["sy"]] + [packed["cx"], packed["cy"]]
    xy[q == MISSING] = np.nan
    return xy
