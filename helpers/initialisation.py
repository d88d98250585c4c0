"""Where training starts: symmetric (all-zero) starts, and gradient sizes layer by layer.

Two questions, numpy only:

* **Symmetry.** `train` runs full-batch gradient descent on a sigmoid network
  (`helpers.network`) and keeps every epoch's weights; `unit_gap` measures how different two
  hidden units are. From all-zero weights every hidden unit gets the same gradient, so they
  stay identical forever: the layer acts as one unit. Random starting weights break the tie.
* **Vanishing and exploding gradients.** `DeepProbe` holds one seeded deep network of equal
  width; `DeepProbe.gradients(depth, activation, scale)` back-propagates through its first
  `depth` layers with weights ``scale · N(0, 1)/√n`` and returns the gradient's size at every
  layer. Each layer multiplies the gradient by Wᵀ and by the activation's slope, so depth turns
  a factor a little below or above 1 into a vanishing or exploding one.
  ``scale = 1`` is Glorot/Xavier's choice for square layers, ``√2`` is He's for ReLU.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .network import loss_and_gradients, sigmoid


def _sigmoid(z):
    s = sigmoid(z)
    return s, s * (1.0 - s)


def _tanh(z):
    t = np.tanh(z)
    return t, 1.0 - t * t


def _relu(z):
    return np.maximum(z, 0.0), (z > 0).astype(float)


# name → (function returning (φ(z), φ'(z)), the largest slope φ' can have)
ACTIVATIONS = {"sigmoid": (_sigmoid, 0.25), "tanh": (_tanh, 1.0), "relu": (_relu, 1.0)}


def xavier_std(n_in: int, n_out: int) -> float:
    """Glorot & Bengio (2010): std √(2 / (n_in + n_out)) keeps signals' variance through tanh layers."""
    return math.sqrt(2.0 / (n_in + n_out))


def he_std(n_in: int) -> float:
    """He et al. (2015): std √(2 / n_in) makes up for ReLU switching off half its inputs."""
    return math.sqrt(2.0 / n_in)


