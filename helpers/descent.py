"""Gradient descent, the whole algorithm: x ← x − α·∇f(x), repeated, with its path kept;
and the optimizers built on it (notebook 14): momentum, Nesterov, RMSProp and Adam.

One routine serves every notebook: full-batch (notebooks 04–05), mini-batch and stochastic
(notebooks 06–07, pass `batches`) and network training (notebook 11). A run that diverges stops
and says at which step, so a plot of the path never contains NaN or infinity.

Every optimizer here is one loop, `_descend`: x ← x − α·d, where d is the gradient for plain
descent and a *direction rule* (a few lines each, below) for the others. The rules follow the
update equations documented for PyTorch's `torch.optim.SGD` (momentum, dampening 0, nesterov),
`torch.optim.RMSprop` (not centered, no momentum) and `torch.optim.Adam` (no weight decay, no
amsgrad), so a learner's numbers match the framework's. A rule works elementwise, so it also
serves a stack of runs at once (`helpers.momentum.sweep`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np

from .validate import finite, positive, whole


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


def _fraction(name: str, value) -> float:
    """`value` as a float in [0, 1) (a decay factor such as β, ρ, β₁, β₂), else ValueError."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}") from None
    if not 0.0 <= v < 1.0:  # also rejects NaN
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return v


def _descend(grad: Callable, x0, lr, steps: int, direction: Callable | None, bound: float,
             batches: Iterable | None = None) -> DescentResult:
    """The loop every optimizer shares: x ← x − lr·direction(grad(x), t) for t = 1 … steps
    (the gradient itself when `direction` is None), stopping as diverged when an iterate has an
    entry beyond ±`bound` or is not finite (that iterate is not kept)."""
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
            g = np.asarray(g, dtype=float)
            x = x - _learning_rate(lr, step) * (g if direction is None else direction(g, step + 1))
        if not np.abs(x).max() <= bound:  # also catches NaN and inf, in one reduction
            return DescentResult(np.array(path), step + 1)
        path.append(x.copy())
    return DescentResult(np.array(path), None)


def gradient_descent(grad: Callable, x0, lr: float | Callable[[int], float], steps: int, *,
                     batches: Iterable | None = None, bound: float = 1e8) -> DescentResult:
    """Take up to `steps` steps x ← x − lr·grad(x) from `x0`; return the path.

    `lr` is a number or a schedule `lr(step)` (step counts from 0). With `batches` (an
    iterable of index arrays, one per step, e.g. from `sgd.minibatches`), the gradient is
    `grad(x, batch)`: stochastic or mini-batch descent with the same loop. The run stops as
    diverged when an iterate has an entry beyond ±`bound` or is not finite.
    """
    return _descend(grad, x0, lr, steps, None, bound, batches)


# ---------------------------------------------------------------- direction rules
# A rule is made fresh for each run (it keeps the run's running averages) and is called as
# rule(g, t) with the gradient g at step t = 1, 2, …; the step is x ← x − lr·rule(g, t).


def momentum_rule(beta: float, nesterov: bool = False) -> Callable:
    """Heavy ball (PyTorch's SGD with momentum μ = β, dampening 0): b_t = β·b_{t−1} + g_t with
    b_1 = g_1; the step follows b_t, or g_t + β·b_t with Nesterov's look-ahead."""
    beta = _fraction("beta", beta)
    b = 0.0  # so b_1 = β·0 + g_1 = g_1

    def direction(g, t):
        nonlocal b
        b = beta * b + g
        return g + beta * b if nesterov else b
    return direction


def rmsprop_rule(rho: float = 0.99, eps: float = 1e-8) -> Callable:
    """RMSProp (PyTorch's RMSprop, alpha = ρ): v_t = ρ·v_{t−1} + (1 − ρ)·g², v_0 = 0; the step
    follows g/(√v_t + ε), each coordinate divided by the size of its recent gradients."""
    rho, eps = _fraction("rho", rho), positive("eps", eps)
    v = 0.0

    def direction(g, t):
        nonlocal v
        v = rho * v + (1 - rho) * g * g
        return g / (np.sqrt(v) + eps)
    return direction


def adam_rule(betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, *,
              bias_correction: bool = True) -> Callable:
    """Adam (PyTorch's Adam): m_t = β₁·m + (1 − β₁)·g, v_t = β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁ᵗ),
    v̂ = v/(1 − β₂ᵗ); the step follows m̂/(√v̂ + ε). `bias_correction=False` drops the two
    divisions (not PyTorch's Adam: it shows what the correction is for)."""
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (β₁, β₂), got {betas!r}") from None
    beta1, beta2, eps = _fraction("betas[0]", beta1), _fraction("betas[1]", beta2), positive("eps", eps)
    m = v = 0.0

    def direction(g, t):
        nonlocal m, v
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat, v_hat = (m / (1 - beta1**t), v / (1 - beta2**t)) if bias_correction else (m, v)
        return m_hat / (np.sqrt(v_hat) + eps)
    return direction


# ---------------------------------------------------------------- the optimizers


def momentum_descent(grad: Callable, x0, lr: float | Callable[[int], float], beta: float, steps: int, *,
                     nesterov: bool = False, bound: float = 1e8) -> DescentResult:
    """Heavy-ball momentum: b ← β·b + ∇f(x), x ← x − lr·b (b starts at 0), as PyTorch's
    `SGD(momentum=beta, dampening=0, nesterov=nesterov)`; β = 0 is plain gradient descent."""
    return _descend(grad, x0, lr, steps, momentum_rule(beta, nesterov), bound)


def rmsprop(grad: Callable, x0, lr: float | Callable[[int], float], steps: int, *,
            rho: float = 0.99, eps: float = 1e-8, bound: float = 1e8) -> DescentResult:
    """RMSProp: x ← x − lr·g/(√v + ε) with v the running mean of g² (decay ρ), as PyTorch's
    `RMSprop(alpha=rho, eps=eps)`."""
    return _descend(grad, x0, lr, steps, rmsprop_rule(rho, eps), bound)


def adam(grad: Callable, x0, lr: float | Callable[[int], float], steps: int, *,
         betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, bound: float = 1e8,
         bias_correction: bool = True) -> DescentResult:
    """Adam: x ← x − lr·m̂/(√v̂ + ε), running means of g and g² corrected for starting at 0, as
    PyTorch's `Adam(betas=betas, eps=eps)`. Each step moves each coordinate by about lr."""
    return _descend(grad, x0, lr, steps, adam_rule(betas, eps, bias_correction=bias_correction), bound)
