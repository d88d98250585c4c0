"""Graders for notebooks 11 and 12: the epoch loop, the Hessian by central differences, and the test
error that early stopping reports ("training.epoch_loop", "training.hessian", "training.held_out_error").

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


# ---- "training.hessian": hessian(grad, theta, h) by central differences of the gradient ---------

def _hessian(grad, theta, h, *, forward=False, divide=2.0, all_at_once=False):
    """Column i = (grad(θ + h·eᵢ) − grad(θ − h·eᵢ)) / 2h, then symmetrized ((H + Hᵀ)/2)."""
    theta = np.asarray(theta, dtype=float)
    H = np.empty((theta.size, theta.size))
    for i in range(theta.size):
        e = np.ones_like(theta) * h if all_at_once else np.eye(theta.size)[i] * h
        low = np.asarray(grad(theta)) if forward else np.asarray(grad(theta - e))
        H[:, i] = (np.asarray(grad(theta + e)) - low) / ((1.0 if forward else divide) * h)
    return (H + H.T) / 2


_A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -0.5], [0.0, -0.5, 4.0]])


def _grad_quadratic(x):
    """∇ of ½·xᵀAx − x₁ (A 3×3 symmetric): A x − e₁; its Hessian is A everywhere."""
    return _A @ x - np.array([1.0, 0.0, 0.0])


def _grad_exp(p):
    """∇ of e^x + e^y + x·y: its Hessian is [[e^x, 1], [1, e^y]]."""
    return np.array([np.exp(p[0]) + p[1], np.exp(p[1]) + p[0]])


def _article_gradient():
    from helpers import training
    return training.network_gradient(training.layer_sizes(_W), _X, _T), training.pack(_W, _B)


_G_ARTICLE, _THETA0 = _article_gradient()
# Expected: the closed forms for the two functions; for the article's network, the reference above
HESSIAN_CASES = [
    Case((_grad_quadratic, np.array([0.5, -1.0, 2.0]), 1e-4), _A,
         "grad of ½·xᵀAx − x₁ with A = [[3, 1, 0], [1, 2, −0.5], [0, −0.5, 4]], theta = [0.5, −1, 2], h = 1e-4"),
    Case((_grad_exp, np.array([0.3, -0.7]), 1e-3), np.array([[np.exp(0.3), 1.0], [1.0, np.exp(-0.7)]]),
         "grad of e^x + e^y + x·y at (0.3, −0.7), h = 1e-3"),
    Case((_G_ARTICLE, _THETA0, 1e-5), _hessian(_G_ARTICLE, _THETA0, 1e-5),
         "the article network's gradient at its 12 starting parameters, h = 1e-5"),
]

HESSIAN_MISTAKES = [
    Mistake("a forward difference (grad(θ + h·eᵢ) − grad(θ)) / h instead of a central one",
            lambda g, t, h: _hessian(g, t, h, forward=True),
            "Use both sides: (grad(theta + h·e_i) − grad(theta − h·e_i)) / (2h); its error shrinks like h², not h."),
    Mistake("divided by h instead of 2h", lambda g, t, h: _hessian(g, t, h, divide=1.0),
            "The two points are 2h apart: divide their difference by 2*h."),
    Mistake("every parameter nudged at once instead of one at a time",
            lambda g, t, h: _hessian(g, t, h, all_at_once=True),
            "Column i nudges only parameter i: e_i is all zeros except a 1 at position i (np.eye(n)[i])."),
]


@register("training.hessian", "hessian(grad, theta, h) -> the Hessian by central differences of the gradient, symmetrized")
def grade_hessian(answer) -> Feedback:
    return check_function(answer, HESSIAN_CASES, mistakes=HESSIAN_MISTAKES, rtol=1e-6, atol=1e-8,
                          hint="For each i: e = zeros with h at position i; column i = (grad(theta + e) − "
                               "grad(theta − e)) / (2h). Return (H + H.T) / 2.")


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