def zero_network(sizes: list[int]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """All weights and biases 0: the article's "set it to 0" for a network of layer `sizes`."""
    return ([np.zeros((o, i)) for i, o in zip(sizes[:-1], sizes[1:])], [np.zeros(o) for o in sizes[1:]])


def random_network(sizes: list[int], std: float = 0.5, seed: int = 0):
    """Weights drawn from N(0, std²) (seeded), biases 0."""
    rng = np.random.default_rng(seed)
    return ([rng.normal(0.0, std, (o, i)) for i, o in zip(sizes[:-1], sizes[1:])], [np.zeros(o) for o in sizes[1:]])


@dataclass
class Training:
    """Every epoch's parameters (epoch 0 = the start) and error: ``weights[e][l]`` is layer l's
    weights after e epochs, ``errors[e]`` the batch-mean error E there."""

    weights: list[list[np.ndarray]]
    biases: list[list[np.ndarray]]
    errors: np.ndarray


def train(weights, biases, X, T, lr: float, epochs: int) -> Training:
    """Full-batch gradient descent p ← p − lr·∂E/∂p for `epochs` epochs (per-unit biases)."""
    Ws, bs = [np.array(w, float) for w in weights], [np.array(b, float) for b in biases]
    out = Training([Ws], [bs], np.zeros(epochs + 1))
    for e in range(epochs + 1):
        E, dW, db = loss_and_gradients(Ws, bs, X, T)
        out.errors[e] = E
        if e < epochs:
            Ws = [W - lr * g for W, g in zip(Ws, dW)]
            bs = [b - lr * g for b, g in zip(bs, db)]
            out.weights.append(Ws)
            out.biases.append(bs)
    return out


def unit_gap(weights: list[np.ndarray], layer: int = 0, units: tuple[int, int] = (0, 1)) -> float:
    """How different hidden units i and j of layer `layer` are: the largest difference between
    their incoming weights (rows of weights[layer]) and outgoing weights (columns of weights[layer + 1])."""
    i, j = units
    gap = np.max(np.abs(weights[layer][i] - weights[layer][j]))
    if layer + 1 < len(weights):
        gap = max(gap, np.max(np.abs(weights[layer + 1][:, i] - weights[layer + 1][:, j])))
    return float(gap)


@dataclass
class DeepGradients:
    """Gradient sizes in a deep network, layer by layer (layer 0 is the input, `depth` the top).

    ``signal[l]`` = ‖∂L/∂h_l‖, the gradient with respect to layer l's output (what
    back-propagation carries down), ``weights[l - 1]`` = ‖∂L/∂W_l‖ for l = 1…depth, and
    ``flat[l - 1]`` the share of layer l's units sitting where the activation's slope is below
    a tenth of its peak (saturated, or switched off for ReLU)."""

    signal: np.ndarray
    weights: np.ndarray
    flat: np.ndarray

    @property
    def ratio(self) -> float:
        """‖∂L/∂h_1‖ / ‖∂L/∂h_depth‖: how much of the top's gradient reaches the first layer."""
        return float(self.signal[1] / self.signal[-1])


def verdict(ratio: float) -> str:
    """'vanishing', 'exploding' or 'stable': whether the first layer gets less than 1/100 of the
    top layer's gradient, more than 100 times it, or something in between."""
    return "vanishing" if ratio < 1e-2 else "exploding" if ratio > 1e2 else "stable"


class DeepProbe:
    """One seeded deep network of `width` units per layer and a batch of inputs, for measuring
    gradients. The loss is a fixed random linear read-out of the top layer, L = mean over the
    batch of v·h_depth, so every depth and activation is measured against the same top."""

    KEEP = 8  # forward passes kept (activation, scale): a slider moving depth reuses one

    def __init__(self, max_depth: int = 50, width: int = 32, batch: int = 64, seed: int = 0):
        rng = np.random.default_rng(seed)
        self.max_depth, self.width = max_depth, width
        self.base = rng.standard_normal((max_depth, width, width)) / math.sqrt(width)  # N(0, 1/n)
        self.X = rng.standard_normal((batch, width))
        self.v = rng.standard_normal(width) / math.sqrt(width)
        self._forwards: dict = {}  # (activation, scale) → weights, outputs and slopes of the layers so far
        self._results: dict = {}   # (depth, activation, scale) → DeepGradients, for revisited settings

    def _forward(self, activation: str, scale: float, depth: int) -> tuple:
        """Weights, layer outputs and slopes through at least `depth` layers, for one activation
        and scale: a shallower network's forward pass is the start of a deeper one's (the same
        numbers), so a pass made before is extended, never redone."""
        key = (activation, scale)
        if key not in self._forwards:
            if len(self._forwards) >= self.KEEP:
                self._forwards.pop(next(iter(self._forwards)))  # the oldest
            self._forwards[key] = ([], [self.X], [])
        Ws, hs, slopes = self._forwards[key]
        phi = ACTIVATIONS[activation][0]
        for base in self.base[len(Ws):depth]:          # forward: keep weights, outputs and slopes
            Ws.append(scale * base)
            h, d = phi(hs[-1] @ Ws[-1].T)
            hs.append(h)
            slopes.append(d)
        return Ws, hs, slopes

    def gradients(self, depth: int, activation: str, scale: float) -> DeepGradients:
        """Back-propagate through layers h_l = φ(h_{l−1}·W_lᵀ) with W_l = scale · base_l.
        The result's arrays are read-only: a setting seen before returns the same object."""
        if not 1 <= depth <= self.max_depth:
            raise ValueError(f"depth must be between 1 and {self.max_depth}, got {depth!r}")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        key = (depth, activation, scale)
        if key in self._results:
            return self._results[key]
        peak = ACTIVATIONS[activation][1]
        Ws, hs, slopes = self._forward(activation, scale, depth)
        g = np.broadcast_to(self.v / len(self.X), hs[depth].shape)   # ∂L/∂h_depth
        signal, wgrad = np.zeros(depth + 1), np.zeros(depth)
        signal[depth] = np.linalg.norm(g)
        for l in range(depth - 1, -1, -1):             # backward: one layer per step
            delta = g * slopes[l]                      # ∂L/∂(pre-activation), (batch, width)
            wgrad[l] = np.linalg.norm(delta.T @ hs[l])  # ∂L/∂W = δᵀ·h_prev
            g = delta @ Ws[l]                          # ∂L/∂h_prev = δ·W
            signal[l] = np.linalg.norm(g)
        flat = np.array([np.mean(d < 0.1 * peak) for d in slopes[:depth]])
        for a in (signal, wgrad, flat):
            a.setflags(write=False)
        if len(self._results) >= 64 * self.KEEP:
            self._results.pop(next(iter(self._results)))  # the oldest
        self._results[key] = DeepGradients(signal, wgrad, flat)
        return self._results[key]

    def loss(self, weights: list[np.ndarray], activation: str, X=None) -> float:
        """L for explicit weights (and inputs): the forward pass alone, for finite-difference checks."""
        phi = ACTIVATIONS[activation][0]
        h = self.X if X is None else X
        for W in weights:
            h = phi(h @ W.T)[0]
        return float(np.mean(h @ self.v))
