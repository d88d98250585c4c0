"""Grader for notebook 09's forward pass ("backprop.forward_pass"), the step before the backward one.

The network: h = σ(W1 x + b1), y = σ(W2 h + b2), one bias per unit; W1 is (n_hidden, n_in),
W2 is (n_out, n_hidden), x is (n_in,). The learner returns both layers' outputs (h, y).
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function

NAMES = ("h", "y")


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _forward(W1, b1, W2, b2, x, *, hidden=True, output=True, transposed=False, biases=True):
    act = lambda z, on: _sigmoid(z) if on else z  # noqa: E731
    net_h = (x @ W1 if transposed else W1 @ x) + (b1 if biases else 0.0)
    h = act(net_h, hidden)
    net_y = (h @ W2 if transposed else W2 @ h) + (b2 if biases else 0.0)
    return h, act(net_y, output)


def _article():
    """The article's 2-2-2 network (weights as notebook 09 reconstructs them), per-unit biases."""
    return (np.array([[0.10, 0.15], [0.00, 0.39]]), np.array([0.05, 0.05]),
            np.array([[0.18, 0.06], [-0.39, 0.78]]), np.array([0.42, 0.42]), np.array([0.95, 0.06]))


def _network(n_in, n_hidden, n_out, seed):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n_hidden, n_in)), rng.normal(size=n_hidden) * 0.5,
            rng.normal(size=(n_out, n_hidden)), rng.normal(size=n_out) * 0.5, rng.uniform(-1, 1, size=n_in))


# Expected values: the article's network is checked against the outputs the article prints
# (out_H1 ≈ 0.538, out_Y1 ≈ 0.63368, out_Y2 ≈ 0.64893) in tests/test_exercises_backprop_extra.py.
_INPUTS = [
    (_article(), "the article's network: W1 = [[0.1, 0.15], [0, 0.39]], b1 = [0.05, 0.05], "
                 "W2 = [[0.18, 0.06], [-0.39, 0.78]], b2 = [0.42, 0.42], x = [0.95, 0.06]"),
    (_network(2, 2, 2, seed=11), "2 inputs, 2 hidden, 2 outputs (seed 11)"),
    (_network(3, 4, 2, seed=12), "3 inputs, 4 hidden, 2 outputs (seed 12): W1 is 4×3, W2 is 2×4"),
    (_network(4, 2, 1, seed=13), "4 inputs, 2 hidden, 1 output (seed 13)"),
]
CASES = [Case(args, _forward(*args), label) for args, label in _INPUTS]

MISTAKES = [
    Mistake("no sigmoid on the output layer", lambda *a: _forward(*a, output=False),
            "Every layer of this network, the output too, passes its net input through σ: y = σ(W2 @ h + b2)."),
    Mistake("no sigmoid on the hidden layer", lambda *a: _forward(*a, hidden=False),
            "The hidden outputs are h = σ(W1 @ x + b1), not the net input W1 @ x + b1."),
    Mistake("no sigmoid at all (the net inputs returned)", lambda *a: _forward(*a, hidden=False, output=False),
            "σ(z) = 1 / (1 + np.exp(-z)) turns each net input into the unit's output."),
    Mistake("a transposed weight matrix (x @ W1 instead of W1 @ x)", lambda *a: _forward(*a, transposed=True),
            "Row i of W1 holds the weights into unit i, so unit i's net input is row i times x: W1 @ x."),
    Mistake("the biases left out", lambda *a: _forward(*a, biases=False),
            "Each unit adds its bias to the weighted sum: W1 @ x + b1, then W2 @ h + b2."),
]


@register("backprop.forward_pass",
          "forward_pass(W1, b1, W2, b2, x) -> (h, y): h = σ(W1 x + b1), y = σ(W2 h + b2)")
def grade_forward_pass(answer) -> Feedback:
    return check_function(answer, CASES, mistakes=MISTAKES, output_names=NAMES, rtol=1e-9, atol=1e-12,
                          hint="h = sigmoid(W1 @ x + b1), y = sigmoid(W2 @ h + b2) with "
                               "sigmoid(z) = 1 / (1 + np.exp(-z)); return h, y.")
