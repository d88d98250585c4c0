"""Graders for notebook 13 (initialisation and vanishing gradients).

* "initialisation.init_std": `init_std(n_in, n_out, activation) -> float`, the standard
  deviation of a layer's starting weights: He's √(2/n_in) for "relu", Glorot/Xavier's
  √(2/(n_in + n_out)) for "tanh" and "sigmoid".
* "initialisation.backward_norms": `backward_norms(weights, slopes, g_top) -> array` of
  ‖∂L/∂h_l‖ for l = 0 (the input) … depth (the top), back-propagating g_top through
  layers h_l = φ(h_{l−1}·W_lᵀ): δ_l = g_l ⊙ φ'(z_l), g_{l−1} = δ_l·W_l.
"""
from __future__ import annotations

import math

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function


def _xavier(n_in, n_out):
    return math.sqrt(2.0 / (n_in + n_out))


def _std(n_in, n_out, activation, *, he=lambda i, o: math.sqrt(2.0 / i), xavier=_xavier):
    return he(n_in, n_out) if activation == "relu" else xavier(n_in, n_out)


_STD_INPUTS = [(100, 100, "relu"), (100, 100, "tanh"), (784, 256, "tanh"), (256, 64, "relu"), (3, 5, "sigmoid")]
STD_CASES = [Case(a, _std(*a), f"n_in = {a[0]}, n_out = {a[1]}, activation = {a[2]!r}") for a in _STD_INPUTS]
STD_MISTAKES = [
    Mistake("the variance instead of the standard deviation (no square root)",
            lambda i, o, a: _std(i, o, a) ** 2, "The rules give the variance 2/n_in or 2/(n_in + n_out); the std is its square root."),
    Mistake("He's rule with n_out instead of n_in", lambda i, o, a: _std(i, o, a, he=lambda i, o: math.sqrt(2.0 / o)),
            "He counts the inputs of a unit (fan-in): √(2 / n_in)."),
    Mistake("Xavier's rule for every activation", lambda i, o, a: _xavier(i, o),
            "ReLU switches off about half of its inputs, so it needs twice the variance: He's √(2 / n_in)."),
    Mistake("He's rule for every activation", lambda i, o, a: math.sqrt(2.0 / i),
            "For tanh and sigmoid use Glorot/Xavier: √(2 / (n_in + n_out))."),
    Mistake("1/√n_in (LeCun's rule) for every activation", lambda i, o, a: 1 / math.sqrt(i),
            "Both rules have a 2 in them: √(2 / n_in) for relu, √(2 / (n_in + n_out)) otherwise."),
]


@register("initialisation.init_std", "init_std(n_in, n_out, activation) -> float: He for relu, Xavier for tanh/sigmoid")
def grade_init_std(answer) -> Feedback:
    return check_function(answer, STD_CASES, mistakes=STD_MISTAKES, rtol=1e-9, atol=0.0,
                          hint="relu: math.sqrt(2 / n_in); tanh or sigmoid: math.sqrt(2 / (n_in + n_out)).")


def _backward(weights, slopes, g_top, *, slope=True, transpose=False, top_first=False, with_top=True):
    g = np.asarray(g_top, float)
    norms = [np.linalg.norm(g)] if with_top else []
    for W, d in zip(weights[::-1], slopes[::-1]):
        delta = g * d if slope else g
        g = delta @ (W.T if transpose else W)
        norms.append(np.linalg.norm(g))
    return np.array(norms if top_first else norms[::-1])


def _net(sizes, batch, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    Ws = [scale * rng.standard_normal((o, i)) / math.sqrt(i) for i, o in zip(sizes[:-1], sizes[1:])]
    slopes = [rng.uniform(0.0, 1.0, (batch, o)) for o in sizes[1:]]
    return Ws, slopes, rng.standard_normal((batch, sizes[-1]))


_NORM_INPUTS = [(([3, 3, 3], 2, 1), "2 layers of width 3, batch 2 (seed 1)"),
                (([4, 4, 4, 4, 4], 5, 2), "4 layers of width 4, batch 5 (seed 2)"),
                (([5, 3, 2], 4, 3), "layers 5 → 3 → 2, batch 4 (seed 3): W_1 is 3×5, W_2 is 2×3"),
                (([2, 2], 1, 4), "one layer of width 2, one example (seed 4)")]
NORM_CASES = [Case(_net(*a), _backward(*_net(*a)), label) for a, label in _NORM_INPUTS]
NORM_MISTAKES = [
    Mistake("the activation's slope φ′ left out", lambda *a: _backward(*a, slope=False),
            "Multiply by the layer's slope first: δ_l = g_l * slopes[l], then g_(l−1) = δ_l @ W_l."),
    Mistake("the weights transposed (δ @ W.T instead of δ @ W)", lambda *a: _backward(*a, transpose=True),
            "h_l = φ(h_(l−1) @ W_l.T), so going back is δ_l @ W_l: W has shape (n_out, n_in)."),
    Mistake("the norms listed top first", lambda *a: _backward(*a, top_first=True),
            "Return them input first: index 0 is ‖∂L/∂h_0‖, the last one the top's ‖g_top‖."),
    Mistake("the top layer's own norm ‖g_top‖ missing", lambda *a: _backward(*a, with_top=False),
            "depth layers have depth + 1 outputs h_0 … h_depth: include ‖g_top‖ at the end."),
]


@register("initialisation.backward_norms", "backward_norms(weights, slopes, g_top) -> the gradient's norm at every layer, input first")
def grade_backward_norms(answer) -> Feedback:
    return check_function(answer, NORM_CASES, mistakes=NORM_MISTAKES, rtol=1e-9, atol=1e-12,
                          hint="Start with g = g_top; for each layer from the top: δ = g * slope, g = δ @ W. "
                               "Collect np.linalg.norm(g) at each level, input first.")
