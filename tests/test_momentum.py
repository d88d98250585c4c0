"""Momentum, Nesterov, RMSProp and Adam (helpers.descent) against their published equations
worked out by hand, and against the quadratic theory of helpers.momentum; the theory itself
against numpy's eigenvalues, brute force and runs; the sweep, the Rosenbrock and network
problems against single runs and finite differences; the (α, β) scene's readout."""
import math

import numpy as np
import pytest

from helpers import momentum as mo
from helpers.descent import (adam, adam_rule, gradient_descent, momentum_descent, momentum_rule, rmsprop,
                             rmsprop_rule)
from helpers.network import article_network, loss_and_gradients


def square(x):  # gradient of f(x) = x²
    return 2 * x


# ---------------------------------------------------------------- first two steps, by hand

def test_momentum_first_two_steps_by_hand():
    # SGD(momentum=0.9, dampening=0): b1 = g1 = 2, x1 = 1 − 0.1·2 = 0.8;
    # g2 = 1.6, b2 = 0.9·2 + 1.6 = 3.4, x2 = 0.8 − 0.34 = 0.46
    np.testing.assert_allclose(momentum_descent(square, 1.0, 0.1, 0.9, 2).path, [1.0, 0.8, 0.46], rtol=1e-14)


def test_nesterov_first_two_steps_by_hand():
    # nesterov: the step follows g + μ·b. t=1: b = 2, d = 2 + 0.9·2 = 3.8, x1 = 1 − 0.38 = 0.62;
    # t=2: g = 1.24, b = 1.8 + 1.24 = 3.04, d = 1.24 + 0.9·3.04 = 3.976, x2 = 0.62 − 0.3976 = 0.2224
    np.testing.assert_allclose(momentum_descent(square, 1.0, 0.1, 0.9, 2, nesterov=True).path,
                               [1.0, 0.62, 0.2224], rtol=1e-14)


def test_rmsprop_first_two_steps_by_hand():
    # alpha = 0.99: v1 = 0.01·4 = 0.04, x1 = 1 − 0.01·2/0.2 = 0.9;
    # g2 = 1.8, v2 = 0.99·0.04 + 0.01·3.24 = 0.072, x2 = 0.9 − 0.01·1.8/√0.072
    x2 = 0.9 - 0.01 * 1.8 / math.sqrt(0.072)
    np.testing.assert_allclose(rmsprop(square, 1.0, 0.01, 2, eps=1e-300).path, [1.0, 0.9, x2], rtol=1e-14)
    np.testing.assert_allclose(rmsprop(square, 1.0, 0.01, 2).path, [1.0, 0.9, x2], rtol=1e-7)  # ε = 1e-8
    assert x2 == pytest.approx(0.832918, abs=1e-6)


def test_adam_first_two_steps_by_hand():
    # t=1: m = 0.2, v = 0.004, m̂ = 2, v̂ = 4, x1 = 1 − 0.1·2/2 = 0.9;
    # t=2: g = 1.8, m = 0.36, v = 0.003996 + 0.00324 = 0.007236, m̂ = 0.36/0.19, v̂ = 0.007236/0.001999
    x2 = 0.9 - 0.1 * (0.36 / 0.19) / math.sqrt(0.007236 / 0.001999)
    np.testing.assert_allclose(adam(square, 1.0, 0.1, 2, eps=1e-300).path, [1.0, 0.9, x2], rtol=1e-13)
    np.testing.assert_allclose(adam(square, 1.0, 0.1, 2).path, [1.0, 0.9, x2], rtol=1e-7)  # ε = 1e-8
    assert x2 == pytest.approx(0.8004122, abs=1e-7)


@pytest.mark.parametrize("run", [lambda g, x: momentum_descent(g, x, 0.1, 0.5, 3),
                                 lambda g, x: rmsprop(g, x, 0.1, 3), lambda g, x: adam(g, x, 0.1, 3)])
def test_path_shape_includes_the_start_and_works_per_coordinate(run):
    x0 = np.array([[1.0, -2.0], [0.5, 3.0]])
    res = run(square, x0)
    assert res.path.shape == (4, 2, 2) and res.diverged_at is None
    np.testing.assert_array_equal(res.path[0], x0)
    for i in range(2):  # the rules act elementwise: each entry is its own 1-D run
        for j in range(2):
            np.testing.assert_allclose(res.path[:, i, j], run(square, x0[i, j]).path, rtol=1e-12)


