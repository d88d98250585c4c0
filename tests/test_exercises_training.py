"""The graders of notebooks 11 and 12 ("training.epoch_loop", "training.hessian",
"training.held_out_error"): correct solutions written here pass, each catalogued mistake is
rejected with its own hint, broken code gets a "not yet" naming what happened."""
import math

import numpy as np
import pytest

from helpers import exercises
from helpers.exercises import training as graders
from helpers.network import article_network, forward


def train_epochs(weights, biases, X, T, lr, epochs):
    """Full-batch descent with the error computed from `forward` directly and the gradient by
    central differences: independent of both the grader's reference and back-propagation."""
    params = [np.array(p, dtype=float) for p in list(weights) + list(biases)]
    n = len(weights)

    def E(ps):
        return 0.5 * np.sum((np.asarray(T) - forward(ps[:n], ps[n:], X)[-1]) ** 2) / len(X)

    history = [E(params)]
    for _ in range(epochs):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + 1e-6
                up = E(params)
                p[i] = old - 1e-6
                down = E(params)
                p[i] = old
                g[i] = (up - down) / 2e-6
            grads.append(g)
        params = [p - lr * g for p, g in zip(params, grads)]
        history.append(E(params))
    return history


def test_epoch_loop_against_finite_differences_and_the_article():
    W, b, x, t = article_network()
    ours = train_epochs(W, b, x, t, 0.5, 3)
    ref = graders.EPOCH_CASES[0].expected
    np.testing.assert_allclose(ours, ref, rtol=1e-7)
    assert ref[0] == pytest.approx(0.184972, abs=5e-7)  # the article's total error


def test_epoch_loop_a_back_propagation_solution_passes():
    from helpers.network import loss_and_gradients

    def solution(weights, biases, X, T, lr, epochs):
        Ws, bs, out = list(weights), list(biases), []
        for k in range(epochs + 1):
            E, dW, db = loss_and_gradients(Ws, bs, X, T)
            out.append(E)
            if k < epochs:
                Ws = [W - lr * g for W, g in zip(Ws, dW)]
                bs = [c - lr * g for c, g in zip(bs, db)]
        return out
    assert exercises.grade("training.epoch_loop", solution).correct


def test_hessian_expected_values_are_closed_forms():
    # the quadratic's Hessian is its matrix; e^x + e^y + xy has [[e^x, 1], [1, e^y]]
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, -0.5], [0.0, -0.5, 4.0]])
    np.testing.assert_array_equal(graders.HESSIAN_CASES[0].expected, A)
    np.testing.assert_allclose(graders.HESSIAN_CASES[1].expected,
                               [[math.exp(0.3), 1.0], [1.0, math.exp(-0.7)]], rtol=1e-15)
    # the article network's: symmetric, and λ_max gives 2/λ_max = 18.95 (notebook 11)
    H = graders.HESSIAN_CASES[2].expected
    np.testing.assert_allclose(H, H.T, atol=0)
    assert 2 / np.linalg.eigvalsh(H)[-1] == pytest.approx(18.95, abs=0.005)


def test_hessian_solutions_pass():
    def by_columns(grad, theta, h):
        n = len(theta)
        cols = [(grad(theta + h * np.eye(n)[i]) - grad(theta - h * np.eye(n)[i])) / (2 * h) for i in range(n)]
        return np.array(cols).T
    assert exercises.grade("training.hessian", by_columns).correct


def report(val, test, patience):
    best = 0
    for epoch in range(1, len(val)):
        if val[epoch] < val[best]:
            best = epoch
        elif epoch - best >= patience:
            break
    return best, test[best]


def test_held_out_solution_passes_and_hand_checked_case():
    assert exercises.grade("training.held_out_error", report).correct
    assert graders.HELD_CASES[0].expected == (2, 0.38)   # by hand: best epoch 2, stop at 4
    assert graders.HELD_CASES[1].expected == (3, 0.66)


@pytest.mark.parametrize("gid,mistakes", [
    ("training.epoch_loop", graders.EPOCH_MISTAKES),
    ("training.hessian", graders.HESSIAN_MISTAKES),
    ("training.held_out_error", graders.HELD_MISTAKES),
])
def test_each_mistake_is_named_with_its_hint(gid, mistakes):
    for m in mistakes:
        fb = exercises.grade(gid, m.wrong)
        assert fb.status == "wrong", m.name
        assert fb.mistake == m.name
        assert m.hint in fb.message


@pytest.mark.parametrize("gid", ["training.epoch_loop", "training.hessian", "training.held_out_error"])
def test_broken_answers_get_a_not_yet(gid):
    assert gid in exercises.EXERCISES
    def stub(*args):
        ...
    assert exercises.grade(gid, stub).status == "unanswered"
    assert exercises.grade(gid, ...).status == "unanswered"
    def raises(*args):
        raise RuntimeError("boom")
    fb = exercises.grade(gid, raises)
    assert fb.status == "wrong" and "RuntimeError" in fb.message and "Traceback" not in fb.message
    def forgets_return(*args):
        result = len(args)  # computes, but never returns
    assert "None" in exercises.grade(gid, forgets_return).message
    nan = {"training.hessian": np.full((3, 3), np.nan), "training.epoch_loop": np.full(4, np.nan),
           "training.held_out_error": (2, math.nan)}[gid]
    assert "NaN" in exercises.grade(gid, lambda *a: nan).message
    assert exercises.grade(gid, lambda *a: "fast").status == "wrong"
