"""Momentum and adaptive steps, notebook 14: the quadratic theory, measured rates, and races.

Math only (numpy). On a quadratic valley, heavy-ball momentum (PyTorch's form, as in
`descent.momentum_descent`) acts on each curvature L separately as the 2×2 linear map

    (x_t, x_{t−1}) ← [[1 + β − αL, −β], [1, 0]] · (x_{t−1}, x_{t−2}),

so its distance to the minimum shrinks per step by the map's spectral radius (its largest
eigenvalue in size), and over a valley by the worst of them. Here: that rate on a whole grid
of (α, β) at once, its optimum, the names of the map's regions, the rate measured from a run,
a vectorised sweep of learning rates for any optimizer (the Rosenbrock race), and the
article's 2-2-2 network trained by each optimizer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .descent import DescentResult, adam, gradient_descent, momentum_descent
from .network import article_network, loss_and_gradients
from .validate import finite, positive, whole

# ---------------------------------------------------------------- the quadratic theory


def iteration_matrix(alpha: float, beta: float, L: float, nesterov: bool = False) -> np.ndarray:
    """The 2×2 map one step applies to (x_t, x_{t−1}) on f = ½·L·x² (Nesterov's look-ahead too)."""
    q = alpha * L
    if nesterov:  # x_{t+1} = (1 + β)(1 − αL)·x_t − β(1 − αL)·x_{t−1}
        return np.array([[(1 + beta) * (1 - q), -beta * (1 - q)], [1.0, 0.0]])
    return np.array([[1 + beta - q, -beta], [1.0, 0.0]])


def _roots(alpha, beta, curvatures, nesterov: bool):
    """Trace T and determinant D of the iteration matrix, broadcast to (..., n_curvatures)."""
    a = np.asarray(alpha, dtype=float)[..., None]
    b = np.asarray(beta, dtype=float)[..., None]
    q = a * np.atleast_1d(np.asarray(curvatures, dtype=float))
    if nesterov:
        return (1 + b) * (1 - q), b * (1 - q)
    return 1 + b - q, np.broadcast_to(b, q.shape)


def _radius(T, D):
    """Largest |z| with z² − T·z + D = 0: (|T| + √(T² − 4D))/2 for real roots, √D for complex ones."""
    disc = T * T - 4 * D
    return np.where(disc >= 0, (np.abs(T) + np.sqrt(np.maximum(disc, 0.0))) / 2, np.sqrt(np.abs(D))), disc


def rate(alpha, beta, curvatures, nesterov: bool = False) -> np.ndarray:
    """Per-step convergence rate of momentum on the quadratic with these curvatures: the largest
    spectral radius over the curvatures. `alpha` and `beta` broadcast (a grid gives a map);
    below 1 the run converges (distance ≈ C·rateᵏ), at 1 or above it does not."""
    radius, _ = _radius(*_roots(alpha, beta, curvatures, nesterov))
    return radius.max(axis=-1)


def converges(alpha, beta, L) -> np.ndarray:
    """Heavy ball on curvature L converges exactly when 0 ≤ β < 1 and 0 < αL < 2(1 + β)."""
    q = np.asarray(alpha) * np.asarray(L)
    return (0 <= np.asarray(beta)) & (np.asarray(beta) < 1) & (0 < q) & (q < 2 * (1 + np.asarray(beta)))


@dataclass(frozen=True)
class Optimum:
    """Best settings on a valley with curvatures in [L_min, L_max] (κ = L_max/L_min):
    momentum's α*, β* and rate (√κ − 1)/(√κ + 1); plain descent's 2/(L_min + L_max) and (κ − 1)/(κ + 1)."""

    alpha: float
    beta: float
    rate: float
    gd_alpha: float
    gd_rate: float


def optimum(L_min: float, L_max: float) -> Optimum:
    """α* = (2/(√L_max + √L_min))², β* = ((√κ − 1)/(√κ + 1))²: both extreme curvatures critically damped."""
    L_min, L_max = positive("L_min", L_min), positive("L_max", L_max)
    if L_min > L_max:
        raise ValueError(f"L_min must be <= L_max, got {L_min} and {L_max}")
    s = np.sqrt(L_max / L_min)
    k = L_max / L_min
    return Optimum(float((2 / (np.sqrt(L_max) + np.sqrt(L_min))) ** 2), float(((s - 1) / (s + 1)) ** 2),
                   float((s - 1) / (s + 1)), 2 / (L_min + L_max), float((k - 1) / (k + 1)))


REGIONS = ("too slow", "damped", "oscillating", "diverged")


def region_index(alpha, beta, curvatures, slow: float | None = None) -> np.ndarray:
    """Index into REGIONS for each (α, β), decided by the slowest mode (the curvature with the largest radius):

    * diverged (3): rate ≥ 1, the distance does not shrink;
    * too slow (0): it converges, but no faster than `slow` per step (default: the best plain
      descent can do, (κ − 1)/(κ + 1)), so momentum buys nothing;
    * oscillating (2): faster than that, and the slowest mode's root is complex or negative: the
      run overshoots and swings;
    * damped (1): faster than that, and the slowest mode's root is real and positive: it slides in.
    """
    curv = np.atleast_1d(np.asarray(curvatures, dtype=float))
    if slow is None:
        slow = optimum(curv.min(), curv.max()).gd_rate
    T, D = _roots(alpha, beta, curv, False)
    radius, disc = _radius(T, D)
    worst = np.argmax(radius, axis=-1)[..., None]
    r = np.take_along_axis(radius, worst, -1)[..., 0]
    swings = (np.take_along_axis(disc, worst, -1)[..., 0] < 0) | (np.take_along_axis(T, worst, -1)[..., 0] < 0)
    return np.select([r >= 1, r >= slow, swings], [3, 0, 2], default=1)


def region(alpha: float, beta: float, curvatures, slow: float | None = None) -> str:
    """The region's name (see `region_index`) for one (α, β)."""
    return REGIONS[int(region_index(alpha, beta, curvatures, slow))]


# ---------------------------------------------------------------- measuring a run


def measured_rate(path, minimum=0.0, window: int = 10) -> float:
    """The per-step rate a run shows: distances to `minimum`, their largest value over a window at
    the middle and at the end of the path, and (end/middle)^(1/steps between). Taking the window's
    largest value makes it robust to a swinging run passing close to the minimum on one step."""
    diff = np.reshape(np.asarray(path, dtype=float) - minimum, (len(path), -1))
    scale = np.abs(diff).max(axis=1, keepdims=True)  # scaled, so tiny distances do not underflow when squared
    d = scale[:, 0] * np.linalg.norm(diff / np.where(scale > 0, scale, 1.0), axis=1)
    window = whole("window", window, 1)
    k1, k2 = len(d) // 2, len(d) - window
    if k2 - k1 < window:
        raise ValueError(f"the path is too short ({len(d)} iterates) for windows of {window}")
    return float((d[k2:].max() / d[k1:k1 + window].max()) ** (1 / (k2 - k1)))


def steps_to(values, tol: float = 1e-6, *, stay: bool = False) -> int | None:
    """The first step k whose value (a cost, a distance) is below `tol`, or None if none is.
    With `stay`, the first k from which every later value is below `tol` too (a lucky jump
    below it that bounces out again does not count)."""
    below = np.asarray(values, dtype=float) < tol
    if stay:
        below = np.flip(np.logical_and.accumulate(np.flip(below)))
    hits = np.nonzero(below)[0]
    return int(hits[0]) if hits.size else None


def steps_to_cost(alpha, beta, curvatures, x0, tol: float = 1e-6, max_steps: int = 2000) -> np.ndarray:
    """For every (α, β) at once (they broadcast), the first step at which heavy ball's cost
    ½·Σ Lᵢ·xᵢ² falls below `tol` from `x0`, or −1 if it does not within `max_steps` (or diverges).

    Written as the recurrence x_{t+1} = x_t − α·L·x_t + β·(x_t − x_{t−1}) with x_{−1} = x_0, which
    is PyTorch's b ← β·b + g, x ← x − α·b unrolled: a second formulation, so it checks the helper."""
    max_steps = whole("max_steps", max_steps, 0)
    L = np.atleast_1d(finite("curvatures", curvatures))
    a, b = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    shape = a.shape
    a, b = a.reshape(-1, 1), b.reshape(-1, 1)
    x = np.broadcast_to(finite("x0", x0), (len(a), len(L))).astype(float)
    prev, found = x.copy(), np.full(len(a), -1)
    rows = np.arange(len(a))  # the runs still going: neither below tol nor blown up
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(0, max_steps + 1):
            if t > 0:
                x, prev = x - a * L * x + b * (x - prev), x
            cost = 0.5 * np.sum(L * x * x, axis=-1)
            done = (cost < tol) & (found[rows] < 0)
            found[rows[done]] = t
            if t % 25 == 0:  # drop finished and blown-up runs (inf, NaN) now and then
                keep = (found[rows] < 0) & (cost < 1e300)
                rows, x, prev, a, b = rows[keep], x[keep], prev[keep], a[keep], b[keep]
                if rows.size == 0:
                    break
    return found.reshape(shape)
    return found


# ---------------------------------------------------------------- many runs at once


@dataclass(frozen=True)
class Sweep:
    """Runs of one optimizer for every learning rate in `lrs` from every start in `starts`:
    `final[i, j]` is the last iterate kept for lrs[i] from starts[j], `diverged_at[i, j]` the step
    whose iterate left the bound (−1 if none did); with history, `path[k, i, j]` the k-th iterate."""

    lrs: np.ndarray
    final: np.ndarray
    diverged_at: np.ndarray
    path: np.ndarray | None = None


def sweep(grad: Callable, starts, lrs, steps: int, rule: Callable[[], Callable] | None = None, *,
          bound: float = 1e8, history: bool = False) -> Sweep:
    """Run an optimizer for every (learning rate, start) pair at once, as rows of one array.

    `rule` makes a fresh direction rule of `helpers.descent` (e.g. ``lambda: momentum_rule(0.9)``),
    None for plain descent; `grad` must take a stack of points (last axis: coordinates). A row
    whose next iterate leaves ±`bound` or is not finite stops there, as `descent` does."""
    steps, bound, lrs = whole("steps", steps, 0), positive("bound", bound), finite("lrs", lrs)
    starts = np.atleast_2d(finite("starts", starts))
    if lrs.ndim != 1 or lrs.size == 0 or np.any(lrs <= 0):
        raise ValueError(f"lrs must be a non-empty 1-D array of learning rates > 0, got {lrs!r}")
    n, m, dim = len(lrs), len(starts), starts.shape[1]
    x = np.broadcast_to(starts, (n, m, dim)).copy()
    lr = lrs[:, None, None]
    direction = rule() if rule is not None else (lambda g, t: g)
    alive, diverged_at = np.ones((n, m), dtype=bool), np.full((n, m), -1)
    path = [x.copy()] if history else None
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            trial = x - lr * direction(np.asarray(grad(x), dtype=float), t)
            ok = np.all(np.abs(trial) <= bound, axis=-1)  # False for NaN too
            diverged_at[alive & ~ok] = t
            alive &= ok
            x[alive] = trial[alive]
            if history:
                path.append(x.copy())
    return Sweep(lrs, x, diverged_at, np.array(path) if history else None)


# ---------------------------------------------------------------- the Rosenbrock valley


def rosenbrock(x) -> np.ndarray:
    """f(x, y) = (1 − x)² + 100·(y − x²)²: a curved, narrow valley with its minimum 0 at (1, 1)."""
    x = np.asarray(x, dtype=float)
    return (1 - x[..., 0]) ** 2 + 100 * (x[..., 1] - x[..., 0] ** 2) ** 2


def rosenbrock_grad(x) -> np.ndarray:
    """∇f = (−2(1 − x) − 400·x(y − x²), 200(y − x²)), same shape as x (stacks of points too)."""
    x = np.asarray(x, dtype=float)
    u, w = x[..., 0], x[..., 1] - x[..., 0] ** 2
    return np.stack([-2 * (1 - u) - 400 * u * w, 200 * w], axis=-1)


def rosenbrock_starts(n: int = 8, seed: int = 0) -> np.ndarray:
    """`n` seeded starts, x uniform in [−2, 2] and y in [−1, 3]: shape (n, 2)."""
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(-2, 2, whole("n", n, 1)), rng.uniform(-1, 3, n)], axis=-1)