def test_beta_zero_is_plain_descent():
    a = momentum_descent(square, 1.5, 0.3, 0.0, 10).path
    np.testing.assert_allclose(a, gradient_descent(square, 1.5, 0.3, 10).path, rtol=1e-14)
    np.testing.assert_allclose(momentum_descent(square, 1.5, 0.3, 0.0, 10, nesterov=True).path, a, rtol=1e-14)


# ---------------------------------------------------------------- Nesterov vs heavy ball

def test_nesterov_differs_from_heavy_ball_as_documented():
    # same first gradient, but Nesterov's first step is (1 + β)·lr·g instead of lr·g
    hb, nag = momentum_descent(square, 1.0, 0.1, 0.5, 1), momentum_descent(square, 1.0, 0.1, 0.5, 1, nesterov=True)
    assert hb.path[1] == pytest.approx(1 - 0.1 * 2) and nag.path[1] == pytest.approx(1 - 0.1 * 1.5 * 2)


@pytest.mark.parametrize("a, b, L", [(0.1, 0.9, 1.0), (0.05, 0.95, 10.0), (0.3, 0.2, 2.0), (0.12, 0.6, 5.0)])
def test_nesterov_rate_matches_its_matrix_and_runs(a, b, L):
    M = mo.iteration_matrix(a, b, L, nesterov=True)
    assert np.trace(M) == pytest.approx((1 + b) * (1 - a * L)) and np.linalg.det(M) == pytest.approx(b * (1 - a * L))
    r = mo.rate(a, b, [L], nesterov=True)
    assert r == pytest.approx(np.abs(np.linalg.eigvals(M)).max(), rel=1e-9)
    run = momentum_descent(lambda x: L * x, 1.0, a, b, 400, nesterov=True)
    assert mo.measured_rate(run.path) == pytest.approx(r, rel=0.03)


def test_nesterov_edge_is_lower():
    # Nesterov: αL < 2(1 + β)/(1 + 2β); heavy ball: αL < 2(1 + β). At β = 0.5: 1.5 vs 3.
    L, b = 1.0, 0.5
    assert mo.rate(1.45, b, [L], nesterov=True) < 1 < mo.rate(1.55, b, [L], nesterov=True)
    assert mo.rate(1.55, b, [L]) < 1
    assert momentum_descent(lambda x: L * x, 1.0, 1.55, b, 5000, nesterov=True).diverged_at is not None
    assert momentum_descent(lambda x: L * x, 1.0, 1.55, b, 5000).diverged_at is None


# ---------------------------------------------------------------- adaptive steps

def test_bias_correction_keeps_the_first_step_at_lr():
    # uncorrected, m1/√v1 = (1 − β1)·g/√((1 − β2)·g²) = 0.1/√0.001 ≈ 3.16 for any g
    for g in (1e-3, 1.0, 1e3):
        on = adam(lambda x: g + 0 * x, 0.0, 0.01, 1).path[1]
        off = adam(lambda x: g + 0 * x, 0.0, 0.01, 1, bias_correction=False).path[1]
        assert -on == pytest.approx(0.01 * g / (g + 1e-8), rel=1e-9)
        assert -off == pytest.approx(0.01 * 0.1 * g / (math.sqrt(0.001) * g + 1e-8), rel=1e-9)
        assert -off == pytest.approx(0.0316, rel=1e-2)  # ≈ 3.16·lr


@pytest.mark.parametrize("scale", [1e-4, 1e-2, 1.0, 1e2, 1e6])
def test_adam_step_is_lr_whatever_the_gradient_scale(scale):
    # constant gradient c: m̂ = c and v̂ = c² exactly, so every step is lr·c/(|c| + ε)
    steps = np.diff(adam(lambda x: scale + 0 * x, 0.0, 0.05, 20).path)
    np.testing.assert_allclose(steps, -0.05 * scale / (scale + 1e-8), rtol=1e-9)
    # on a quadratic of any curvature the first step is lr too
    assert abs(adam(lambda x: scale * x, 1.0, 0.05, 1).path[1] - 1.0) == pytest.approx(0.05, rel=1e-3)


