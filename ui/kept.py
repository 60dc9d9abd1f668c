"""Results kept across reruns and sessions, the most recently used first to stay, and the lock
that lets one piece of long work run at a time."""

from __future__ import annotations

import threading

# One piece of long work (a map's rows, a network's steps) at a time per process: a student
# who asks for heavy work waits for the piece before, and everyone else's redraws stay quick.
HEAVY = threading.Lock()


class Kept:
    """Computed results by key, at most `size` of them. Unlike an lru_cache, it can say whether a
    result is kept, so a page shows progress only for work it really does, and a computation
    in pieces abandoned half-way (the student changed something) goes on where it stopped."""

    def __init__(self, size: int):
        self.size, self.done, self.lock = size, {}, threading.Lock()

    def has(self, key) -> bool:
        with self.lock:
            return key in self.done

    def get(self, key, compute):
        with self.lock:
            if key in self.done:
                self.done[key] = self.done.pop(key)  # now the most recent
                return self.done[key]
        result = compute()  # outside the lock: other students' work goes on meanwhile
        with self.lock:
            self.done[key] = result
            while len(self.done) > self.size:
                del self.done[next(iter(self.done))]
        return result


def in_pieces(kept: Kept, keys: list, compute, progress=lambda done, total, so_far: None) -> list:
    """The result of every piece of long work, by key: kept ones as they are, the others made by
    `compute(key)` holding HEAVY, so that other students' work goes on between two pieces.
    `progress(pieces done, pieces, the results so far)` hears of each piece computed (not of kept
    ones, nor of the last); a student's change stops the work there, and the pieces done stay kept."""
    results = []
    for n, key in enumerate(keys):
        fresh = not kept.has(key)
        results.append(kept.get(key, lambda key=key: _heavy(compute, key)))
        if fresh and n + 1 < len(keys):
            progress(n + 1, len(keys), results)
    return results


def _heavy(compute, key):
    with HEAVY:
        return compute(key)