def best_lr(sw: Sweep, cost: Callable) -> tuple[int, np.ndarray]:
    """(index of the learning rate with the lowest median final cost over the starts, that row's
    final costs). A run that diverged from any start counts as infinitely bad."""
    final = np.asarray(cost(sw.final), dtype=float)
    score = np.where((sw.diverged_at >= 0).any(axis=1), np.inf, np.median(final, axis=1))
    i = int(np.argmin(score))
    return i, final[i]


# ---------------------------------------------------------------- the article's 2-2-2 network

SIZES = ((2, 2), (2,), (2, 2), (2,))  # shapes of W1, b1, W2, b2 in θ


def _unpack(theta: np.ndarray):
    parts, i = [], 0
    for shape in SIZES:
        size = int(np.prod(shape))
        parts.append(theta[i:i + size].reshape(shape))
        i += size
    return [parts[0], parts[2]], [parts[1], parts[3]]


def article_problem() -> tuple[np.ndarray, Callable, Callable]:
    """The article's network as (θ₀, loss(θ), grad(θ)): its 12 parameters in one vector
    (W1, b1, W2, b2, row by row) and E = ½·Σ(t − y)² on its one example."""
    weights, biases, x, t = article_network()
    theta0 = np.concatenate([weights[0].ravel(), biases[0], weights[1].ravel(), biases[1]])

    def loss(theta):
        return loss_and_gradients(*_unpack(theta), x, t)[0]

    def grad(theta):
        _, dW, db = loss_and_gradients(*_unpack(theta), x, t)
        return np.concatenate([dW[0].ravel(), db[0], dW[1].ravel(), db[1]])
    return theta0, loss, grad


OPTIMIZERS: dict[str, Callable[..., DescentResult]] = {
    "gradient descent": gradient_descent,
    "momentum β = 0.9": lambda grad, x0, lr, steps: momentum_descent(grad, x0, lr, 0.9, steps),
    "Adam": adam,
}


def epochs_to_target(name: str, lr: float, epochs: int, target: float = 1e-3) -> int | None:
    """Epochs (full-batch steps) until the article network's error E is below `target` and stays
    there for the rest of the `epochs`, training with optimizer `name` of OPTIMIZERS at rate `lr`;
    None if that does not happen (or the run diverges)."""
    theta0, loss, grad = article_problem()
    run = OPTIMIZERS[name](grad, theta0, lr, epochs)
    if run.diverged_at is not None:
        return None
    return steps_to([loss(theta) for theta in run.path], target, stay=True)