def test_rmsprop_with_a_constant_gradient():
    # v_t = (1 − ρ^t)·g², so step t is lr·g/(|g|·√(1 − ρ^t) + ε): large first steps, then lr
    t = np.arange(1, 31)
    steps = np.diff(rmsprop(lambda x: 3.0 + 0 * x, 0.0, 0.01, 30, rho=0.9).path)
    np.testing.assert_allclose(steps, -0.01 * 3 / (3 * np.sqrt(1 - 0.9**t) + 1e-8), rtol=1e-9)


def test_rules_keep_their_own_state():
    r1, r2 = momentum_rule(0.5), momentum_rule(0.5)
    r1(np.array(1.0), 1)
    assert r2(np.array(1.0), 1) == 1.0  # a fresh rule starts from b = 0
    assert rmsprop_rule()(np.array(2.0), 1) == pytest.approx(2 / math.sqrt(0.04), rel=1e-6)
    assert adam_rule()(np.array(-5.0), 1) == pytest.approx(-1.0, rel=1e-6)


# ---------------------------------------------------------------- bad arguments, divergence

@pytest.mark.parametrize("call, match", [
    (lambda: momentum_descent(square, 1.0, 0.1, -0.1, 5), "beta"),
    (lambda: momentum_descent(square, 1.0, 0.1, 1.0, 5), "beta"),
    (lambda: momentum_descent(square, 1.0, 0.1, float("nan"), 5), "beta"),
    (lambda: momentum_descent(square, 1.0, 0.1, "high", 5), "beta"),
    (lambda: momentum_descent(square, 1.0, 0.0, 0.5, 5), "lr"),
    (lambda: momentum_descent(square, 1.0, 0.1, 0.5, -1), "steps"),
    (lambda: momentum_descent(square, float("inf"), 0.1, 0.5, 5), "x0"),
    (lambda: rmsprop(square, 1.0, 0.1, 5, rho=1.0), "rho"),
    (lambda: rmsprop(square, 1.0, 0.1, 5, rho=-0.5), "rho"),
    (lambda: rmsprop(square, 1.0, 0.1, 5, eps=0.0), "eps"),
    (lambda: rmsprop(square, 1.0, -1.0, 5), "lr"),
    (lambda: adam(square, 1.0, 0.1, 5, betas=(0.9, 1.0)), r"betas\[1\]"),
    (lambda: adam(square, 1.0, 0.1, 5, betas=(1.2, 0.9)), r"betas\[0\]"),
    (lambda: adam(square, 1.0, 0.1, 5, betas=(0.9,)), "betas"),
    (lambda: adam(square, 1.0, 0.1, 5, eps=-1e-8), "eps"),
    (lambda: adam(square, 1.0, 0.1, 2.5), "steps"),
    (lambda: adam(square, [1.0, float("nan")], 0.1, 5), "x0"),
])
def test_bad_arguments_raise(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("run", [
    lambda: momentum_descent(lambda x: 10 * x, np.array([1.0, -2.0]), 0.31, 0.5, 10_000),  # αL = 3.1 > 2(1 + β)
    lambda: momentum_descent(lambda x: 10 * x, np.array([1.0, -2.0]), 0.2, 0.5, 10_000, nesterov=True),
    lambda: rmsprop(lambda x: x, np.array([1.0, -2.0]), 1e9, 10),
    lambda: adam(lambda x: x, np.array([1.0, -2.0]), 1e9, 10),
    lambda: adam(lambda x: np.where(x > 0.5, np.nan, x), np.array([1.0, -2.0]), 0.1, 10),
])
def test_divergence_stops_the_run_and_keeps_a_finite_path(run):
    res = run()
    assert res.diverged_at is not None and len(res.path) == res.diverged_at
    assert np.all(np.isfinite(res.path)) and res.path.shape[1:] == (2,)


def test_divergence_step_follows_the_bound():
    # β = 0, αL = 2.2: |x| grows by 1.2 per step from 1, first beyond 1e8 at the k with 1.2^k > 1e8
    res = momentum_descent(lambda x: x, 1.0, 2.2, 0.0, 1000)
    k = res.diverged_at
    assert 1.2 ** (k - 1) <= 1e8 < 1.2 ** k


def test_zero_steps_is_the_start():
    for res in (momentum_descent(square, [1.0, 2.0], 0.1, 0.9, 0), rmsprop(square, [1.0, 2.0], 0.1, 0),
                adam(square, [1.0, 2.0], 0.1, 0)):
        assert res.path.shape == (1, 2) and res.diverged_at is None


# ---------------------------------------------------------------- the quadratic theory

def test_rate_is_the_spectral_radius_from_numpy():
    rng = np.random.default_rng(0)
    for a, b, L in zip(rng.uniform(0.01, 1, 200), rng.uniform(0, 0.99, 200), rng.uniform(0.1, 5, 200)):
        z = np.linalg.eigvals(np.array([[1 + b - a * L, -b], [1, 0]]))  # written out, not the helper's
        assert mo.rate(a, b, [L]) == pytest.approx(np.abs(z).max(), rel=1e-7, abs=1e-12)


def test_rate_over_a_valley_is_the_worst_curvature_and_broadcasts():
    A, B = np.meshgrid(np.linspace(0.01, 0.4, 7), np.linspace(0, 0.9, 5))
    r = mo.rate(A, B, [1.0, 10.0])
    assert r.shape == (5, 7)
    np.testing.assert_allclose(r, np.maximum(mo.rate(A, B, [1.0]), mo.rate(A, B, [10.0])))


@pytest.mark.parametrize("a, b", [(0.1, 0.5), (0.2, 0.4), (0.05, 0.9), (0.15, 0.3), (0.18, 0.0), (0.3, 0.6)])
def test_measured_rate_matches_the_theory_on_the_zigzag_valley(a, b):
    L = np.array([1.0, 10.0])
    run = momentum_descent(lambda x: L * x, np.array([-4.5, 1.5]), a, b, 300)
    assert mo.measured_rate(run.path) == pytest.approx(mo.rate(a, b, L), rel=0.03)


def test_measured_rate_of_a_geometric_sequence():
    assert mo.measured_rate(3.0 * 0.7 ** np.arange(100)) == pytest.approx(0.7, rel=1e-12)
    tiny = np.stack([0.3 ** np.arange(600), -(0.3 ** np.arange(600))], axis=1)  # squares underflow: still right
    assert mo.measured_rate(tiny) == pytest.approx(0.3, rel=1e-9)
    with pytest.raises(ValueError, match="too short"):
        mo.measured_rate(np.ones(12))


@pytest.mark.parametrize("L", [1.0, 10.0])
@pytest.mark.parametrize("b", [0.0, 0.5, 0.9])
def test_converges_exactly_inside_the_published_region(L, b):
    edge = 2 * (1 + b) / L
    inside = momentum_descent(lambda x: L * x, 1.0, 0.98 * edge, b, 5000)
    outside = momentum_descent(lambda x: L * x, 1.0, 1.02 * edge, b, 5000)
    assert inside.diverged_at is None and abs(inside.final) < 1e-8
    assert outside.diverged_at is not None
    assert mo.converges(0.98 * edge, b, L) and not mo.converges(1.02 * edge, b, L)


def test_convergence_condition_agrees_with_the_spectral_radius():
    # the Jury conditions 0 ≤ β < 1, 0 < αL < 2(1 + β) against rate < 1, on a grid that crosses every edge
    A, B = np.meshgrid(np.linspace(-0.5, 4.5, 301), np.linspace(0.0, 1.4, 301))
    r = mo.rate(A, B, [1.0])
    near_edge = (np.abs(r - 1) < 1e-6)
    assert np.array_equal(mo.converges(A, B, 1.0)[~near_edge], (r < 1)[~near_edge])


def test_optimum_is_the_best_point_of_the_map():
    for L_min, L_max in ((1.0, 10.0), (0.5, 50.0)):
        opt = mo.optimum(L_min, L_max)
        k = L_max / L_min
        assert opt.rate == pytest.approx((math.sqrt(k) - 1) / (math.sqrt(k) + 1))
        assert opt.gd_rate == pytest.approx((k - 1) / (k + 1)) and opt.gd_alpha == pytest.approx(2 / (L_min + L_max))
        assert mo.rate(opt.alpha, opt.beta, [L_min, L_max]) == pytest.approx(opt.rate, rel=1e-6)
        A, B = np.meshgrid(np.geomspace(opt.alpha / 3, opt.alpha * 3, 400), np.linspace(0, 0.99, 400))
        assert mo.rate(A, B, [L_min, L_max]).min() >= opt.rate - 1e-9  # nothing on the grid beats it
        assert mo.rate(np.linspace(0.001, 2 / L_max, 2000), 0.0, [L_min, L_max]).min() >= opt.gd_rate - 1e-9
    with pytest.raises(ValueError):
        mo.optimum(10.0, 1.0)


def test_best_runs_reach_the_predicted_rates():
    L = np.array([1.0, 10.0])
    opt = mo.optimum(1.0, 10.0)
    run = momentum_descent(lambda x: L * x, np.array([-4.5, 1.5]), opt.alpha, opt.beta, 200)
    gd = gradient_descent(lambda x: L * x, np.array([-4.5, 1.5]), opt.gd_alpha, 200)
    assert mo.measured_rate(run.path) == pytest.approx(opt.rate, rel=0.03)
    assert mo.measured_rate(gd.path) == pytest.approx(opt.gd_rate, rel=0.01)


def test_regions_by_hand():
    L = [1.0, 10.0]
    names = {(0.3, 0.3): "diverged",       # αL₂ = 3 > 2(1 + 0.3)
             (2 / 11, 0.0): "too slow",    # plain descent's best: exactly (κ − 1)/(κ + 1)
             (0.05, 0.95): "too slow",     # complex roots of size √0.95 ≈ 0.975
             (0.1, 0.5): "oscillating",    # both axes complex, size √0.5 ≈ 0.707 < 0.818
             (0.15, 0.3): "damped"}        # slowest axis L₁: real positive roots 0.75 and 0.4
    for (a, b), name in names.items():
        assert mo.region(a, b, L) == name, (a, b)
    r = float(mo.rate(0.15, 0.3, L))  # "too slow" includes its boundary: rate equal to the threshold
    assert mo.region(0.15, 0.3, L, slow=r) == "too slow" and mo.region(0.15, 0.3, L, slow=r * 1.001) == "damped"
    idx = mo.region_index(np.array([[0.3, 0.1]]), np.array([[0.3, 0.5]]), L)
    assert idx.tolist() == [[3, 2]]


def test_steps_to_and_its_stay_option():
    assert mo.steps_to([5, 1, 1e-7, 1e-3, 1e-8, 1e-9], 1e-6) == 2
    assert mo.steps_to([5, 1, 1e-7, 1e-3, 1e-8, 1e-9], 1e-6, stay=True) == 4
    assert mo.steps_to([1, 2], 1e-6) is None and mo.steps_to([1, 1e-7, 2], 1e-6, stay=True) is None


def test_steps_to_cost_table_matches_runs_of_the_helper():
    L, x0 = np.array([1.0, 10.0]), np.array([-4.5, 1.5])
    alphas, betas = np.array([0.01, 0.1, 0.17, 0.23, 0.3]), np.array([0.0, 0.27, 0.5, 0.9])
    table = mo.steps_to_cost(alphas[None, :], betas[:, None], L, x0, 1e-6, max_steps=1500)
    assert table.shape == (4, 5)
    for j, b in enumerate(betas):
        for i, a in enumerate(alphas):
            run = momentum_descent(lambda x: L * x, x0, a, b, 1500)
            n = mo.steps_to(0.5 * np.sum(L * run.path**2, axis=1), 1e-6)
            assert table[j, i] == (-1 if n is None else n), (a, b)


# ---------------------------------------------------------------- sweeps, Rosenbrock, the network

@pytest.mark.parametrize("rule, single", [
    (None, lambda g, x0, a, n: gradient_descent(g, x0, a, n)),
    (lambda: momentum_rule(0.9), lambda g, x0, a, n: momentum_descent(g, x0, a, 0.9, n)),
    (lambda: momentum_rule(0.5, nesterov=True), lambda g, x0, a, n: momentum_descent(g, x0, a, 0.5, n, nesterov=True)),
    (lambda: rmsprop_rule(0.9), lambda g, x0, a, n: rmsprop(g, x0, a, n, rho=0.9)),
    (adam_rule, lambda g, x0, a, n: adam(g, x0, a, n)),
])
def test_sweep_rows_are_single_runs(rule, single):
    starts, lrs = mo.rosenbrock_starts(3, seed=2), np.array([1e-4, 1e-3, 0.01, 0.5])
    sw = mo.sweep(mo.rosenbrock_grad, starts, lrs, 300, rule, history=True)
    assert sw.final.shape == (4, 3, 2) and sw.path.shape == (301, 4, 3, 2)
    for i, a in enumerate(lrs):
        for j, x0 in enumerate(starts):
            one = single(mo.rosenbrock_grad, x0, a, 300)
            assert sw.diverged_at[i, j] == (-1 if one.diverged_at is None else one.diverged_at)
            np.testing.assert_allclose(sw.final[i, j], one.final, rtol=1e-12, atol=1e-300)
            np.testing.assert_allclose(sw.path[:len(one.path), i, j], one.path, rtol=1e-12, atol=1e-300)


def test_best_lr_skips_rates_that_diverge_from_any_start():
    starts = mo.rosenbrock_starts(4, seed=0)
    sw = mo.sweep(mo.rosenbrock_grad, starts, np.array([1e-4, 1e-3, 0.01]), 500)
    assert (sw.diverged_at[2] >= 0).any()
    i, finals = mo.best_lr(sw, mo.rosenbrock)
    assert i == 1 and finals.shape == (4,)


def test_rosenbrock_gradient_by_central_differences():
    for p in mo.rosenbrock_starts(5, seed=3):
        h = 1e-6
        num = [(mo.rosenbrock(p + e) - mo.rosenbrock(p - e)) / (2 * h) for e in (np.array([h, 0]), np.array([0, h]))]
        np.testing.assert_allclose(mo.rosenbrock_grad(p), num, rtol=1e-6, atol=1e-6)
    assert mo.rosenbrock([1.0, 1.0]) == 0 and np.all(mo.rosenbrock_grad([1.0, 1.0]) == 0)


def test_article_problem_is_the_article_network():
    theta0, loss, grad = mo.article_problem()
    weights, biases, x, t = article_network()
    E, dW, db = loss_and_gradients(weights, biases, x, t)
    assert theta0.shape == (12,) and loss(theta0) == pytest.approx(E)
    h, g = 1e-6, grad(theta0)
    num = np.array([(loss(theta0 + h * e) - loss(theta0 - h * e)) / (2 * h) for e in np.eye(12)])
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-10)
    np.testing.assert_allclose(g[:4], dW[0].ravel())


