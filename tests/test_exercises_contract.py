"""The six contract graders of issue 14: a correct solution written here passes; each catalogued
mistake, written here independently as a learner would make it, is rejected with its own hint."""
import numpy as np
import pytest
from cpu_clock import CpuClock

from helpers import exercises
from helpers.exercises import backprop, descent, early_stopping, momentum, partials, slope

CONTRACT = ["slope.central_difference", "partials.gradient", "descent.descend", "backprop.gradients",
            "early_stopping.patience", "momentum.heavy_ball"]


# ---- correct solutions, as a learner would write them -------------------------------------

def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def gradient(x, y):
    return y + 2 * x, x


def descend(grad, x0, lr, steps):
    xs = [x0]
    x = x0
    for _ in range(steps):
        x = x - lr * grad(x)
        xs.append(x)
    return xs


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gradients(W1, b1, W2, b2, x, t):
    h = sigmoid(W1 @ x + b1)
    y = sigmoid(W2 @ h + b2)
    delta2 = (y - t) * y * (1 - y)
    delta1 = (W2.T @ delta2) * h * (1 - h)
    return delta1[:, None] * x[None, :], delta1, delta2[:, None] * h[None, :], delta2


def stop_with_patience(val_errors, patience):
    best_epoch, best = 0, val_errors[0]
    for epoch in range(1, len(val_errors)):
        if val_errors[epoch] < best:
            best_epoch, best = epoch, val_errors[epoch]
        elif epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_errors) - 1, best_epoch


def heavy_ball(grad, x0, lr, beta, steps):
    x, v, xs = x0, 0, [x0]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        xs.append(x)
    return xs


SOLUTIONS = {"slope.central_difference": central_difference, "partials.gradient": gradient,
             "descent.descend": descend, "backprop.gradients": gradients,
             "early_stopping.patience": stop_with_patience, "momentum.heavy_ball": heavy_ball}


@pytest.mark.parametrize("exercise_id", CONTRACT)
def test_contract_id_is_listed_with_a_description(exercise_id):
    assert exercises.EXERCISES[exercise_id].strip()


@pytest.mark.parametrize("exercise_id", CONTRACT)
def test_correct_solution_passes(exercise_id):
    fb = exercises.grade(exercise_id, SOLUTIONS[exercise_id])
    assert fb.correct, repr(fb)
    assert fb.status == "right" and "passes all" in fb.message


@pytest.mark.parametrize("exercise_id", CONTRACT)
def test_an_alternative_correct_formulation_also_passes(exercise_id):
    """Right answers written differently (numpy arrays, other loop shapes) are not rejected."""
    alt = {
        "slope.central_difference": lambda f, x, h: 0.5 * (f(x + h) - f(x - h)) / h,
        "partials.gradient": lambda x, y: np.array([y + 2 * x, x]),
        "descent.descend": lambda g, x0, lr, s: np.array(descend(g, x0, lr, s)),
        "backprop.gradients": lambda *a: tuple(np.array(g) for g in gradients(*a)),
        "early_stopping.patience": lambda e, p: stop_with_patience(list(e), p),
        # v' = β v' − lr g, x ← x + v' is the same method
        "momentum.heavy_ball": _heavy_ball_velocity_form,
    }[exercise_id]
    fb = exercises.grade(exercise_id, alt)
    assert fb.correct, repr(fb)


def _heavy_ball_velocity_form(grad, x0, lr, beta, steps):
    x, u, xs = x0, 0.0, [x0]
    for _ in range(steps):
        u = beta * u - lr * grad(x)
        x = x + u
        xs.append(x)
    return xs


def test_every_case_of_a_correct_solution_is_fast():
    for exercise_id, fn in SOLUTIONS.items():
        with CpuClock() as clock:
            exercises.grade(exercise_id, fn)
        assert clock.seconds < 0.5, exercise_id


# ---- each catalogued mistake, written independently -----------------------------------------

def _descend_plus(grad, x0, lr, steps):
    xs, x = [x0], x0
    for _ in range(steps):
        x = x + lr * grad(x)
        xs.append(x)
    return xs


def _descend_no_x0(grad, x0, lr, steps):
    xs, x = [], x0
    for _ in range(steps):
        x = x - lr * grad(x)
        xs.append(x)
    return xs


def _descend_extra(grad, x0, lr, steps):
    xs, x = [x0], x0
    for _ in range(steps + 1):
        x = x - lr * grad(x)
        xs.append(x)
    return xs


