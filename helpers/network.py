"""A fully connected network with a sigmoid after every layer: forward pass and back-propagation.

Shapes: ``weights[l]`` is ``(n_out, n_in)``, ``biases[l]`` is ``(n_out,)``, a batch ``X`` is
``(batch, n_in)``, targets ``T`` are ``(batch, n_out)``. The error is the article's
E = Σ ½(t − y)² per example, averaged over the batch. numpy only, float64.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^(−z)), written as ½(1 + tanh(z/2)) so large |z| cannot overflow."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _finite_array(name: str, value, ndim: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity")
    return arr


def _check(weights: Sequence, biases: Sequence, X, T=None):
    if len(weights) == 0 or len(weights) != len(biases):
        raise ValueError(f"weights and biases must be non-empty lists of equal length, "
                         f"got {len(weights)} and {len(biases)}")
    Ws = [_finite_array(f"weights[{l}]", w, 2) for l, w in enumerate(weights)]
    bs = [_finite_array(f"biases[{l}]", b, 1) for l, b in enumerate(biases)]
    for l, (W, b) in enumerate(zip(Ws, bs)):
        if b.shape != (W.shape[0],):
            raise ValueError(f"biases[{l}] must have shape ({W.shape[0]},) to match weights[{l}] "
                             f"of shape {W.shape}, got {b.shape}")
        if l > 0 and W.shape[1] != Ws[l - 1].shape[0]:
            raise ValueError(f"weights[{l}] takes {W.shape[1]} inputs but layer {l - 1} has "
                             f"{Ws[l - 1].shape[0]} units")
    X = _finite_array("X", X, 2)
    if X.shape[0] == 0:
        raise ValueError("X is an empty batch: it needs at least one example (row)")
    if X.shape[1] != Ws[0].shape[1]:
        raise ValueError(f"X has {X.shape[1]} features per example but weights[0] takes {Ws[0].shape[1]}")
    if T is not None:
        T = _finite_array("T", T, 2)
        if T.shape != (X.shape[0], Ws[-1].shape[0]):
            raise ValueError(f"T must have shape {(X.shape[0], Ws[-1].shape[0])} (batch, n_out), got {T.shape}")
    return Ws, bs, X, T


def forward(weights: Sequence, biases: Sequence, X) -> list[np.ndarray]:
    """Activations of every layer, input first: ``[X, σ(X·W₀ᵀ + b₀), …]``."""
    Ws, bs, X, _ = _check(weights, biases, X)
    return _forward(Ws, bs, X)


def _forward(Ws, bs, X) -> list[np.ndarray]:
    activations = [X]
    for W, b in zip(Ws, bs):
        activations.append(sigmoid(activations[-1] @ W.T + b))
    return activations


def loss_and_gradients(weights: Sequence, biases: Sequence, X, T):
    """Return ``(E, dW, db)``: the batch-mean error and its gradient for every weight and bias.

    Back-propagation, one layer at a time from the output:
    δ = ∂E/∂net of a layer, starting from (y − t)·y(1 − y) at the output;
    ∂E/∂W = δᵀ·a_prev, ∂E/∂b = Σ δ, and δ_prev = (δ·W)·a_prev(1 − a_prev).
    """
    Ws, bs, X, T = _check(weights, biases, X, T)
    acts = _forward(Ws, bs, X)  # already checked
    batch = X.shape[0]
    Y = acts[-1]
    E = float(np.sum(0.5 * (T - Y) ** 2) / batch)
    delta = (Y - T) * Y * (1 - Y) / batch          # ∂E/∂net at the output, (batch, n_out)
    dW, db = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        a_prev = acts[l]
        dW[l] = delta.T @ a_prev                   # (n_out, n_in)
        db[l] = delta.sum(axis=0)                  # (n_out,)
        if l > 0:
            delta = (delta @ Ws[l]) * a_prev * (1 - a_prev)
    return E, dW, db


def article_network() -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray, np.ndarray]:
    """The article's 2-2-2 example as ``(weights, biases, x, t)``, ready for `loss_and_gradients`.

    ``weights[0] = [[w1, w2], [w3, w4]]`` (hidden), ``weights[1] = [[w5, w6], [w7, w8]]`` (output);
    the article shares one bias per layer (b1 = 0.05, b2 = 0.42), given here per unit. The article
    omits w3, w4, w7, w8: these are the simplest two-decimal values that reproduce every number it
    prints (the search is in `helpers.article_example` and notebook 09). Fresh arrays on each call.
    """
    weights = [np.array([[0.10, 0.15], [0.00, 0.39]]), np.array([[0.18, 0.06], [-0.39, 0.78]])]
    biases = [np.array([0.05, 0.05]), np.array([0.42, 0.42])]
    return weights, biases, np.array([[0.95, 0.06]]), np.array([[0.05, 0.82]])
