"""Grader for one example's back-propagation (contract id "backprop.gradients").

The network: h = σ(W1 x + b1), y = σ(W2 h + b2), E = ½ Σ (t − y)², a sigmoid on both layers.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function

NAMES = ("dW1", "db1", "dW2", "db2")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _backprop(W1, b1, W2, b2, x, t, *, out_deriv=True, hidden_deriv=True, sign=1.0, back_with_W2=False):
    h = _sigmoid(W1 @ x + b1)
    y = _sigmoid(W2 @ h + b2)
    d_out = sign * (y - t) * (y * (1 - y) if out_deriv else 1.0)
    d_hid = ((W2 @ d_out) if back_with_W2 else (W2.T @ d_out)) * (h * (1 - h) if hidden_deriv else 1.0)
    return np.outer(d_hid, x), d_hid, np.outer(d_out, h), d_out


def _transposed(which):
    def wrong(*args):
        dW1, db1, dW2, db2 = _backprop(*args)
        return (dW1.T if "1" in which else dW1), db1, (dW2.T if "2" in which else dW2), db2
    return wrong


def _network(n_in, n_hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n_hidden, n_in)), rng.normal(size=n_hidden) * 0.5,
            rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out) * 0.5,
            rng.uniform(-1, 1, size=n_in), rng.uniform(0, 1, size=n_out))


_INPUTS = [
    (_network(2, 2, 2, seed=1), "2 inputs, 2 hidden, 2 outputs (seed 1)"),
    (_network(3, 4, 2, seed=2), "3 inputs, 4 hidden, 2 outputs (seed 2): W1 is 4×3, W2 is 2×4"),
    (_network(2, 3, 1, seed=3), "2 inputs, 3 hidden, 1 output (seed 3)"),
    (_network(4, 2, 3, seed=4), "4 inputs, 2 hidden, 3 outputs (seed 4)"),
]
CASES = [Case(args, _backprop(*args), label) for args, label in _INPUTS]

_T_HINT = ("dW[i, j] is the gradient of W[i, j], which connects input j to unit i: "
           "dW = np.outer(delta, input), with the shape of W.")
MISTAKES = [
    Mistake("the sigmoid derivative y·(1 − y) missing at the output layer",
            lambda *a: _backprop(*a, out_deriv=False),
            "δ at the output is (y − t) · y · (1 − y): the error's slope times the sigmoid's slope."),
    Mistake("the sigmoid derivative h·(1 − h) missing at the hidden layer",
            lambda *a: _backprop(*a, hidden_deriv=False),
            "δ at the hidden layer is (W2ᵀ δ_out) · h · (1 − h): the hidden sigmoid has a slope too."),
    Mistake("the sigmoid derivatives missing at both layers",
            lambda *a: _backprop(*a, out_deriv=False, hidden_deriv=False),
            "Each sigmoid contributes its slope σ(z)(1 − σ(z)) = y(1 − y) to the chain."),
    Mistake("the sign of the error flipped (t − y instead of y − t)", lambda *a: _backprop(*a, sign=-1.0),
            "∂E/∂y for E = ½ Σ (t − y)² is y − t; your gradients point the wrong way."),
    Mistake("W2 instead of its transpose W2ᵀ in the hidden layer's δ", lambda *a: _backprop(*a, back_with_W2=True),
            "Going back, the output δ's are spread over the hidden units by W2ᵀ: δ_hid = (W2.T @ δ_out)·h·(1 − h). "
            "(With a non-square W2, W2 @ δ_out does not even have the right shape.)"),
    Mistake("the weight gradients transposed", _transposed("12"), _T_HINT),
    Mistake("the gradient of W1 transposed", _transposed("1"), _T_HINT),
    Mistake("the gradient of W2 transposed", _transposed("2"), _T_HINT),
]


@register("backprop.gradients", "gradients(W1, b1, W2, b2, x, t) -> (dW1, db1, dW2, db2) for a sigmoid 2-layer net")
def grade_gradients(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, output_names=NAMES, rtol=1e-6, atol=1e-10,
                          hint="Forward: h = σ(W1 @ x + b1), y = σ(W2 @ h + b2). Backward: δ_out = (y − t)·y·(1 − y), "
                               "δ_hid = (W2.T @ δ_out)·h·(1 − h); dW2 = np.outer(δ_out, h), dW1 = np.outer(δ_hid, x).")