def test_epochs_to_target_counts_the_first_epoch_that_stays_below():
    n = mo.epochs_to_target("Adam", 0.05, 300)
    theta0, loss, grad = mo.article_problem()
    E = np.array([loss(p) for p in adam(grad, theta0, 0.05, 300).path])
    assert n is not None and E[n] < 1e-3 <= E[n - 1] and np.all(E[n:] < 1e-3)
    assert mo.epochs_to_target("gradient descent", 0.01, 50) is None


# ---------------------------------------------------------------- the (α, β) scene

def test_scene_readout_names_values_regions_and_divergence():
    from helpers.fastfig import BlitRenderer
    from helpers.momentum_scenes import MomentumMapScene

    r = BlitRenderer(MomentumMapScene)
    r.frame()
    assert r.readout.startswith("α = 0.17, β = 0: ") and "diverged at step" not in r.readout
    spec = MomentumMapScene.controls["lr"]
    for a in spec.options[::17]:
        r.frame(lr=a, beta=0.5, k=80)
        assert r.readout.startswith(f"α = {a:g}, β = 0.5: ")
        name = mo.region(a, 0.5, [1.0, 10.0])
        assert f"→ {name};" in r.readout
        assert ("diverged at step" in r.readout) == (name == "diverged")
    r.frame(lr=0.23, beta=0.27)
    assert "cost below 1e-06 after 17 steps" in r.readout  # from the precomputed table
    n = mo.steps_to_cost(0.2345, 0.271, [1.0, 10.0], [-4.5, 1.5])
    r.frame(lr=0.2345, beta=0.271)  # off the slider grid: computed on the spot
    assert f"after {int(n)} steps" in r.readout
