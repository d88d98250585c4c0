"""A small seeded dataset for notebook 12 and its training / validation / test split. numpy only."""
from __future__ import annotations

import numpy as np

from .validate import whole


def true_curve(x):
    """The noiseless relation behind `noisy_curve`: a smooth S-shaped wave between 0.2 and 0.8."""
    x = np.asarray(x, dtype=float)
    return 0.5 + 0.25 * np.sin(2.5 * x) + 0.05 * x


def noisy_curve(n: int, noise: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n examples (x, t): x uniform in [−1, 1], t = true_curve(x) + N(0, noise²), kept inside
    (0.01, 0.99) where a sigmoid output can reach. Shapes (n, 1) and (n, 1). Seeded."""
    n = whole("n", n, 1)
    if not (np.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n)
    t = np.clip(true_curve(x) + noise * rng.normal(size=n), 0.01, 0.99)
    return x[:, None], t[:, None]


def train_validation_split(n: int, fraction: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shuffle indices 0…n−1 and hold out round(fraction·n) of them for validation.

    Returns ``(train_idx, validation_idx)``: disjoint, together all n, each sorted and non-empty;
    the same seed gives the same split.
    """
    n = whole("n", n, 2)
    try:
        fraction = float(fraction)
    except (TypeError, ValueError):
        raise ValueError(f"fraction must be a number strictly between 0 and 1, got {fraction!r}") from None
    if not 0 < fraction < 1:
        raise ValueError(f"fraction must be strictly between 0 and 1, got {fraction!r}")
    n_val = int(round(fraction * n))
    if not 1 <= n_val <= n - 1:
        raise ValueError(f"fraction {fraction} of n = {n} leaves {n_val} validation and {n - n_val} "
                         f"training examples; both need at least one")
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def train_validation_test_split(n: int, n_validation: int, n_test: int,
                                seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle indices 0…n−1 and deal out `n_test` for a held-out test set, then `n_validation`
    for validation; the rest train. The test set takes no part in training or in choosing when
    to stop: it is looked at once, for the final figure.

    Returns ``(train_idx, validation_idx, test_idx)``: disjoint, together all n, each sorted and
    non-empty; the same seed gives the same split.
    """
    n = whole("n", n, 3)
    n_validation, n_test = whole("n_validation", n_validation, 1), whole("n_test", n_test, 1)
    if n_validation + n_test > n - 1:
        raise ValueError(f"n_validation = {n_validation} and n_test = {n_test} leave "
                         f"{n - n_validation - n_test} of n = {n} examples for training; it needs at least one")
    order = np.random.default_rng(seed).permutation(n)
    test, val, train = np.split(order, [n_test, n_test + n_validation])
    return np.sort(train), np.sort(val), np.sort(test)
