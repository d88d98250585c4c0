"""The valleys, regimes, pirate and scenes of notebooks 04–05 against closed forms, finite differences and per-run descent."""
import math
import re

import numpy as np
import pytest

from helpers.descent import gradient_descent
from helpers.fastfig import BlitRenderer
from helpers.regression import regression_data
from helpers.sweep import sweep_learning_rates
from helpers.valley import REGIMES, Quadratic, critical_rates, pirate_walk, regime
from helpers.valley_scenes import (BOUND, LearningRateValleyScene, RegressionScene, ZigZagScene,
                                   principal_directions_figure, race_figure, sweep_figure)


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


# ---------------------------------------------------------------- the regression valley of notebook 05

def test_descent_on_the_regression_reaches_least_squares_below_two_over_L_max():
    data = regression_data()
    w, b = np.polyfit(data.x, data.y, 1)
    L_min, L_max = data.curvatures
    run = gradient_descent(data.grad, np.zeros(2), 1.9 / L_max, 3000)
    assert run.diverged_at is None
    np.testing.assert_allclose(run.final, [w, b], atol=1e-8)
    assert gradient_descent(data.grad, np.zeros(2), 2.1 / L_max, 3000).diverged_at is not None


def test_the_half_and_the_mean_scale_the_limit():
    # J = mean ½r² (the course); mean r² has twice its curvature, Σ ½r² n times: the limit 2/L_max follows
    data = regression_data()
    X = np.stack([data.x, np.ones_like(data.x)], axis=1)
    L_half = np.linalg.eigvalsh(X.T @ X / len(X))[-1]
    assert data.curvatures[1] == pytest.approx(L_half, rel=1e-12)
    for scale in (1.0, 2.0, float(len(X))):
        limit = 2 / (scale * L_half)
        grad = lambda p, s=scale: s * data.grad(p)
        assert gradient_descent(grad, np.zeros(2), 0.98 * limit, 3000).diverged_at is None
        assert gradient_descent(grad, np.zeros(2), 1.02 * limit, 3000).diverged_at is not None


# ---------------------------------------------------------------- the sweep

@pytest.mark.parametrize("problem, x0, lrs", [
    (Quadratic(2.0), -3.0, [0.01, 0.3, 0.5, 0.95, 1.05, 1.9]),
    (Quadratic(1.0, 10.0), [-4.5, 1.5], [0.01, 0.1, 0.19, 0.21, 0.5]),
    (regression_data(), [0.0, 0.0], [0.002, 0.1, 0.28, 0.32, 0.6]),
])
def test_sweep_agrees_with_one_run_at_a_time(problem, x0, lrs):
    sweep = sweep_learning_rates(problem.cost, problem.grad, x0, lrs, 80)
    for i, lr in enumerate(lrs):
        run = gradient_descent(problem.grad, x0, lr, 80)
        np.testing.assert_allclose(sweep.final[i], run.final, rtol=1e-12)
        assert sweep.final_cost[i] == pytest.approx(float(problem.cost(run.final)), rel=1e-12)
        assert sweep.diverged_at[i] == (-1 if run.diverged_at is None else run.diverged_at)
    assert sweep.diverged.any() and not sweep.diverged.all()


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


def test_scene_and_descent_bounds_give_the_predicted_divergence_steps():
    # issue 12 item 6: the figure stops at ±BOUND, gradient_descent at ±1e8; both are the first k with 3·1.4^k > bound
    for bound in (BOUND, 1e8):
        k = math.floor(math.log(bound / 3.0) / math.log(1.4)) + 1
        assert gradient_descent(Quadratic(2.0).grad, 3.0, 1.2, 1000, bound=bound).diverged_at == k
    assert (math.floor(math.log(BOUND / 3) / math.log(1.4)) + 1, math.floor(math.log(1e8 / 3) / math.log(1.4)) + 1) == (18, 52)


# ---------------------------------------------------------------- static figures draw what they are given

def test_principal_directions_figure_draws_the_eigenvectors_by_hand():
    import matplotlib.pyplot as plt
    # [[5.5, −4.5], [−4.5, 5.5]]: (1, 1)/√2 has H·v = v (λ = 1), (1, −1)/√2 has H·v = 10·v
    fig = principal_directions_figure([[5.5, -4.5], [-4.5, 5.5]])
    ax = fig.axes[0]
    arrows = [np.array(a.xy) / np.linalg.norm(a.xy) for a in ax.texts if hasattr(a, "xy") and a.arrowprops]
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    s = 1 / math.sqrt(2)
    np.testing.assert_allclose(arrows, [[s, s], [s, -s]], atol=1e-12)
    assert any("λ = 1\n" in t or t.endswith("λ = 1") for t in labels) and any(t.endswith("λ = 10") for t in labels)
    assert not any("-0.00" in t for t in labels)
    plt.close(fig)


def test_race_and_sweep_figures_draw_the_given_arrays():
    import matplotlib.pyplot as plt
    you, pirate = np.array([3.0, 1.5, 0.75]), np.array([3.0, 2.0, 2.0])
    fig = race_figure(you, pirate, you**2, pirate**2, 1.0)
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_ydata(), you)
    np.testing.assert_array_equal(fig.axes[1].lines[1].get_ydata(), pirate**2)
    plt.close(fig)
    lrs = np.geomspace(0.01, 2.0, 40)
    diverged = lrs > 1.0
    fig = sweep_figure(dict(lrs=lrs, diverged=diverged, excess=np.abs(1 - 2 * lrs) ** 20, L_top=2.0, title="t",
                            floor=1e-20, start_cost=9.0))
    line = fig.axes[0].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), lrs[~diverged])
    plt.close(fig)


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
])
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---------------------------------------------------------------- issue 12 item 12: round slider ends, no −0

NEGATIVE_ZERO = re.compile(r"-0(?:\.0+)?(?![\d.])")


@pytest.mark.parametrize("scene_cls", [LearningRateValleyScene, ZigZagScene, RegressionScene], ids=lambda s: s.__name__)
def test_slider_ends_are_the_declared_round_numbers(scene_cls):
    for name, spec in scene_cls.controls.items():
        ends = (spec.options[0], spec.options[-1]) if spec.log else spec.bounds
        assert ends == (spec.min, spec.max), (name, ends)


@pytest.mark.parametrize("scene_cls", [LearningRateValleyScene, ZigZagScene, RegressionScene], ids=lambda s: s.__name__)
def test_no_readout_prints_negative_zero_at_any_learning_rate(scene_cls):
    scene = BlitRenderer(scene_cls).scene  # update() alone gives the readout, without encoding a frame
    extra = [dict(x0=x0) for x0 in (-3.5, 0.0, 3.0)] if "x0" in scene_cls.controls else [{}]
    k_max = scene_cls.controls["k"].max
    for lr in scene_cls.controls["lr"].options:
        for more in extra:
            for k in (1, k_max):
                readout = scene.update(lr=lr, k=k, **more)
                assert not NEGATIVE_ZERO.search(readout), (lr, k, more, readout)


def test_the_negative_zero_pattern_would_catch_it():
    assert NEGATIVE_ZERO.search("x = -0.000, y") and NEGATIVE_ZERO.search("x = -0")
    assert not NEGATIVE_ZERO.search("x = -0.007 and -0.5 and +0.000")
