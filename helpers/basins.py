"""Beyond the bowl (notebook 08): valleys with two basins, saddles and plateaus, and noise.

Math only (numpy). Many descents run at once, one row of an array per start (or per seeded
run), updated together: a map of which start ends in which minimum (basins of attraction),
how many steps it takes to leave a saddle or cross a plateau, and how often noisy descent or
the pirate's random steps get out of a shallow basin. Rows that leave the bound or become
non-finite are frozen where they were and flagged, as `descent.gradient_descent` does for one run.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .landscape import Cost, parse_cost
from .validate import finite, positive, whole

TWO_BASIN_1D = "x**4 - 3*x**2 + x"            # a deep minimum near x = −1.30, a shallow one near 1.13
TWO_BASIN_2D = "x**4 - 3*x**2 + x + y**2 + x*y"  # the same two basins, a tilted ridge between them
SADDLE_2D = "x**4/4 - x**2/2 + y**2/2"         # a saddle at (0, 0) with curvatures −1 and 1, minima at (±1, 0)
PLATEAU_1D = "1 - exp(-x**2)"                  # one minimum at 0, nearly flat for |x| > 2


def two_basin_1d() -> Cost:
    return parse_cost(TWO_BASIN_1D)


def two_basin_2d() -> Cost:
    return parse_cost(TWO_BASIN_2D, ("x", "y"))


def critical_points_1d(cost: Cost, lo: float, hi: float, n: int = 4001) -> np.ndarray:
    """Every x in [lo, hi] where f'(x) = 0 (sign changes of f' on a grid, refined by bisection)."""
    xs = np.linspace(lo, hi, n)
    d = cost.grad(xs)[0]
    i = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
    a, b = xs[i], xs[i + 1]
    for _ in range(60):
        mid = 0.5 * (a + b)
        left = np.sign(cost.grad(a)[0]) * np.sign(cost.grad(mid)[0]) <= 0
        a, b = np.where(left, a, mid), np.where(left, mid, b)
    return 0.5 * (a + b)


def local_minima_1d(cost: Cost, lo: float, hi: float) -> np.ndarray:
    """The critical points where f' goes from − to +, sorted by x."""
    c = critical_points_1d(cost, lo, hi)
    h = 1e-4
    return c[(cost.grad(c + h)[0] > 0) & (cost.grad(c - h)[0] < 0)]


def hessian_2d(cost: Cost, p) -> np.ndarray:
    """The 2×2 matrix of second derivatives at p, by central differences of the exact gradient."""
    p, h = np.asarray(p, dtype=float), 1e-5
    rows = [(cost.grad_at(p + h * e) - cost.grad_at(p - h * e)) / (2 * h) for e in np.eye(2)]
    H = np.array(rows)
    return 0.5 * (H + H.T)


# ---------------------------------------------------------------- many descents at once


@dataclass(frozen=True)
class ManyRuns:
    """`final[i]` is where run i ended (its last kept iterate), `stopped_at[i]` the step at which it
    left the bound or became non-finite (−1 if it never did)."""

    final: np.ndarray
    stopped_at: np.ndarray

    @property
    def stopped(self) -> np.ndarray:
        return self.stopped_at >= 0


def _rows(grad_at, starts, lr, steps, bound, noise=None):
    steps = whole("steps", steps, 0)
    bound = positive("bound", bound)
    x = finite("starts", starts).copy()
    if x.ndim == 0:
        x = x[None]
    n = x.shape[0]
    lr = np.broadcast_to(finite("lr", lr), (n,)).reshape(n, *([1] * (x.ndim - 1)))
    if np.any(lr <= 0):
        raise ValueError("every learning rate must be > 0")
    inner = tuple(range(1, x.ndim))
    alive = np.ones(n, dtype=bool)
    stopped_at = np.full(n, -1)
    with np.errstate(all="ignore"):
        for step in range(steps):
            g = np.asarray(grad_at(x), dtype=float)
            if noise is not None:
                g = g + noise(step, x.shape)
            trial = x - lr * g
            ok = np.all(np.isfinite(trial), axis=inner) & np.all(np.abs(trial) <= bound, axis=inner)
            newly = alive & ~ok
            stopped_at[newly] = step + 1
            alive &= ok
            if alive.all():
                x = trial
            else:
                x[alive] = trial[alive]
            yield step, x, alive
    return ManyRuns(x, stopped_at)