def _descend_in_place(grad, x0, lr, steps):
    xs, x = [x0], x0
    for _ in range(steps):
        x -= lr * grad(x)
        xs.append(x)
    return xs


def _descend_last(grad, x0, lr, steps):
    x = x0
    for _ in range(steps):
        x = x - lr * grad(x)
    return x


def _backprop(W1, b1, W2, b2, x, t, out=True, hid=True, sign=1):
    h = sigmoid(W1 @ x + b1)
    y = sigmoid(W2 @ h + b2)
    d2 = sign * (y - t) * (y * (1 - y) if out else 1)
    d1 = (W2.T @ d2) * (h * (1 - h) if hid else 1)
    return np.outer(d1, x), d1, np.outer(d2, h), d2


def _bp_T(*a):
    dW1, db1, dW2, db2 = _backprop(*a)
    return np.outer(a[4], db1), db1, np.outer(sigmoid(a[0] @ a[4] + a[1]), db2), db2


def _bp_W2_not_transposed(W1, b1, W2, b2, x, t):
    h = sigmoid(W1 @ x + b1)
    y = sigmoid(W2 @ h + b2)
    d2 = (y - t) * y * (1 - y)
    d1 = (W2 @ d2) * h * (1 - h)          # raises on a non-square W2: the square case names it
    return np.outer(d1, x), d1, np.outer(d2, h), d2


def _bp_T2(*a):
    dW1, db1, dW2, db2 = _backprop(*a)
    return dW1, db1, dW2.T, db2


def _patience_early(errs, patience):
    best = 0
    for e in range(len(errs)):
        if errs[e] < errs[best]:
            best = e
        elif e - best >= patience - 1 and e > best:
            return e, best
    return len(errs) - 1, best


def _patience_late(errs, patience):
    best = 0
    for e in range(len(errs)):
        if errs[e] < errs[best]:
            best = e
        elif e - best > patience:
            return e, best
    return len(errs) - 1, best


def _patience_le(errs, patience):
    best = 0
    for e in range(1, len(errs)):
        if errs[e] <= errs[best]:
            best = e
        elif e - best >= patience:
            return e, best
    return len(errs) - 1, best


def _patience_future(errs, patience):
    stop, _ = stop_with_patience(errs, patience)
    return stop, int(np.argmin(errs))


def _hb(grad, x0, lr, beta, steps, sign=-1, damp=1.0, order="v"):
    x, v, xs = x0, 0.0, [x0]
    for _ in range(steps):
        if order == "v":
            v = beta * v + (1 - beta if damp != 1.0 else 1.0) * grad(x)
            x = x + sign * lr * v
        else:
            x = x + sign * lr * v
            v = beta * v + grad(x)
        xs.append(x)
    return xs


MISTAKE_CASES = [
    ("slope.central_difference", lambda f, x, h: (f(x + h) - f(x)) / h, "forward difference", "both ways"),
    ("slope.central_difference", lambda f, x, h: (f(x) - f(x - h)) / h, "backward difference", "both ways"),
    ("slope.central_difference", lambda f, x, h: (f(x + h) - f(x - h)) / h, "instead of 2h", "2h apart"),
    ("slope.central_difference", lambda f, x, h: (f(x + h) - f(x - h)) / 2 * h, "missing brackets", "(2 * h)"),
    ("partials.gradient", lambda x, y: (x, y + 2 * x), "swapped", "in that order"),
    ("partials.gradient", lambda x, y: (y + x, x), "taken as x", "2x"),
    ("partials.gradient", lambda x, y: (y, x), "forgotten", "two terms"),
    ("descent.descend", _descend_plus, "plus sign", "subtract"),
    ("descent.descend", _descend_no_x0, "x0 missing", "Start the list with x0"),
    ("descent.descend", _descend_extra, "one iterate too many", "exactly `steps` steps"),
    ("descent.descend", _descend_in_place, "in place", "x = x - lr * grad(x)"),
    ("descent.descend", _descend_last, "only the last", "whole list"),
    ("backprop.gradients", lambda *a: _backprop(*a, out=False), "missing at the output", "(y − t) · y · (1 − y)"),
    ("backprop.gradients", lambda *a: _backprop(*a, hid=False), "missing at the hidden", "h · (1 − h)"),
    ("backprop.gradients", lambda *a: _backprop(*a, sign=-1), "sign of the error", "y − t"),
    ("backprop.gradients", _bp_T, "weight gradients transposed", "np.outer(delta, input)"),
    ("backprop.gradients", _bp_W2_not_transposed, "W2 instead of its transpose", "W2.T @ δ_out"),
    ("backprop.gradients", _bp_T2, "W2 transposed", "np.outer(delta, input)"),
    ("early_stopping.patience", _patience_early, "one epoch early", "≥ patience"),
    ("early_stopping.patience", _patience_late, "one epoch late", "(not >)"),
    ("early_stopping.patience", _patience_le, "≤ instead of <", "strictly lower"),
    ("early_stopping.patience", _patience_future, "including epochs after the stop", "cannot see the future"),
    ("early_stopping.patience", lambda e, p: stop_with_patience(e, p)[::-1], "swapped", "in that order"),
    ("momentum.heavy_ball", lambda *a: _hb(*a, sign=+1), "plus sign", "x = x - lr * v"),
    ("momentum.heavy_ball", lambda *a: _hb(*a, damp=0.5), "dampened", "no 1 − β factor"),
    ("momentum.heavy_ball", lambda *a: _hb(*a, order="x"), "old velocity", "Update v first"),
    ("momentum.heavy_ball", lambda *a: heavy_ball(*a)[1:], "x0 missing", "Start the list with x0"),
]


