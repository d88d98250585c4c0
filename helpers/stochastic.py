"""Stochastic and mini-batch gradient descent on a cost that is an average over examples
(notebooks 06 and 07).

The model is the course's one linear regression (`regression.LinearRegression`, cost
J = mean ½·(w·x + b − y)²); this module adds the 2000-point dataset of notebooks 06–07, the
statistics of sampled gradients, learning-rate schedules, the seeded mini-batch run both the
notebooks and the interactive figure use, and the numbers measured on its path (how noisy,
how settled, how much work), so a notebook can assert on them without asking a figure.
Math only (numpy).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .descent import DescentResult, gradient_descent
from .regression import LinearRegression, regression_data
from .sgd import batches_per_epoch, minibatches
from .validate import finite, positive, whole

STEPS = 120  # updates per run of the interactive figure, whatever the batch size
TAIL = 30  # how many of the last iterates `tail_rms` looks at, by default


def sgd_data(n: int = 2000, seed: int = 0) -> LinearRegression:
    """The dataset of notebooks 06–07: n points around the line y = 2x − 1, x uniform on [−1, 2],
    noise of size 1; seeded."""
    return regression_data(n, seed, w=2.0, b=-1.0, noise=1.0, x_min=-1.0, x_max=2.0)


def sampled_mean_errors(gradients, sizes, trials: int, seed: int = 0) -> np.ndarray:
    """For each B in `sizes`: average B rows of `gradients` drawn uniformly with replacement,
    `trials` times; return the root-mean-square distance of those averages from the mean row."""
    g = finite("gradients", gradients)
    if g.ndim != 2 or g.shape[0] < 1:
        raise ValueError(f"gradients must be a 2-D array (examples, parameters), got shape {g.shape}")
    trials = whole("trials", trials, 1)
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


def schedule(lr: float, decay: bool, steps: int = STEPS):
    """The interactive figure's learning rate: constant `lr`, or `inverse_decay(lr, steps/8)`."""
    return inverse_decay(lr, steps / 8) if decay else positive("lr", lr)


def evaluations_after_each_step(n: int, batch_size: int, steps: int) -> np.ndarray:
    """Per-example gradients evaluated after steps 1 … `steps` of shuffled-epoch mini-batches
    (each epoch's last batch holds what is left of the n examples, so it may be smaller)."""
    n, B, steps = whole("n", n, 1), whole("batch_size", batch_size, 1), whole("steps", steps, 0)
    per_epoch = batches_per_epoch(n, B)
    sizes = np.full(per_epoch, B)
    sizes[-1] = n - B * (per_epoch - 1)
    return np.cumsum(np.tile(sizes, -(-steps // per_epoch)))[:steps]


def minibatch_run(problem: LinearRegression, start, batch_size: int | None, lr, steps: int = STEPS,
                  seed: int = 0, *, replace: bool = False) -> DescentResult:
    """`steps` steps of mini-batch descent from `start` with batches of `batch_size` from
    `sgd.minibatches` (shuffled epochs, or with replacement), as many epochs as that takes;
    `batch_size=None` is full-batch descent. `lr` is a number or a schedule lr(k)."""
    if batch_size is None:
        return gradient_descent(problem.grad, start, lr, steps)
    B = whole("batch_size", batch_size, 1)
    epochs = -(-whole("steps", steps, 0) // batches_per_epoch(problem.n, B, replace))
    return gradient_descent(problem.grad, start, lr, steps,
                            batches=minibatches(problem.n, B, epochs, seed=seed, replace=replace))


def rms_distance(path, target) -> float:
    """√(mean over k of ‖path[k] − target[k]‖²): `target` one point (θ*) or a path of the same shape."""
    d = finite("path", path) - finite("target", target)
    if d.ndim != 2:
        raise ValueError(f"path must have shape (steps, parameters), got {np.shape(path)}")
    return float(np.sqrt(np.mean(np.sum(d * d, axis=1))))


def tail_rms(path, minimizer, tail: int = TAIL) -> float:
    """How settled a run is: the RMS distance of its last `tail` iterates from the minimizer."""
    tail = whole("tail", tail, 1)
    return rms_distance(np.asarray(path)[-tail:], minimizer)


def path_noise(path, reference) -> float:
    """How noisy a stochastic path is: its RMS distance, step by step, from the full-batch path
    `reference` taken with the same learning rate (both start at the same point)."""
    path, reference = np.asarray(path), np.asarray(reference)
    if path.shape != reference.shape:
        raise ValueError(f"path and reference must have the same shape, got {path.shape} and {reference.shape}")
    return rms_distance(path, reference)


def work_to_reach(excess, work, level: float) -> int | None:
    """The work (gradient evaluations, `work[k]` after step k) spent when `excess[k]` = J − J*
    first drops below `level`; None if it never does."""
    below = np.nonzero(np.asarray(excess) < level)[0]
    return int(np.asarray(work)[below[0]]) if below.size else None


def stationary_covariance(hessian, gradient_covariance, lr: float) -> np.ndarray:
    """The covariance S where constant-rate SGD near the minimum of a quadratic settles.

    The deviation d = θ − θ* moves as d ← (I − αH)·d − α·ξ, with ξ a random per-example gradient
    at θ* (mean 0, covariance C). Its covariance then moves as S ← A·S·A + α²·C with A = I − αH;
    S stops changing where S = A·S·A + α²·C, a linear system in the entries of S (solved here;
    it has a solution when every |1 − α·λ| < 1, λ the eigenvalues of H).
    """
    H, C, lr = finite("hessian", hessian), finite("gradient_covariance", gradient_covariance), positive("lr", lr)
    d = H.shape[0]
    if H.shape != (d, d) or C.shape != (d, d):
        raise ValueError(f"hessian and gradient_covariance must be square of the same size, got {H.shape}, {C.shape}")
    A = np.eye(d) - lr * H
    if np.max(np.abs(np.linalg.eigvals(A))) >= 1:
        raise ValueError(f"lr = {lr:g} is too large: |1 − α·λ| ≥ 1 for an eigenvalue λ of H, the spread grows")
    return np.linalg.solve(np.eye(d * d) - np.kron(A, A), lr * lr * C.ravel()).reshape(d, d)