def _finish(gen) -> ManyRuns:
    while True:
        try:
            next(gen)
        except StopIteration as done:
            return done.value


def descend_many(grad_at: Callable, starts, lr, steps: int, *, bound: float = 1e6) -> ManyRuns:
    """Gradient descent from every row of `starts` at once (shape (n,) in 1-D or (n, d)).

    `lr` is one learning rate or one per row; `grad_at` must take the whole stack of points.
    Row i equals `gradient_descent(grad_at, starts[i], lr[i], steps)` (its last kept iterate)."""
    return _finish(_rows(grad_at, starts, lr, steps, bound))


def noisy_descent_many(grad_at: Callable, starts, lr, noise: float, steps: int, seed: int = 0, *,
                       bound: float = 1e6) -> ManyRuns:
    """Descent with a noisy gradient f'(x) + noise·ξ (ξ standard normal, fresh every step and
    every row, seeded): a model of stochastic gradients whose error has size `noise`."""
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    return _finish(_rows(grad_at, starts, lr, steps, bound, lambda _s, shape: noise * rng.standard_normal(shape)))


def tilts(n: int, spread: float, seed: int = 0) -> np.ndarray:
    """n per-example tilts aᵢ with mean exactly 0 and standard deviation exactly `spread`.

    Example i's cost is fᵢ(x) = f(x) + aᵢ·x, so the mean of the fᵢ is f (the tilts cancel) and a
    mini-batch gradient f'(x) + mean(a over the batch) is unbiased, with an error that shrinks
    like spread/√B for a batch of B drawn with replacement (notebook 06)."""
    n = whole("n", n, 2)
    spread = positive("spread", spread)
    a = np.random.default_rng(seed).standard_normal(n)
    a -= a.mean()
    return a * (spread / a.std())


def minibatch_descent_many(grad_at: Callable, a: np.ndarray, starts, lr, batch_size: int, steps: int,
                           seed: int = 0, *, bound: float = 1e6) -> ManyRuns:
    """Mini-batch descent on fᵢ(x) = f(x) + aᵢ·x (1-D): every step, every row draws `batch_size`
    examples uniformly with replacement and steps along f'(x) + mean(a over them)."""
    a = finite("a", a)
    batch_size = whole("batch_size", batch_size, 1)
    rng = np.random.default_rng(seed)

    def noise(_step, shape):
        return a[rng.integers(0, a.size, size=(*shape, batch_size))].mean(axis=-1)

    return _finish(_rows(grad_at, starts, lr, steps, bound, noise))


def first_step_where(grad_at: Callable, starts, lr, condition: Callable, max_steps: int, *,
                     bound: float = 1e6) -> np.ndarray:
    """For every start, the first step k (0 = the start itself) at which `condition(points)` holds
    for its iterate, or −1 if it does not within `max_steps` (or the run stopped first)."""
    x0 = finite("starts", starts)
    first = np.where(np.asarray(condition(x0 if x0.ndim else x0[None]), dtype=bool), 0, -1)
    for step, x, alive in _rows(grad_at, starts, lr, max_steps, bound):
        now = np.asarray(condition(x), dtype=bool) & alive & (first < 0)
        first[now] = step + 1
        if np.all(first >= 0):
            break
    return first


def nearest_minimum(points, minima, tol: float = 1e-2) -> np.ndarray:
    """Which of `minima` each point is within `tol` of (its index), −1 if none: where a run ended."""
    p = np.asarray(points, dtype=float)
    m = np.asarray(minima, dtype=float)
    if m.ndim == 1 and p.ndim <= 1:
        dist = np.abs(p[..., None] - m)
    else:
        dist = np.linalg.norm(p[..., None, :] - m, axis=-1)
    label = np.argmin(dist, axis=-1)
    return np.where(np.min(dist, axis=-1) <= tol, label, -1)


def saddle_escape_steps(d, lr: float, curvature: float, radius: float) -> np.ndarray:
    """Closed form for a linear saddle (f = −½|λ|x² along the unstable direction): from distance d
    each step multiplies x by 1 + α|λ|, so it first reaches `radius` after
    ⌈log(radius/d) / log(1 + α|λ|)⌉ steps, about log(radius/d)/(α|λ|) for small α|λ|."""
    d = finite("d", d)
    grow = 1 + positive("lr", lr) * abs(curvature)
    return np.ceil(np.log(radius / d) / np.log(grow) - 1e-9).astype(int)
