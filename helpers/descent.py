"""Gradient descent, the whole algorithm: x ← x − α·∇f(x), repeated, with its path kept.

One routine serves every notebook: full-batch (notebook 03), mini-batch and stochastic
(notebook 04, pass `batches`) and network training (notebook 06). A run that diverges stops
and says at which step, so a plot of the path never contains NaN or infinity.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .validate import finite, whole


@dataclass(frozen=True)
class DescentResult:
    """`path[k]` is the iterate after k steps (`path[0]` is the start); `diverged_at` is the
    step whose iterate left the bound or became non-finite (that iterate is not in the path),
    or None if every step stayed finite."""

    path: np.ndarray
    diverged_at: int | None

    @property
    def final(self) -> np.ndarray:
        """The last iterate that was kept."""
        return self.path[-1]

    @property
    def steps_taken(self) -> int:
        return len(self.path) - 1


def _learning_rate(lr, step: int) -> float:
    value = lr(step) if callable(lr) else lr
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"lr must be a number > 0, got {value!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"lr must be a finite number > 0, got {value!r}" + (f" at step {step}" if callable(lr) else ""))
    return value


def gradient_descent(grad: Callable, x0, lr: float | Callable[[int], float], steps: int, *,
                     batches: Iterable | None = None, bound: float = 1e8) -> DescentResult:
    """Take up to `steps` steps x ← x − lr·grad(x) from `x0`; return the path.

    `lr` is a number or a schedule `lr(step)` (step counts from 0). With `batches` (an
    iterable of index arrays, one per step, e.g. from `sgd.minibatches`), the gradient is
    `grad(x, batch)`: stochastic or mini-batch descent with the same loop. The run stops as
    diverged when an iterate has an entry beyond ±`bound` or is not finite.
    """
    steps = whole("steps", steps, 0)
    x = finite("x0", x0).copy()
    _learning_rate(lr, 0)
    batch_iter = iter(batches) if batches is not None else None
    path = [x.copy()]
    for step in range(steps):
        if batch_iter is None:
            g = grad(x)
        else:
            batch = next(batch_iter, None)
            if batch is None:
                break  # the sampler ran out: every epoch asked for is done
            g = grad(x, batch)
        with np.errstate(over="ignore", invalid="ignore"):
            x = x - _learning_rate(lr, step) * np.asarray(g, dtype=float)
        if not np.abs(x).max() <= bound:  # also catches NaN and inf, in one reduction
            return DescentResult(np.array(path), step + 1)
        path.append(x.copy())
    return DescentResult(np.array(path), None)
