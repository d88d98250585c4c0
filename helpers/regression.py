"""The course's one linear regression: a line y ≈ w·x + b fitted to data by least squares.

One cost convention everywhere: J(w, b) = (1/n)·Σ ½·(w·xᵢ + b − yᵢ)², the mean of the
per-example costs fᵢ = ½·rᵢ² with residual rᵢ = w·xᵢ + b − yᵢ. The ½ cancels the 2 of the
derivative, so ∇J = (mean(r·x), mean(r)) and the Hessian is the mean of (xᵢ, 1)(xᵢ, 1)ᵀ.
(A cost mean r², without the ½, has twice this gradient and twice these curvatures, so its
largest stable learning rate is half as large.)

Parameters travel as arrays whose last axis is (w, b); `cost`, `grad` (over all examples),
`residuals` and `excess_loss` accept any leading shape: one point, a path, a grid, a stack
of runs. `grad(theta, batch)` is the mini-batch gradient that `descent.gradient_descent`
takes with `batches=sgd.minibatches(...)`. Math only (numpy).
"""
from __future__ import annotations

import math

import numpy as np

from .validate import finite, whole


class LinearRegression:
    """Data (xᵢ, yᵢ), i = 0 … n−1, and the cost J(θ) = mean ½·(w·xᵢ + b − yᵢ)² of θ = (w, b).

    J is a quadratic valley: J(θ) = J* + ½·(θ − θ*)ᵀ H (θ − θ*), with the least-squares line θ*
    (`minimizer`) at its bottom, J* (`min_loss`) there, and H (`hessian`) its constant curvature.
    """

    def __init__(self, x, y) -> None:
        x, y = finite("x", x), finite("y", y)
        if x.ndim != 1 or x.shape != y.shape or x.size < 2:
            raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}")
        if np.ptp(x) == 0:
            raise ValueError("x must not be constant: the line's slope would be undetermined")
        self.x, self.y = x, y
        # J(θ) = ½·θᵀHθ − vᵀθ + ½·mean(y²), with H = mean of (xᵢ, 1)(xᵢ, 1)ᵀ and v = (mean x·y, mean y)
        self.hessian = np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
        self._v = np.array([np.mean(x * y), np.mean(y)])
        self.minimizer = np.linalg.solve(self.hessian, self._v)
        self.min_loss = float(0.5 * np.mean((self.minimizer[0] * x + self.minimizer[1] - y) ** 2))

    @property
    def n(self) -> int:
        """How many examples (the number of per-example gradients in one epoch)."""
        return self.x.size

    @property
    def curvatures(self) -> tuple[float, float]:
        """(L_min, L_max): the eigenvalues of the Hessian, the valley's curvatures along its two
        principal directions. Full-batch descent converges for α < 2/L_max."""
        lo, hi = np.linalg.eigvalsh(self.hessian)
        return float(lo), float(hi)

    # ------------------------------------------------------------ argument checks

    def _theta(self, theta) -> np.ndarray:
        theta = finite("theta", theta)
        if theta.shape[-1:] != (2,):
            raise ValueError(f"theta must have last axis (w, b) of length 2, got shape {theta.shape}")
        return theta

    def _pair(self, theta) -> tuple[float, float]:
        """One parameter point as two floats, checked cheaply (the descent loop calls this per step)."""
        t = np.asarray(theta, dtype=float)
        if t.shape != (2,):
            raise ValueError(f"theta must be one point (w, b) with a batch, got shape {t.shape}")
        w, b = float(t[0]), float(t[1])
        if not (math.isfinite(w) and math.isfinite(b)):
            raise ValueError(f"theta must be finite, got {theta!r}")
        return w, b

    def _data(self, batch) -> tuple[np.ndarray, np.ndarray]:
        """The (x, y) of the examples in `batch`: None means all, an int one example, else an index array."""
        if batch is None:
            return self.x, self.y
        if isinstance(batch, (int, np.integer)) and not isinstance(batch, bool):
            batch = np.array([batch])
        idx = np.asarray(batch)
        if idx.ndim != 1 or idx.size == 0 or idx.dtype.kind not in "iu":
            raise ValueError(f"batch must be an example index or a non-empty 1-D array of them, got {batch!r}")
        if idx.min() < 0:
            raise ValueError(f"batch indices must lie in [0, {self.n - 1}], got {idx.min()}")
        try:
            return self.x[idx], self.y[idx]
        except IndexError:
            raise ValueError(f"batch indices must lie in [0, {self.n - 1}], got {idx.max()}") from None

    # ------------------------------------------------------------ per example

    def residuals(self, theta, batch=None) -> np.ndarray:
        """rᵢ = w·xᵢ + b − yᵢ for the examples in `batch` (all if None): shape (..., batch size)."""
        t = self._theta(theta)
        x, y = self._data(batch)
        return t[..., 0:1] * x + t[..., 1:2] - y

    def losses(self, theta) -> np.ndarray:
        """Every per-example cost fᵢ(θ) = ½·rᵢ²: shape (..., n)."""
        return 0.5 * self.residuals(theta) ** 2

    def gradients(self, theta) -> np.ndarray:
        """Every per-example gradient ∇fᵢ(θ) = rᵢ·(xᵢ, 1): shape (..., n, 2)."""
        r = self.residuals(theta)
        return np.stack([r * self.x, r], axis=-1)

    # ------------------------------------------------------------ the cost and its derivatives

    def cost(self, theta) -> np.ndarray:
        """J(θ) = mean ½·rᵢ², one value per point θ (any leading shape: a path, a grid)."""
        return np.mean(self.losses(theta), axis=-1)

    def excess_loss(self, theta) -> np.ndarray:
        """J(θ) − J* = ½·(θ−θ*)ᵀH(θ−θ*), any leading shape; exact, without the cancellation of J − J*."""
        d = self._theta(theta) - self.minimizer
        return 0.5 * np.einsum("...i,ij,...j->...", d, self.hessian, d)

    def grad(self, theta, batch=None) -> np.ndarray:
        """∇J(θ) = (mean(r·x), mean(r)), same shape as θ (any leading shape) when `batch` is None.

        With `batch` (one example index, or an index array, repeats allowed) θ must be one point
        and the result is the mean of ∇fᵢ(θ) over that batch: the mini-batch gradient.
        """
        if batch is None:  # ∇J = Hθ − v from the data's moments: cheap for stacks, equal up to rounding
            if np.shape(theta) == (2,):
                return self.hessian @ np.array(self._pair(theta)) - self._v
            return self._theta(theta) @ self.hessian - self._v  # H is symmetric
        w, b = self._pair(theta)
        x, y = self._data(batch)
        r = w * x + b - y
        return np.array([np.dot(r, x), r.sum()]) / r.size

    def gradient_spread(self, theta) -> float:
        """σ = √(mean ‖∇fᵢ(θ) − ∇J(θ)‖²): how far one sampled gradient lies from ∇J, typically.

        The mean of B gradients drawn uniformly with replacement lies σ/√B from ∇J (root mean square).
        """
        g = self.gradients(self._pair(theta))
        return float(np.sqrt(np.mean(np.sum((g - g.mean(axis=0)) ** 2, axis=1))))

    def __repr__(self) -> str:
        return f"LinearRegression(n={self.n}, minimizer=({self.minimizer[0]:.4g}, {self.minimizer[1]:.4g}))"


def regression_data(n: int = 20, seed: int = 0, w: float = 1.5, b: float = 2.0,
                    noise: float = 0.6, x_max: float = 4.0, *, x_min: float = 0.0) -> LinearRegression:
    """A seeded dataset: x uniform on [x_min, x_max] (sorted), y = w·x + b + noise·ε, ε standard normal.

    The defaults are the small set of notebooks 04–05; notebooks 06–07 draw 2000 points
    (`stochastic.sgd_data`). The same arguments give the same data.
    """
    n = whole("n", n, 2)
    w, b = float(finite("w", w)), float(finite("b", b))
    noise = float(finite("noise", noise))
    if noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    x_min, x_max = float(finite("x_min", x_min)), float(finite("x_max", x_max))
    if not x_min < x_max:
        raise ValueError(f"x_min must be < x_max, got x_min={x_min!r}, x_max={x_max!r}")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(x_min, x_max, n))
    return LinearRegression(x, w * x + b + noise * rng.standard_normal(n))
