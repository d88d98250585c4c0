"""Graders for notebooks 11 and 12: the epoch loop, the stable rate 2/λ_max, and the test error
that early stopping reports ("training.epoch_loop", "training.stable_rate", "training.held_out_error").

Each case's expected value comes from a plain reference written here (or a closed form); each
catalogued `Mistake` is that reference with exactly one common mistake.
"""
from __future__ import annotations

import numpy as np

from helpers.checks import Feedback
from helpers.exercises import register
from helpers.exercises.core import Case, Mistake, check_function
from helpers.network import article_network, loss_and_gradients


# ---- "training.epoch_loop": train_epochs(weights, biases, X, T, lr, epochs) -> E per epoch ----------

def _loop(weights, biases, X, T, lr, epochs, *, sign=-1.0, biases_too=True):
    """E before any update, then after each of `epochs` full-batch updates (epochs + 1 values)."""
    Ws, bs = [np.array(W, dtype=float) for W in weights], [np.array(b, dtype=float) for b in biases]
    history = []
    for epoch in range(epochs + 1):
        E, dW, db = loss_and_gradients(Ws, bs, X, T)
        history.append(E)
        if epoch < epochs:
            Ws = [W + sign * lr * g for W, g in zip(Ws, dW)]
            if biases_too:
                bs = [b + sign * lr * g for b, g in zip(bs, db)]
    return np.array(history)


def _small_net(seed: int):
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(0, 1, (3, 1)), rng.normal(0, 1, (1, 3))]
    bs = [rng.normal(0, 1, 3), rng.normal(0, 1, 1)]
    X = rng.uniform(-1, 1, (4, 1))
    T = rng.uniform(0.1, 0.9, (4, 1))
    return Ws, bs, X, T


_W, _B, _X, _T = article_network()
_EPOCH_INPUTS = [
    ((_W, _B, _X, _T, 0.5, 3), "the article's network, lr = 0.5, epochs = 3"),
    ((_W, _B, _X, _T, 0.01, 0), "the article's network, lr = 0.01, epochs = 0 (no update: just E before training)"),
    ((*_small_net(1), 2.0, 5), "a random 1-3-1 network on 4 examples, lr = 2.0, epochs = 5"),
    ((_W, _B, _X, _T, 10.0, 6), "the article's network, lr = 10, epochs = 6"),
]
EPOCH_CASES = [Case(args, _loop(*args), label) for args, label in _EPOCH_INPUTS]

EPOCH_MISTAKES = [
    Mistake("a plus sign in the update", lambda *a: _loop(*a, sign=+1.0),
            "The gradient points uphill; subtract it: W = W - lr * dW (and the same for every bias)."),
    Mistake("E before training missing (only the errors after each update)", lambda *a: _loop(*a)[1:],
            "Record E before the first update too: the list has epochs + 1 errors, E[0] the untrained one."),
    Mistake("E recorded after the update, so the list starts one step late",
            lambda *a: _loop(*a[:5], a[5] + 1)[1:],
            "Measure E, record it, then update: E[0] must be the error of the starting weights."),
    Mistake("one epoch too many (epochs + 2 errors)", lambda *a: _loop(*a[:5], a[5] + 1),
            "Exactly `epochs` updates, so epochs + 1 errors: loop over range(epochs + 1) and skip the last update."),
    Mistake("the biases never updated", lambda *a: _loop(*a, biases_too=False),
            "Every parameter learns: update each bias b with its gradient db as well as each weight."),
]


@register("training.epoch_loop",
          "train_epochs(weights, biases, X, T, lr, epochs) -> E per epoch (epochs + 1 values, E[0] before training)")
def grade_epoch_loop(answer) -> Feedback:
    return check_function(answer, EPOCH_CASES, mistakes=EPOCH_MISTAKES, rtol=1e-8, atol=1e-12,
                          hint="For each epoch: E, dW, db = loss_and_gradients(Ws, bs, X, T); record E; then, "
                               "unless it was the last, W ← W − lr·dW and b ← b − lr·db for every layer.")


# ---- "training.stable_rate": stable_rate(H) -> 2/λ_max ------------------------------------------

def _rotated(eigs, seed):
    """A symmetric matrix with exactly these eigenvalues (a random rotation of diag(eigs))."""
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(eigs), len(eigs))))
    return Q @ np.diag(eigs) @ Q.T


def _article_hessian():
    from helpers import curvature, training
    sizes = training.layer_sizes(_W)
    return curvature.hessian(training.network_gradient(sizes, _X, _T), training.pack(_W, _B))


# Expected values from the eigenvalues each matrix was built with (closed forms), except the
# article's Hessian, whose λ_max is numpy's.
_H_ARTICLE = _article_hessian()
STABLE_CASES = [
    Case((np.diag([3.0, 10.0]),), 2 / 10.0, "H = diag(3, 10)"),
    Case((np.array([[3.0, 1.0], [1.0, 3.0]]),), 2 / 4.0, "H = [[3, 1], [1, 3]] (eigenvalues 2 and 4)"),
    Case((np.array([[4.0]]),), 0.5, "H = [[4]] (one parameter)"),
    Case((_rotated([0.5, 2.0, 5.0], 3),), 2 / 5.0, "a rotated 3×3 H with eigenvalues 0.5, 2, 5"),
    Case((_rotated([-8.0, 1.0, 2.0], 4),), 2 / 2.0, "a rotated 3×3 H with eigenvalues −8, 1, 2 (a saddle)"),
    Case((_H_ARTICLE,), 2 / np.linalg.eigvalsh(_H_ARTICLE)[-1], "the article network's 12×12 Hessian at the start"),
]