@pytest.mark.parametrize("exercise_id, wrong, mistake, hint", MISTAKE_CASES,
                         ids=[f"{m[0]}:{m[2]}" for m in MISTAKE_CASES])
def test_each_catalogued_mistake_is_named_with_its_hint(exercise_id, wrong, mistake, hint):
    fb = exercises.grade(exercise_id, wrong)
    assert fb.status == "wrong", repr(fb)
    assert mistake in fb.mistake, repr(fb)
    assert hint in fb.message, repr(fb)
    assert "expected:" in fb.message and "got:" in fb.message and fb.case


def test_every_catalogued_mistake_has_a_test_here():
    """A mistake added to a grader without a test here fails this test."""
    tested = {(eid, m) for eid, _, m, _ in MISTAKE_CASES}
    modules = {"slope.central_difference": slope, "partials.gradient": partials, "descent.descend": descent,
               "backprop.gradients": backprop, "early_stopping.patience": early_stopping,
               "momentum.heavy_ball": momentum}
    missing = [(eid, m.name) for eid, mod in modules.items() for m in mod.MISTAKES
               if not any(e == eid and frag in m.name for e, frag in tested)]
    allowed = {("partials.gradient", "∂z/∂y taken as y"), ("partials.gradient", "∂z/∂y includes the x² term"),
               ("descent.descend", "one step too few"),
               ("backprop.gradients", "the sigmoid derivatives missing at both layers"),
               ("backprop.gradients", "the gradient of W1 transposed"),
               ("momentum.heavy_ball", "one iterate too many"),
               ("momentum.heavy_ball", "the array updated in place (x -= ...), so every stored iterate is the same array")}
    assert set(missing) <= allowed, missing


def test_backprop_cases_catch_a_transpose_by_shape():
    """At least one case has a non-square W1 and W2, so a transposed gradient has the wrong shape."""
    shapes = [(c.args[0].shape, c.args[2].shape) for c in backprop.CASES]
    assert any(a[0] != a[1] and b[0] != b[1] for a, b in shapes)


def test_descend_cases_include_steps_zero_and_an_array():
    assert any(c.args[3] == 0 for c in descent.CASES)
    assert any(isinstance(c.args[1], np.ndarray) for c in descent.CASES)


def test_expected_values_match_hand_computation():
    """Spot checks of the graders' expected values against numbers worked out by hand."""
    assert descent.CASES[0].expected == pytest.approx([1.0, 0.8, 0.64, 0.512])
    assert partials.CASES[0].expected == pytest.approx((3.0, 3.0))     # y + 2x = -3 + 6, x = 3
    # x³ at 2 with h = 0.5: ((2.5)³ − (1.5)³) / 1 = 15.625 − 3.375 = 12.25 = 3·4 + h²
    assert slope.CASES[1].expected == pytest.approx(12.25)
    assert early_stopping.CASES[0].expected == (2, 0)
    assert early_stopping.CASES[2].expected == (3, 1)
    assert momentum.CASES[0].expected[:3] == pytest.approx([1.0, 0.8, 0.46])  # v1 = 2, v2 = 0.9·2 + 1.6
