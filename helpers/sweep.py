"""Hundreds of learning rates at once: gradient descent with one row of an array per rate.

Math only (numpy). Notebook 05 sweeps a valley and a regression with it; the network training
of notebooks 11 and 12 builds its own sweep on top of it. A row whose iterate leaves the bound
stops there (its last finite iterate is kept), so nothing overflows and nothing warns.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .validate import finite, positive, whole


@dataclass(frozen=True)
class Sweep:
    """One row per learning rate: `final[i]` is the last iterate kept for `lrs[i]`, `final_cost[i]`
    its cost, `diverged_at[i]` the step whose iterate left the bound (−1 if none did).

    With `history=True`, `path[k, i]` is the iterate of rate i after k steps, shape
    (steps + 1, n_rates, *x0.shape); a row that diverged stays at its last kept iterate from the
    step it stopped on (`path[k, i] == final[i]` for k ≥ diverged_at[i]), so the path is finite."""

    lrs: np.ndarray
    final: np.ndarray
    final_cost: np.ndarray
    diverged_at: np.ndarray
    path: np.ndarray | None = None

    @property
    def diverged(self) -> np.ndarray:
        """True for every rate whose run left the bound."""
        return self.diverged_at >= 0


def sweep_learning_rates(cost: Callable, grad: Callable, x0, lrs, steps: int, *,
                         bound: float = 1e8, history: bool = False) -> Sweep:
    """Run gradient descent x ← x − α·grad(x) from `x0` for every α in `lrs` at once, `steps` steps each.

    The runs are rows of one array, updated together (`grad` and `cost` must take a stack of
    points, one per row, and return one gradient / one cost per row). A row whose next iterate
    is non-finite or has an entry beyond ±`bound` stops there, as `descent.gradient_descent`
    does with the same bound. `history=True` also keeps every iterate (see `Sweep.path`).
    """
    steps = whole("steps", steps, 0)
    bound = positive("bound", bound)
    lrs = finite("lrs", lrs)
    if lrs.ndim != 1 or lrs.size == 0 or np.any(lrs <= 0):
        raise ValueError(f"lrs must be a non-empty 1-D array of learning rates > 0, got {lrs!r}")
    x0 = finite("x0", x0)
    n = lrs.size
    x = np.broadcast_to(x0, (n, *x0.shape)).copy()
    lr_col = lrs.reshape(n, *([1] * x0.ndim))
    inner = tuple(range(1, x.ndim))
    alive = np.ones(n, dtype=bool)
    diverged_at = np.full(n, -1)
    path = np.empty((steps + 1, *x.shape)) if history else None
    if history:
        path[0] = x
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            if alive.any():
                trial = x - lr_col * np.asarray(grad(x), dtype=float)
                ok = np.all(np.isfinite(trial), axis=inner) & np.all(np.abs(trial) <= bound, axis=inner)
                diverged_at[alive & ~ok] = step + 1
                alive &= ok
                x[alive] = trial[alive]
            elif not history:
                break
            if history:
                path[step + 1] = x
    return Sweep(lrs, x, np.asarray(cost(x), dtype=float), diverged_at, path)