def _eig(H):
    return np.linalg.eigvalsh(np.asarray(H, dtype=float))


STABLE_MISTAKES = [
    Mistake("the smallest eigenvalue instead of the largest", lambda H: 2 / _eig(H)[0],
            "The steepest direction limits the step: use λ_max, the largest eigenvalue."),
    Mistake("1/λ_max (the best step on a quadratic) instead of the edge 2/λ_max", lambda H: 1 / _eig(H)[-1],
            "1/λ_max is the fastest rate along the steepest direction; the edge of stability is 2/λ_max."),
    Mistake("the largest diagonal entry instead of the largest eigenvalue", lambda H: 2 / np.max(np.diag(H)),
            "The diagonal holds the curvatures along the axes only; the steepest direction may be diagonal: "
            "use np.linalg.eigvalsh(H)."),
    Mistake("the largest |eigenvalue| (a negative curvature counted as steep)", lambda H: 2 / np.max(np.abs(_eig(H))),
            "Along a direction of negative curvature descent moves away anyway; the edge is set by the largest "
            "positive eigenvalue, λ_max."),
]


@register("training.stable_rate", "stable_rate(H) -> 2/λ_max, the largest stable learning rate for Hessian H")
def grade_stable_rate(answer) -> Feedback:
    return check_function(answer, STABLE_CASES, mistakes=STABLE_MISTAKES, rtol=1e-8, atol=1e-12,
                          hint="λ_max = np.linalg.eigvalsh(H)[-1] (eigvalsh sorts them, smallest first); return 2 / λ_max.")


# ---- "training.held_out_error": report_test_error(val_errors, test_errors, patience) -> (best, E_test) ----

def _report(val, test, patience, *, pick="best", lookahead=False):
    val, test = [float(v) for v in val], [float(v) for v in test]
    best, stop = 0, len(val) - 1
    for epoch in range(1, len(val)):
        if val[epoch] < val[best]:
            best = epoch
        elif epoch - best >= patience:
            stop = epoch
            break
    if lookahead:
        best = int(np.argmin(val))
    if pick == "peek":
        best = int(np.argmin(test))
    epoch = {"best": best, "peek": best, "stop": stop, "last": len(val) - 1, "val": best}[pick]
    return epoch, (val if pick == "val" else test)[epoch]


def _curves(seed, n=200):
    """Seeded U-shaped validation and test curves with noise (what over-fitting draws)."""
    rng = np.random.default_rng(seed)
    k = np.arange(n)
    base = 0.01 + 0.05 * np.exp(-k / 15) + 0.00004 * k
    return base + 0.002 * rng.normal(size=n), base * 1.1 + 0.002 * rng.normal(size=n)


_HELD_INPUTS = [
    (([0.5, 0.4, 0.3, 0.35, 0.36, 0.37], [0.55, 0.45, 0.38, 0.33, 0.37, 0.40], 2),
     "val = [0.5, 0.4, 0.3, 0.35, 0.36, 0.37], test = [0.55, 0.45, 0.38, 0.33, 0.37, 0.4], patience = 2"),
    (([0.9, 0.8, 0.7, 0.6], [0.95, 0.85, 0.75, 0.66], 2),
     "val = [0.9, 0.8, 0.7, 0.6], test = [0.95, 0.85, 0.75, 0.66], patience = 2 (still improving)"),
    ((*_curves(1), 20), "seeded noisy U-shaped curves of 200 epochs, patience = 20"),
    ((*_curves(2), 50), "seeded noisy U-shaped curves of 200 epochs, patience = 50"),
]
HELD_CASES = [Case(args, _report(*args), label) for args, label in _HELD_INPUTS]

HELD_MISTAKES = [
    Mistake("choosing the epoch with the test set (its own minimum)", lambda v, t, p: _report(v, t, p, pick="peek"),
            "The test set must take no part in choosing: pick the epoch by the validation error only, then "
            "read the test error there, once."),
    Mistake("the test error at the stopping epoch instead of at the kept (best) epoch",
            lambda v, t, p: _report(v, t, p, pick="stop"),
            "Early stopping keeps the weights of the best epoch, not of the epoch where patience ran out."),
    Mistake("the test error after the last epoch", lambda v, t, p: _report(v, t, p, pick="last"),
            "Report the weights early stopping keeps: those of the epoch with the lowest validation error."),
    Mistake("the validation error reported instead of the test error", lambda v, t, p: _report(v, t, p, pick="val"),
            "The validation error at its own minimum is optimistic (it was chosen for being low): report test_errors[best]."),
    Mistake("the best epoch taken from the whole validation curve, beyond the stop",
            lambda v, t, p: _report(v, t, p, lookahead=True),
            "Training stops when patience runs out; epochs after that were never trained. Best among epochs up to the stop."),
]


@register("training.held_out_error",
          "report_test_error(val_errors, test_errors, patience) -> (best_epoch, test error there)")
def grade_held_out_error(answer) -> Feedback:
    return check_function(answer, HELD_CASES, mistakes=HELD_MISTAKES, rtol=1e-9, atol=1e-12,
                          output_names=("best_epoch", "test_error"),
                          hint="Run the patience rule on val_errors to find best_epoch, then return "
                               "(best_epoch, test_errors[best_epoch]).")
