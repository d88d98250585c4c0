"""Notebook 03's helpers against closed forms, finite differences and per-run descent."""
import math
import warnings

import numpy as np
import pytest

from helpers.descent import gradient_descent
from helpers.fastfig import BlitRenderer
from helpers.valley import (REGIMES, Quadratic, Regression, critical_rates, pirate_walk, regime,
                            regression_data, sweep_learning_rates)
from helpers.valley_scenes import BOUND, LearningRateValleyScene, RegressionScene, ZigZagScene


def central_grad(f, x, h=1e-6):
    x = np.asarray(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        g[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


# ---------------------------------------------------------------- quadratic valleys

def test_quadratic_cost_and_gradient():
    q = Quadratic(1.0, 10.0)
    x = np.array([0.7, -1.3])
    assert q.cost(x) == pytest.approx(0.5 * (0.49 + 10 * 1.69))
    np.testing.assert_allclose(q.grad(x), central_grad(q.cost, x), rtol=1e-7)
    one = Quadratic(3.0)
    assert one.grad(2.0) == pytest.approx(central_grad(one.cost, 2.0), rel=1e-7)
    np.testing.assert_allclose(q.cost(np.zeros((4, 3, 2))), np.zeros((4, 3)))
    assert (q.L_min, q.L_max, q.ndim) == (1.0, 10.0, 2)


@pytest.mark.parametrize("L, lr", [(2.0, 0.1), (2.0, 0.8), (5.0, 0.39), (0.5, 3.0)])
def test_iterates_follow_one_minus_alpha_L_to_the_k(L, lr):
    q, x0 = Quadratic(L), -2.5
    run = gradient_descent(q.grad, x0, lr, 25)
    np.testing.assert_allclose(run.path, x0 * (1 - lr * L) ** np.arange(26), rtol=1e-12, atol=1e-300)


def test_two_d_iterates_move_each_axis_by_its_own_factor():
    q, x0, lr = Quadratic(1.0, 10.0), np.array([-4.5, 1.5]), 0.17
    path = gradient_descent(q.grad, x0, lr, 30).path
    k = np.arange(31)[:, None]
    np.testing.assert_allclose(path, x0 * (1 - lr * np.array([1.0, 10.0])) ** k, rtol=1e-12)


def test_two_d_limit_is_two_over_L_max():
    q, x0 = Quadratic(1.0, 10.0), np.array([-4.5, 1.5])
    limit = 2 / 10.0
    assert critical_rates(q.L_max)[1] == pytest.approx(limit)
    below = gradient_descent(q.grad, x0, 0.98 * limit, 2000)
    assert below.diverged_at is None and np.abs(below.final).max() < 1e-6
    # just above the limit: the shallow axis alone would converge (|1 − α·1| < 1), the steep one diverges
    above = gradient_descent(q.grad, x0, 1.02 * limit, 5000)
    assert abs(1 - 1.02 * limit * 1.0) < 1 and above.diverged_at is not None


def test_speed_is_set_by_L_min():
    # below 1/L_max both axes shrink monotonically; after k steps the error is the shallow factor^k
    q, x0, lr = Quadratic(1.0, 10.0), np.array([1.0, 1.0]), 0.05
    path = gradient_descent(q.grad, x0, lr, 100).path
    ratio = np.abs(path[1:]).max(axis=1) / np.abs(path[:-1]).max(axis=1)
    np.testing.assert_allclose(ratio[5:], 1 - lr * q.L_min)


# ---------------------------------------------------------------- regimes

def test_critical_rates():
    assert critical_rates(4.0) == (0.25, 0.5)


@pytest.mark.parametrize("lr, expected", [(0.05, "slow convergence"), (0.1225, "slow convergence"),
                                          (0.125, "fast convergence"), (0.2, "fast convergence"),
                                          (0.25, "fast convergence"), (0.375, "oscillating convergence"),
                                          (0.5, "edge: bounces forever"), (0.6, "divergence")])
def test_regime_at_known_rates(lr, expected):
    assert regime(lr, 4.0) == expected and expected in REGIMES


@pytest.mark.parametrize("lr", [0.03, 0.12, 0.13, 0.15, 0.3, 0.45, 0.55, 0.9])
def test_regime_names_what_the_run_does(lr):
    L, x0 = 4.0, 1.0
    run = gradient_descent(Quadratic(L).grad, x0, lr, 200)
    name = regime(lr, L)
    if name == "divergence":
        assert run.diverged_at is not None
        return
    assert run.diverged_at is None and abs(run.final) < abs(x0)
    signs = np.sign(run.path[:5])
    if name == "oscillating convergence":
        assert np.all(signs[1:] == -signs[:-1])
    else:  # monotone; "slow" when a step removes less than half of the distance
        assert np.all(signs == 1)
        assert (abs(run.path[1] / run.path[0]) > 0.5) == (name == "slow convergence")


def test_edge_bounces_forever():
    run = gradient_descent(Quadratic(4.0).grad, 1.0, 0.5, 50)
    np.testing.assert_allclose(run.path, (-1.0) ** np.arange(51))


# ---------------------------------------------------------------- the pirate

def test_pirate_is_seeded_never_climbs_and_keeps_only_downhill_steps():
    q, x0 = Quadratic(1.0, 4.0), np.array([-4.0, 1.5])
    a = pirate_walk(q.cost, x0, 40, 0.7, seed=3)
    b = pirate_walk(q.cost, x0, 40, 0.7, seed=3)
    c = pirate_walk(q.cost, x0, 40, 0.7, seed=4)
    np.testing.assert_array_equal(a.path, b.path)
    assert not np.array_equal(a.path, c.path)
    assert a.path.shape == (41, 2) and a.kept.shape == (40,)
    np.testing.assert_array_equal(a.path[0], x0)
    costs = q.cost(a.path)
    assert np.all(np.diff(costs) <= 0)
    moved = np.any(a.path[1:] != a.path[:-1], axis=1)
    np.testing.assert_array_equal(moved, a.kept)
    assert np.all(np.diff(costs)[a.kept] < 0)


def test_pirate_proposals_are_normal_with_the_given_size():
    counter = iter(range(10**6))
    always_lower = lambda x: np.full(len(x), -float(next(counter)))  # every proposal looks downhill
    walk = pirate_walk(always_lower, 0.0, 20000, 0.3, seed=0)
    assert walk.kept.all()
    jumps = np.diff(walk.path)
    assert np.std(jumps) == pytest.approx(0.3, rel=0.03) and abs(np.mean(jumps)) < 0.01


def test_many_pirates_walk_independently_from_one_start():
    q = Quadratic(2.0)
    swarm = pirate_walk(q.cost, -3.0, 10, 0.5, seed=1, n_pirates=50)
    assert swarm.path.shape == (11, 50) and swarm.kept.shape == (10, 50)
    assert np.all(swarm.path[0] == -3.0) and len(np.unique(swarm.path[-1])) > 40


# ---------------------------------------------------------------- regression

def test_regression_gradient_matches_finite_differences():
    data = regression_data()
    for p in ([0.0, 0.0], [1.2, -0.7], [3.0, 4.0]):
        np.testing.assert_allclose(data.grad(np.array(p)), central_grad(data.cost, p), rtol=1e-6)
    stack = np.array([[0.0, 0.0], [1.2, -0.7]])
    np.testing.assert_allclose(data.grad(stack), [data.grad(s) for s in stack])
    assert data.cost(stack).shape == (2,)


def test_regression_bottom_is_least_squares_and_curvatures_are_the_hessian():
    data = regression_data(n=30, seed=5)
    w, b = np.polyfit(data.x, data.y, 1)
    np.testing.assert_allclose(data.best(), [w, b], rtol=1e-10)
    H = np.array([central_grad(lambda p: data.grad(p)[i], [0.3, 0.2]) for i in range(2)])
    np.testing.assert_allclose(data.hessian, H, rtol=1e-6)
    np.testing.assert_allclose(data.curvatures, np.linalg.eigvalsh(H), rtol=1e-6)


def test_regression_data_is_seeded():
    a, b, c = regression_data(seed=2), regression_data(seed=2), regression_data(seed=3)
    np.testing.assert_array_equal(a.y, b.y)
    assert not np.array_equal(a.y, c.y) and len(a.x) == 20 and np.all(np.diff(a.x) >= 0)


def test_descent_on_the_regression_reaches_least_squares():
    data = regression_data()
    L_min, L_max = data.curvatures
    run = gradient_descent(data.grad, np.zeros(2), 1.9 / L_max, 3000)
    assert run.diverged_at is None
    np.testing.assert_allclose(run.final, data.best(), atol=1e-8)
    assert gradient_descent(data.grad, np.zeros(2), 2.1 / L_max, 3000).diverged_at is not None


# ---------------------------------------------------------------- the sweep

@pytest.mark.parametrize("problem, x0, lrs", [
    (Quadratic(2.0), -3.0, [0.01, 0.3, 0.5, 0.95, 1.05, 1.9]),
    (Quadratic(1.0, 10.0), [-4.5, 1.5], [0.01, 0.1, 0.19, 0.21, 0.5]),
    (regression_data(), [0.0, 0.0], [0.001, 0.05, 0.14, 0.16, 0.3]),
])
def test_sweep_agrees_with_one_run_at_a_time(problem, x0, lrs):
    sweep = sweep_learning_rates(problem.cost, problem.grad, x0, lrs, 80)
    for i, lr in enumerate(lrs):
        run = gradient_descent(problem.grad, x0, lr, 80)
        np.testing.assert_allclose(sweep.final[i], run.final, rtol=1e-12)
        assert sweep.final_cost[i] == pytest.approx(float(problem.cost(run.final)), rel=1e-12)
        assert sweep.diverged_at[i] == (-1 if run.diverged_at is None else run.diverged_at)
    assert sweep.diverged.any() and not sweep.diverged.all()


def test_sweep_of_hundreds_stays_finite_without_warnings():
    q = Quadratic(2.0)
    lrs = np.geomspace(1e-3, 50, 500)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sweep = sweep_learning_rates(q.cost, q.grad, 3.0, lrs, 200, bound=1e150)
    assert np.all(np.isfinite(sweep.final_cost)) and np.all(np.isfinite(sweep.final))
    # divergence step: the first k with 3·|1 − αL|^k > bound, if that comes within the 200 steps
    r = np.abs(1 - lrs * 2.0)
    with np.errstate(divide="ignore"):
        k = np.where(r > 1, np.floor(np.log(1e150 / 3.0) / np.log(np.maximum(r, 1 + 1e-300))) + 1, np.inf)
    expected = np.where(k <= 200, k, -1)
    assert (expected > 0).sum() > 100
    np.testing.assert_array_equal(sweep.diverged_at, expected.astype(int))


# ---------------------------------------------------------------- the scenes say what happened

def test_valley_scene_names_regime_and_divergence_step():
    r = BlitRenderer(LearningRateValleyScene)
    r.frame(lr=0.8, x0=3.0, k=5)
    assert "oscillating convergence" in r.readout
    r.frame(lr=1.2, x0=3.0, k=40)
    k = math.floor(math.log(BOUND / 3.0) / math.log(1.4)) + 1  # first k with 3·1.4^k > BOUND
    assert f"diverged at step {k}" in r.readout and "divergence" in r.readout
    r.frame(lr=1.2, x0=3.0, k=k - 1)  # one step before: not yet, but announced
    assert r.scene.note.get_text() == "" and f"this run diverges at step {k}" in r.readout
    r.frame(lr=1.2, x0=3.0, k=k)      # the figure says it too, from that step on
    assert r.scene.note.get_text() == f"diverged at step {k}"


def test_zigzag_and_regression_scenes_report_divergence_only_above_the_limit():
    z = BlitRenderer(ZigZagScene)
    z.frame(lr=0.19, k=60)
    assert "diverge" not in z.readout
    z.frame(lr=0.23, k=60)
    assert "diverged at step" in z.readout
    data = regression_data()
    limit = 2 / data.curvatures[1]
    g = BlitRenderer(RegressionScene)
    g.frame(lr=0.95 * limit, k=100)
    assert "diverge" not in g.readout
    g.frame(lr=1.05 * limit, k=100)
    assert "diverged at step" in g.readout


# ---------------------------------------------------------------- clear errors

@pytest.mark.parametrize("call, match", [
    (lambda: Quadratic(), "at least one curvature"),
    (lambda: Quadratic(1.0, -2.0), "curvature L2"),
    (lambda: Quadratic(1.0, 2.0).cost([1.0, 2.0, 3.0]), "last axis of length 2"),
    (lambda: critical_rates(0.0), "L must be"),
    (lambda: regime(-0.1, 2.0), "lr must be"),
    (lambda: regime(0.1, float("nan")), "L must be"),
    (lambda: pirate_walk(Quadratic(1.0).cost, 0.0, -1, 0.5), "steps must be"),
    (lambda: pirate_walk(Quadratic(1.0).cost, 0.0, 5, 0.0), "step_size must be"),
    (lambda: pirate_walk(Quadratic(1.0).cost, 0.0, 5, 0.5, n_pirates=0), "n_pirates must be"),
    (lambda: pirate_walk(Quadratic(1.0).cost, float("inf"), 5, 0.5), "x0 must be finite"),
    (lambda: Regression(np.arange(3.0), np.arange(4.0)), "same length"),
    (lambda: Regression(np.ones(3), np.arange(3.0)), "must not be constant"),
    (lambda: regression_data().cost([1.0, 2.0, 3.0]), "last axis"),
    (lambda: regression_data(n=1), "n must be"),
    (lambda: regression_data(noise=-1.0), "noise must be"),
    (lambda: sweep_learning_rates(Quadratic(1.0).cost, Quadratic(1.0).grad, 1.0, [], 5), "lrs must be"),
    (lambda: sweep_learning_rates(Quadratic(1.0).cost, Quadratic(1.0).grad, 1.0, [0.1, -0.1], 5), "lrs must be"),
    (lambda: sweep_learning_rates(Quadratic(1.0).cost, Quadratic(1.0).grad, 1.0, [0.1, np.nan], 5), "lrs must be finite"),
    (lambda: sweep_learning_rates(Quadratic(1.0).cost, Quadratic(1.0).grad, 1.0, [0.1], -2), "steps must be"),
    (lambda: sweep_learning_rates(Quadratic(1.0).cost, Quadratic(1.0).grad, 1.0, [0.1], 5, bound=0), "bound must be"),
])
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
