"""helpers.sweep against a plain one-rate loop written here and the closed form (1 − αL)^k."""
import math
import warnings

import numpy as np
import pytest

from helpers.sweep import Sweep, sweep_learning_rates

L1, L2 = 1.0, 10.0


def bowl_cost(x):
    """½(L1·x₁² + L2·x₂²) per row of a stack of points."""
    x = np.asarray(x, dtype=float)
    return 0.5 * (L1 * x[..., 0] ** 2 + L2 * x[..., 1] ** 2)


def bowl_grad(x):
    x = np.asarray(x, dtype=float)
    return x * np.array([L1, L2])


def plain_loop(grad, x0, lr, steps, bound):
    """One learning rate, written out: the iterates until one leaves ±bound (that one is not kept)."""
    x, path = np.array(x0, dtype=float), [np.array(x0, dtype=float)]
    for k in range(steps):
        x = x - lr * grad(x)
        if not np.all(np.abs(x) <= bound):
            return path, k + 1
        path.append(x)
    return path, -1


@pytest.mark.parametrize("history", [False, True])
def test_each_row_equals_a_plain_single_rate_loop(history):
    x0, lrs, steps, bound = np.array([-4.5, 1.5]), [0.01, 0.1, 0.19, 0.21, 0.3], 120, 1e3
    sw = sweep_learning_rates(bowl_cost, bowl_grad, x0, lrs, steps, bound=bound, history=history)
    for i, lr in enumerate(lrs):
        path, diverged_at = plain_loop(bowl_grad, x0, lr, steps, bound)
        np.testing.assert_allclose(sw.final[i], path[-1], rtol=1e-13)
        assert sw.final_cost[i] == pytest.approx(bowl_cost(path[-1]), rel=1e-13)
        assert sw.diverged_at[i] == diverged_at
        if history:
            np.testing.assert_allclose(sw.path[:len(path), i], np.array(path), rtol=1e-13)
            np.testing.assert_array_equal(sw.path[len(path):, i], np.broadcast_to(path[-1], (steps + 1 - len(path), 2)))
    assert sw.diverged.any() and not sw.diverged.all()
    assert (sw.path is None) == (not history)


def test_history_follows_the_closed_form_one_minus_alpha_L_to_the_k():
    L, x0, steps = 2.0, -3.0, 30
    lrs = np.array([0.05, 0.25, 0.5, 0.8, 0.99])
    sw = sweep_learning_rates(lambda x: 0.5 * L * x**2, lambda x: L * x, x0, lrs, steps, history=True)
    k = np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(sw.path, x0 * (1 - lrs * L) ** k, rtol=1e-12, atol=1e-300)
    assert sw.path.shape == (steps + 1, len(lrs)) and not sw.diverged.any()
    np.testing.assert_array_equal(sw.path[-1], sw.final)


def test_history_shape_for_matrix_shaped_points():
    x0 = np.arange(6.0).reshape(2, 3) - 2.5
    curv = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    sw = sweep_learning_rates(lambda x: 0.5 * np.sum(curv * x**2, axis=(-2, -1)), lambda x: curv * x,
                              x0, [0.1, 0.2, 0.3, 0.4], 7, history=True)
    assert sw.path.shape == (8, 4, 2, 3) and sw.final.shape == (4, 2, 3) and sw.final_cost.shape == (4,)
    np.testing.assert_allclose(sw.path[:, 1], x0 * (1 - 0.2 * curv) ** np.arange(8)[:, None, None], rtol=1e-12)
    # α = 0.4: the entry of curvature 6 has factor |1 − 2.4| = 1.4 but stays below 1e8 in 7 steps
    assert not sw.diverged.any()


def test_divergence_step_is_the_first_k_past_the_bound_and_nothing_warns():
    L, x0, steps, bound = 2.0, 3.0, 200, 1e150
    lrs = np.geomspace(1e-3, 50, 500)
    with warnings.catch_warnings():
        warnings.filterwarnings("error", module=r"helpers(\.|$)")
        sw = sweep_learning_rates(lambda x: 0.5 * L * x**2, lambda x: L * x, x0, lrs, steps, bound=bound,
                                  history=True)
    r = np.abs(1 - lrs * L)
    # first k with 3·r^k > bound: k > log(bound/3)/log r
    expected = [math.floor(math.log(bound / x0) / math.log(q)) + 1 if q > 1 else -1 for q in r]
    expected = np.where(np.array(expected) <= steps, expected, -1)
    assert (expected > 0).sum() > 100
    np.testing.assert_array_equal(sw.diverged_at, expected)
    assert np.all(np.isfinite(sw.path)) and np.all(np.abs(sw.path) <= bound)
    i = int(np.argmax(sw.diverged_at > 0))
    k = sw.diverged_at[i]
    np.testing.assert_allclose(sw.path[k - 1, i], x0 * (1 - lrs[i] * L) ** (k - 1), rtol=1e-9)
    np.testing.assert_array_equal(sw.path[k:, i], sw.final[i])


def test_all_rows_diverging_still_fill_the_whole_history():
    sw = sweep_learning_rates(lambda x: x**2, lambda x: 2 * x, 1.0, [5.0, 10.0], 50, bound=100.0, history=True)
    assert sw.diverged.all() and sw.path.shape == (51, 2)
    np.testing.assert_array_equal(sw.path[-1], sw.final)
    np.testing.assert_array_equal(sw.diverged_at, [3, 2])  # |1 − 10|^3 = 729, |1 − 20|^2 = 361 > 100


def test_zero_steps_return_the_start():
    sw = sweep_learning_rates(bowl_cost, bowl_grad, [1.0, 2.0], [0.1, 0.2], 0, history=True)
    assert isinstance(sw, Sweep) and sw.path.shape == (1, 2, 2)
    np.testing.assert_array_equal(sw.final, [[1.0, 2.0], [1.0, 2.0]])


@pytest.mark.parametrize("kwargs, match", [
    (dict(lrs=[]), "lrs must be"),
    (dict(lrs=[0.1, -0.1]), "lrs must be"),
    (dict(lrs=[0.1, np.nan]), "lrs must be finite"),
    (dict(steps=-2), "steps must be"),
    (dict(steps=2.5), "steps must be"),
    (dict(bound=0), "bound must be"),
    (dict(x0=[np.inf, 0.0]), "x0 must be finite"),
])
def test_bad_arguments_raise_value_error(kwargs, match):
    args = dict(x0=[1.0, 1.0], lrs=[0.1], steps=5)
    args.update(kwargs)
    bound = args.pop("bound", 1e8)
    with pytest.raises(ValueError, match=match):
        sweep_learning_rates(bowl_cost, bowl_grad, args["x0"], args["lrs"], args["steps"], bound=bound)
