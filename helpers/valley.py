"""The dark valley of notebooks 04 and 05: valleys to descend, a pirate to race, regimes to name.

Math only (numpy). Quadratic valleys of known curvature, where gradient descent has a closed
form; the pirate's seeded random search; the regime of a learning rate, read off |1 − αL|.
The regression these notebooks fit is `regression.LinearRegression`; the sweep of hundreds of
learning rates at once is `sweep.sweep_learning_rates`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .validate import finite, positive

# ---------------------------------------------------------------- valleys of known curvature


class Quadratic:
    """The valley f(x) = ½·Σᵢ Lᵢ·xᵢ², curvature Lᵢ along axis i, lowest point 0 at x = 0.

    One curvature makes a 1-D valley (x is a number, or an array of numbers taken one by one);
    several make a valley in as many dimensions (the last axis of x holds the coordinates).
    Its gradient is Lᵢ·xᵢ, so one descent step multiplies coordinate i by (1 − α·Lᵢ).
    """

    def __init__(self, *curvatures: float):
        if not curvatures:
            raise ValueError("Quadratic needs at least one curvature L > 0")
        self.curvatures = np.array([positive(f"curvature L{i + 1}", c) for i, c in enumerate(curvatures)])

    @property
    def ndim(self) -> int:
        return len(self.curvatures)

    @property
    def L_max(self) -> float:
        return float(self.curvatures.max())

    @property
    def L_min(self) -> float:
        return float(self.curvatures.min())

    def _points(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        if self.ndim > 1 and (x.ndim == 0 or x.shape[-1] != self.ndim):
            raise ValueError(f"points of this {self.ndim}-D valley need a last axis of length {self.ndim}, "
                             f"got shape {x.shape}")
        return x

    def cost(self, x) -> np.ndarray:
        """f(x); for a valley in several dimensions, one value per point (the last axis is summed)."""
        x = self._points(x)
        if self.ndim == 1:
            return 0.5 * self.curvatures[0] * x**2
        return 0.5 * np.sum(self.curvatures * x**2, axis=-1)

    def grad(self, x) -> np.ndarray:
        """∇f(x) = (L₁x₁, L₂x₂, …), same shape as x."""
        x = self._points(x)
        return (self.curvatures[0] if self.ndim == 1 else self.curvatures) * x

    def __repr__(self) -> str:
        return f"Quadratic({', '.join(f'{c:g}' for c in self.curvatures)})"


# ---------------------------------------------------------------- what a learning rate does

REGIMES = ("slow convergence", "fast convergence", "oscillating convergence",
           "edge: bounces forever", "divergence")


def critical_rates(L: float) -> tuple[float, float]:
    """(1/L, 2/L): the fastest learning rate (one step lands on the minimum) and the edge of divergence."""
    L = positive("L", L)
    return 1.0 / L, 2.0 / L


def regime(lr: float, L: float) -> str:
    """Name what gradient descent with rate `lr` does on a 1-D valley of curvature `L`.

    Each step multiplies the distance to the minimum by r = 1 − αL, so |r| decides:
    αL < ½ slow (r > ½: each step removes less than half of the distance), ½ ≤ αL ≤ 1 fast,
    1 < αL < 2 oscillating (r < 0: it overshoots, but |r| < 1 still shrinks), αL = 2 the edge
    (|r| = 1: it bounces between ±x₀ forever), αL > 2 divergence (|r| > 1).
    """
    lr, L = positive("lr", lr), positive("L", L)
    q = lr * L
    if math.isclose(q, 2.0, rel_tol=1e-12):
        return REGIMES[3]
    if q < 0.5:
        return REGIMES[0]
    if q <= 1.0:
        return REGIMES[1]
    if q < 2.0:
        return REGIMES[2]
    return REGIMES[4]


# ---------------------------------------------------------------- the pirate


@dataclass(frozen=True)
class PirateWalk:
    """`path[k]` is where the pirate(s) stand after k steps (`path[0]` the start); `kept[k]` says
    whether step k+1's random proposal was kept (it went downhill) or undone."""

    path: np.ndarray
    kept: np.ndarray


def pirate_walk(cost: Callable, x0, steps: int, step_size: float, seed: int = 0,
                n_pirates: int | None = None) -> PirateWalk:
    """The article's pirate: in the dark, each step is a random jump x + step_size·z (z standard
    normal in every coordinate); he keeps it only if luck put him lower, otherwise he steps back.

    `cost` must take an array of points (first axis: one point per pirate) and return one cost
    per point. With `n_pirates`, that many independent pirates walk at once from the same start
    (shapes gain a pirate axis after the step axis). The same seed gives the same walk.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
    step_size = positive("step_size", step_size)
    single = n_pirates is None
    n = 1 if single else n_pirates
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n_pirates must be a whole number >= 1, got {n_pirates!r}")
    x0 = finite("x0", x0)
    rng = np.random.default_rng(seed)
    x = np.broadcast_to(x0, (n, *x0.shape)).copy()
    fx = np.asarray(cost(x), dtype=float)
    path, kept = [x.copy()], []
    for _ in range(steps):
        trial = x + step_size * rng.standard_normal(x.shape)
        f_trial = np.asarray(cost(trial), dtype=float)
        lower = f_trial < fx
        x = np.where(lower.reshape(n, *([1] * x0.ndim)), trial, x)
        fx = np.where(lower, f_trial, fx)
        path.append(x.copy())
        kept.append(lower)
    path = np.array(path)
    kept = np.array(kept, dtype=bool).reshape(steps, n)
    if single:
        return PirateWalk(path[:, 0], kept[:, 0])
    return PirateWalk(path, kept)
