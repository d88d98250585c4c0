"""How curved a cost is at a point: the Hessian by finite differences of the gradient, and its
largest eigenvalue λ_max, which sets the largest stable learning rate 2/λ_max. numpy only."""
from __future__ import annotations

from typing import Callable

import numpy as np

from .validate import finite, positive


def hessian(grad: Callable, x, h: float = 1e-5) -> np.ndarray:
    """The Hessian of f at x from central differences of its gradient, column by column, symmetrized."""
    x = finite("x", x).ravel()
    h = positive("h", h)
    H = np.empty((x.size, x.size))
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        H[:, i] = (np.asarray(grad(x + e)) - np.asarray(grad(x - e))) / (2 * h)
    return (H + H.T) / 2


def largest_eigenvalue(grad: Callable, x, h: float = 1e-5) -> float:
    """λ_max of the Hessian at x. Near x, plain gradient descent is stable for α < 2/λ_max."""
    return float(np.linalg.eigvalsh(hessian(grad, x, h))[-1])
