"""Which examples each step of stochastic or mini-batch gradient descent looks at."""
from __future__ import annotations

from typing import Iterator

import numpy as np

from .validate import whole


def minibatches(n: int, batch_size: int, epochs: int, seed: int | None = 0, *,
                replace: bool = False) -> Iterator[np.ndarray]:
    """Yield index arrays for `epochs` passes over `n` examples, `batch_size` at a time.

    Without replacement (the default) each epoch is a fresh shuffle cut into consecutive
    batches (the last one may be smaller), so every example is visited exactly once per
    epoch. With `replace=True` each batch is drawn uniformly at random, as in the textbook
    definition of SGD ("sample i at uniform"), n // batch_size batches per epoch (at least 1).
    The same seed gives the same batches.
    """
    n, batch_size, epochs = whole("n", n, 1), whole("batch_size", batch_size, 1), whole("epochs", epochs, 0)
    if batch_size > n:
        raise ValueError(f"batch_size must be <= n = {n}, got {batch_size}")
    rng = np.random.default_rng(seed)
    for _ in range(epochs):
        if replace:
            for _ in range(max(1, n // batch_size)):
                yield rng.integers(0, n, size=batch_size)
        else:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                yield order[start:start + batch_size]


def batches_per_epoch(n: int, batch_size: int, replace: bool = False) -> int:
    """How many steps one epoch of `minibatches` takes."""
    return max(1, n // batch_size) if replace else -(-n // batch_size)
