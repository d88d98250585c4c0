"""The dark valley of notebook 03: valleys to descend, a pirate to race, learning rates to sweep.

Math only (numpy). Quadratic valleys of known curvature, where gradient descent has a closed
form; the pirate's seeded random search; the regime of a learning rate, read off |1 − αL|; a
small regression problem with its mean-squared-error cost; and a sweep that runs hundreds of
learning rates at once, so a learner can see which α works.
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


# ---------------------------------------------------------------- a regression to fit


@dataclass(frozen=True)
class Regression:
    """A straight-line fit y ≈ w·x + b to data (x, y), with the mean-squared-error cost
    J(w, b) = mean((w·x + b − y)²). Parameters travel as arrays whose last axis is (w, b)."""

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        x, y = finite("x", self.x), finite("y", self.y)
        if x.ndim != 1 or x.shape != y.shape or len(x) < 2:
            raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}")
        if np.ptp(x) == 0:
            raise ValueError("x must not be constant: a line through one x value is not determined")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def _wb(self, params):
        p = np.asarray(params, dtype=float)
        if p.ndim == 0 or p.shape[-1] != 2:
            raise ValueError(f"params must have a last axis (w, b) of length 2, got shape {p.shape}")
        return p[..., 0:1], p[..., 1:2]

    def residuals(self, params) -> np.ndarray:
        """w·x + b − y for every data point: shape (..., n)."""
        w, b = self._wb(params)
        return w * self.x + b - self.y

    def cost(self, params) -> np.ndarray:
        """J(w, b), one value per parameter pair."""
        return np.mean(self.residuals(params) ** 2, axis=-1)

    def grad(self, params) -> np.ndarray:
        """(∂J/∂w, ∂J/∂b) = (2·mean(r·x), 2·mean(r)) with r the residuals; same shape as params."""
        r = self.residuals(params)
        if r.ndim == 1:  # one (w, b): the common case inside a descent loop, without the stacking
            return np.array([2 * np.dot(r, self.x), 2 * r.sum()]) / len(r)
        return np.stack([2 * np.mean(r * self.x, axis=-1), 2 * np.mean(r, axis=-1)], axis=-1)

    @property
    def hessian(self) -> np.ndarray:
        """The constant second derivative of J: 2·[[mean x², mean x], [mean x, 1]]."""
        mx = self.x.mean()
        return 2 * np.array([[np.mean(self.x**2), mx], [mx, 1.0]])

    @property
    def curvatures(self) -> tuple[float, float]:
        """(L_min, L_max): the valley's curvatures along its two principal directions."""
        lo, hi = np.linalg.eigvalsh(self.hessian)
        return float(lo), float(hi)

    def best(self) -> np.ndarray:
        """The least-squares line (w*, b*), from the normal equations: the bottom of the valley."""
        return np.linalg.solve(self.hessian, -self.grad(np.zeros(2)))


def regression_data(n: int = 20, seed: int = 0, w: float = 1.5, b: float = 2.0,
                    noise: float = 0.6, x_max: float = 4.0) -> Regression:
    """A small seeded dataset: x uniform on [0, x_max], y = w·x + b + normal noise of size `noise`."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be a whole number >= 2, got {n!r}")
    positive("x_max", x_max)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, x_max, n))
    return Regression(x, w * x + b + noise * rng.standard_normal(n))


# ---------------------------------------------------------------- hundreds of learning rates at once


@dataclass(frozen=True)
class Sweep:
    """One row per learning rate: `final[i]` is the last iterate kept for `lrs[i]`, `final_cost[i]`
    its cost, `diverged_at[i]` the step whose iterate left the bound (−1 if none did)."""

    lrs: np.ndarray
    final: np.ndarray
    final_cost: np.ndarray
    diverged_at: np.ndarray

    @property
    def diverged(self) -> np.ndarray:
        return self.diverged_at >= 0


def sweep_learning_rates(cost: Callable, grad: Callable, x0, lrs, steps: int, *,
                         bound: float = 1e8) -> Sweep:
    """Run gradient descent from `x0` for every learning rate in `lrs` at once, `steps` steps each.

    The runs are rows of one array, updated together (`grad` and `cost` must take a stack of
    points, one per row). A row whose next iterate is non-finite or has an entry beyond ±`bound`
    stops there, as `descent.gradient_descent` does, so nothing overflows.
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"steps must be a whole number >= 0, got {steps!r}")
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
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            trial = x - lr_col * np.asarray(grad(x), dtype=float)
            ok = np.all(np.isfinite(trial), axis=inner) & np.all(np.abs(trial) <= bound, axis=inner)
            left = alive & ~ok
            diverged_at[left] = step + 1
            alive &= ok
            x[alive] = trial[alive]
            if not alive.any():
                break
    return Sweep(lrs, x, np.asarray(cost(x), dtype=float), diverged_at)
