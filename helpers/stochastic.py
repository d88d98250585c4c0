"""A cost that is an average over examples, f(θ) = (1/n)·Σ fᵢ(θ), for stochastic gradient descent.

The example is least-squares line fitting, θ = (w, b) and fᵢ(θ) = ½·(w·xᵢ + b − yᵢ)²: two
parameters, so the cost has a contour map, and a closed-form minimizer to measure against.
`LinearRegression.grad(theta, batch)` is the gradient that `descent.gradient_descent` takes
with `batches=sgd.minibatches(...)`.
"""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .validate import finite, positive


class LinearRegression:
    """Data (xᵢ, yᵢ), i = 0 … n−1, and the per-example costs fᵢ(w, b) = ½·(w·xᵢ + b − yᵢ)².

    Parameters θ are arrays whose last axis is (w, b); `loss` and `excess_loss` accept a
    whole path or grid of them at once.
    """

    def __init__(self, x, y) -> None:
        x, y = finite("x", x), finite("y", y)
        if x.ndim != 1 or x.shape != y.shape or x.size < 2:
            raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}")
        if np.ptp(x) == 0:
            raise ValueError("x must not be constant: the line's slope would be undetermined")
        self.x, self.y = x, y
        # moments of the quadratic f(θ) = ½·θᵀHθ − vᵀθ + ½·mean(y²), with H = mean of (xᵢ, 1)(xᵢ, 1)ᵀ
        self.hessian = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
        self._v = np.array([np.mean(x * y), np.mean(y)])
        self.minimizer = np.linalg.solve(self.hessian, self._v)
        self.min_loss = float(np.mean(self.losses(self.minimizer)))

    @property
    def n(self) -> int:
        """How many examples (the number of per-example gradients in one epoch)."""
        return self.x.size

    def _theta(self, theta) -> np.ndarray:
        theta = finite("theta", theta)
        if theta.shape[-1:] != (2,):
            raise ValueError(f"theta must have last axis (w, b) of length 2, got shape {theta.shape}")
        return theta

    def _pair(self, theta) -> tuple[float, float]:
        """One parameter point as two floats, checked cheaply (the descent loop calls this per step)."""
        t = np.asarray(theta, dtype=float)
        if t.shape != (2,):
            raise ValueError(f"theta must be one point (w, b), got shape {t.shape}")
        w, b = float(t[0]), float(t[1])
        if not (math.isfinite(w) and math.isfinite(b)):
            raise ValueError(f"theta must be finite, got {theta!r}")
        return w, b

    def _data(self, batch) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) of the examples in `batch` (an index array; None means all)."""
        if batch is None:
            return self.x, self.y
        idx = np.asarray(batch)
        if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
            raise ValueError(f"batch must be a non-empty 1-D array of example indices, got {batch!r}")
        if idx.min() < 0:
            raise ValueError(f"batch indices must lie in [0, {self.n - 1}], got {idx.min()}")
        try:
            return self.x[idx], self.y[idx]
        except IndexError:
            raise ValueError(f"batch indices must lie in [0, {self.n - 1}], got {idx.max()}") from None

    def residuals(self, theta, batch=None) -> np.ndarray:
        """rᵢ = w·xᵢ + b − yᵢ for the examples in `batch` (all if None)."""
        w, b = self._pair(theta)
        x, y = self._data(batch)
        return w * x + b - y

    def losses(self, theta) -> np.ndarray:
        """Every per-example loss fᵢ(θ) = ½·rᵢ², shape (n,)."""
        return 0.5 * self.residuals(theta) ** 2

    def gradients(self, theta) -> np.ndarray:
        """Every per-example gradient ∇fᵢ(θ) = rᵢ·(xᵢ, 1), shape (n, 2)."""
        r = self.residuals(theta)
        return np.column_stack([r * self.x, r])

    def grad(self, theta, batch=None) -> np.ndarray:
        """The mean of ∇fᵢ(θ) over `batch` (an index array; None means all n, i.e. ∇f(θ))."""
        if batch is None:  # ∇f = Hθ − v from the data's moments: cheap, and the same number up to rounding
            return self.hessian @ np.array(self._pair(theta)) - self._v
        w, b = self._pair(theta)
        x, y = self._data(batch)
        r = w * x + b - y
        return np.array([np.dot(r, x), r.sum()]) / r.size

    def excess_loss(self, theta) -> np.ndarray:
        """f(θ) − f(θ*) = ½·(θ−θ*)ᵀH(θ−θ*), for θ of shape (..., 2); exact, without cancellation."""
        d = self._theta(theta) - self.minimizer
        return 0.5 * np.einsum("...i,ij,...j->...", d, self.hessian, d)

    def loss(self, theta) -> np.ndarray:
        """The full cost f(θ) = (1/n)·Σ fᵢ(θ), for θ of shape (..., 2) (a path, a grid)."""
        return self.min_loss + self.excess_loss(theta)

    def gradient_spread(self, theta) -> float:
        """σ = √(mean ‖∇fᵢ(θ) − ∇f(θ)‖²): how far one sampled gradient lies from ∇f, typically.

        The mean of k gradients drawn uniformly with replacement lies σ/√k from ∇f (root mean square).
        """
        g = self.gradients(theta)
        return float(np.sqrt(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1))))


def make_regression(n: int = 2000, seed: int = 0, *, w: float = 2.0, b: float = -1.0,
                    noise: float = 1.0, x_range: tuple[float, float] = (-1.0, 2.0)) -> LinearRegression:
    """n points y = w·x + b + noise·ε, x uniform on `x_range`, ε standard normal; seeded."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
        raise ValueError(f"n must be a whole number >= 2, got {n!r}")
    noise = float(finite("noise", noise))
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    lo, hi = (float(v) for v in finite("x_range", x_range))
    if not lo < hi:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(lo, hi, n)
    y = float(finite("w", w)) * x + float(finite("b", b)) + noise * rng.standard_normal(n)
    return LinearRegression(x, y)


def sampled_mean_errors(gradients, sizes, trials: int, seed: int = 0) -> np.ndarray:
    """For each k in `sizes`: average k rows of `gradients` drawn uniformly with replacement,
    `trials` times; return the root-mean-square distance of those averages from the mean row."""
    g = finite("gradients", gradients)
    if g.ndim != 2 or g.shape[0] < 1:
        raise ValueError(f"gradients must be a 2-D array (examples, parameters), got shape {g.shape}")
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be a whole number >= 1, got {trials!r}")
    sizes = np.asarray(sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.integer) or sizes.min() < 1:
        raise ValueError(f"sizes must be whole numbers >= 1, got {sizes!r}")
    rng = np.random.default_rng(seed)
    mean = g.mean(axis=0)
    out = []
    for k in sizes:
        averages = g[rng.integers(0, g.shape[0], size=(trials, int(k)))].mean(axis=1)
        out.append(np.sqrt(np.mean(np.sum((averages - mean) ** 2, axis=1))))
    return np.array(out)


def inverse_decay(lr0: float, k0: float) -> Callable[[int], float]:
    """The schedule lr(k) = lr0·k0/(k0 + k): lr0 at first, halved after k0 steps, then ∝ 1/k.

    Step sizes that shrink like 1/k still add up to infinity (so SGD can travel any distance)
    while the noise they inject, ∝ Σ lr², stays finite: the iterates settle.
    """
    lr0, k0 = positive("lr0", lr0), positive("k0", k0)
    return lambda k: lr0 * k0 / (k0 + k)
