"""helpers.stochastic (and notebook 04's scene) against independent references: finite
differences, numpy's least-squares fit, closed forms of sampling statistics, and the
shared descent loop."""
import math

import numpy as np
import pytest

from helpers.descent import gradient_descent
from helpers.fastfig import BlitRenderer
from helpers.sgd import batches_per_epoch, minibatches
from helpers.stochastic import LinearRegression, inverse_decay, make_regression, sampled_mean_errors
from helpers.stochastic_scenes import STEPS, MinibatchScene, evaluations_after_each_step

DATA = make_regression(n=500, seed=3)
THETAS = [np.array([-1.5, -2.5]), np.array([0.3, 0.7]), np.array([4.0, -3.0])]


def central(func, theta, h=1e-5):
    """Central-difference gradient of a scalar (or per-example vector) function of θ = (w, b)."""
    cols = []
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        cols.append((func(theta + e) - func(theta - e)) / (2 * h))
    return np.stack(cols, axis=-1)


def test_dataset_is_seeded_and_follows_its_line():
    a, b = make_regression(n=300, seed=5), make_regression(n=300, seed=5)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, make_regression(n=300, seed=6).x)
    big = make_regression(n=20_000, seed=0, w=2.0, b=-1.0, noise=0.5)
    assert big.minimizer == pytest.approx([2.0, -1.0], abs=0.03)
    assert big.x.min() >= -1.0 and big.x.max() <= 2.0
    exact = make_regression(n=50, seed=1, w=-0.7, b=3.0, noise=0.0)
    assert exact.minimizer == pytest.approx([-0.7, 3.0], abs=1e-12) and exact.min_loss < 1e-25


def test_minimizer_matches_numpys_least_squares_fit():
    slope, intercept = np.polyfit(DATA.x, DATA.y, 1)
    np.testing.assert_allclose(DATA.minimizer, [slope, intercept], rtol=1e-10)
    np.testing.assert_allclose(DATA.grad(DATA.minimizer), 0, atol=1e-12)
    residual = slope * DATA.x + intercept - DATA.y
    assert DATA.min_loss == pytest.approx(0.5 * np.mean(residual**2), rel=1e-12)


@pytest.mark.parametrize("theta", THETAS)
def test_per_example_gradients_are_the_slopes_of_the_per_example_losses(theta):
    np.testing.assert_allclose(DATA.gradients(theta), central(DATA.losses, theta), rtol=1e-7, atol=1e-7)
    i = 17  # one example written out by hand: f_i = ½(w x_i + b − y_i)²
    r = theta[0] * DATA.x[i] + theta[1] - DATA.y[i]
    assert DATA.losses(theta)[i] == pytest.approx(0.5 * r * r)
    np.testing.assert_allclose(DATA.gradients(theta)[i], [r * DATA.x[i], r])


@pytest.mark.parametrize("theta", THETAS)
def test_full_gradient_is_the_mean_of_the_per_example_gradients(theta):
    # unbiasedness, exactly: ∇f (from the data's moments) = mean of ∇f_i (from the residuals)
    np.testing.assert_allclose(DATA.grad(theta), DATA.gradients(theta).mean(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(DATA.grad(theta), central(DATA.loss, theta), rtol=1e-7, atol=1e-7)
    assert DATA.loss(theta) == pytest.approx(DATA.losses(theta).mean(), rel=1e-12)


@pytest.mark.parametrize("theta", THETAS)
def test_batch_gradient_is_the_slope_of_the_batch_loss(theta):
    batch = np.array([4, 4, 99, 0, 321])  # repeats allowed (sampling with replacement)
    batch_loss = lambda t: DATA.losses(t)[batch].mean()
    np.testing.assert_allclose(DATA.grad(theta, batch), central(batch_loss, theta), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(DATA.grad(theta, np.arange(DATA.n)), DATA.grad(theta), rtol=1e-12, atol=1e-12)


def test_hessian_and_excess_loss():
    np.testing.assert_allclose(central(DATA.grad, THETAS[1]), DATA.hessian, rtol=1e-7)
    grid = np.stack(np.meshgrid(np.linspace(-3, 4, 7), np.linspace(-3, 2, 5)), axis=-1)
    by_examples = np.array([[DATA.losses(t).mean() for t in row] for row in grid])
    np.testing.assert_allclose(DATA.loss(grid), by_examples, rtol=1e-12)
    assert np.all(DATA.excess_loss(grid) >= 0) and DATA.excess_loss(DATA.minimizer) == 0


def test_sampled_means_spread_like_one_over_root_k():
    theta = THETAS[0]
    sigma = DATA.gradient_spread(theta)
    g = DATA.gradients(theta)
    assert sigma == pytest.approx(np.sqrt(np.trace(np.cov(g.T, bias=True))), rel=1e-12)
    sizes = np.array([1, 4, 16, 64, 256])
    errors = sampled_mean_errors(g, sizes, trials=3000, seed=0)
    np.testing.assert_allclose(errors, sigma / np.sqrt(sizes), rtol=0.06)
    slope = np.polyfit(np.log(sizes), np.log(errors), 1)[0]
    assert slope == pytest.approx(-0.5, abs=0.03)
    same = sampled_mean_errors(np.ones((10, 2)), [1, 3], trials=5)
    assert np.array_equal(same, [0.0, 0.0])


def test_inverse_decay_schedule():
    lr = inverse_decay(0.4, 10)
    assert lr(0) == 0.4 and lr(10) == pytest.approx(0.2) and lr(990) == pytest.approx(0.004)
    assert lr(10_000) * 10_000 == pytest.approx(0.4 * 10, rel=1e-3)  # ∝ 1/k for large k


def test_shared_loop_with_all_examples_is_full_batch_descent():
    theta0, lr = THETAS[0], 0.3
    full = gradient_descent(DATA.grad, theta0, lr, 25)
    batched = gradient_descent(DATA.grad, theta0, lr, 25, batches=minibatches(DATA.n, DATA.n, 25, seed=1))
    np.testing.assert_allclose(batched.path, full.path, rtol=1e-10, atol=1e-12)
    # and full-batch descent on this quadratic has the closed form θ_k − θ* = (I − αH)^k (θ_0 − θ*)
    step = np.eye(2) - lr * DATA.hessian
    expected = DATA.minimizer + (np.linalg.matrix_power(step, 25) @ (theta0 - DATA.minimizer))
    np.testing.assert_allclose(full.final, expected, rtol=1e-10)


def test_decaying_learning_rate_settles_closer_than_constant():
    def tail_rms(lr):
        res = gradient_descent(DATA.grad, THETAS[0], lr, 4 * DATA.n, batches=minibatches(DATA.n, 1, 4, seed=2))
        return np.sqrt(np.mean(np.sum((res.path[-DATA.n:] - DATA.minimizer) ** 2, axis=1)))

    constant, decaying = tail_rms(0.2), tail_rms(inverse_decay(0.2, 100))
    assert decaying < constant / 2


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=1), "n must be"), (dict(n=10.0), "n must be"), (dict(noise=-1.0), "noise"),
    (dict(x_range=(2.0, 1.0)), "x_range"), (dict(w=float("nan")), "w must be finite"),
])
def test_make_regression_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_regression(**kwargs)


@pytest.mark.parametrize("x, y, match", [
    ([1.0, 2.0], [1.0], "same length"), ([[1.0, 2.0]], [[1.0, 2.0]], "1-D"), ([1.0], [2.0], ">= 2"),
    ([3.0, 3.0, 3.0], [1.0, 2.0, 3.0], "constant"), ([1.0, float("nan")], [1.0, 2.0], "x must be finite"),
])
def test_linear_regression_rejects_bad_data(x, y, match):
    with pytest.raises(ValueError, match=match):
        LinearRegression(x, y)


@pytest.mark.parametrize("theta, batch, match", [
    ([1.0, 2.0, 3.0], None, "theta"), ([1.0, float("inf")], None, "theta must be finite"),
    ([1.0, 2.0], np.array([], dtype=int), "batch"), ([1.0, 2.0], np.array([0.5, 1.0]), "batch"),
    ([1.0, 2.0], np.array([-1]), r"\[0, 499\]"), ([1.0, 2.0], np.array([3, 500]), r"\[0, 499\]"),
    ([1.0, 2.0], np.array([[1, 2]]), "1-D"),
])
def test_gradients_reject_bad_points_and_batches(theta, batch, match):
    with pytest.raises(ValueError, match=match):
        DATA.grad(theta, batch)


def test_path_functions_reject_bad_shapes():
    with pytest.raises(ValueError, match="last axis"):
        DATA.loss(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="one point"):
        DATA.gradients(np.zeros((2, 2)))


@pytest.mark.parametrize("kwargs, match", [
    (dict(gradients=np.ones(3), sizes=[1], trials=2), "2-D"), (dict(gradients=np.ones((3, 2)), sizes=[0], trials=2), "sizes"),
    (dict(gradients=np.ones((3, 2)), sizes=[1.5], trials=2), "sizes"), (dict(gradients=np.ones((3, 2)), sizes=[1], trials=0), "trials"),
])
def test_sampled_mean_errors_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sampled_mean_errors(**kwargs)


@pytest.mark.parametrize("args", [(0, 5), (0.1, 0), (-1, 5), (float("nan"), 5)])
def test_inverse_decay_rejects_bad_arguments(args):
    with pytest.raises(ValueError):
        inverse_decay(*args)


# --- the scene: its drawn path is the shared loop's path; noise shrinks as the batch grows ---

def test_scene_draws_the_shared_loops_path():
    r = BlitRenderer(MinibatchScene)
    r.frame(batch_size=8, lr=0.2, seed=3, decay=False)
    p, start = r.scene.problem, r.scene.start
    expected = gradient_descent(p.grad, start, 0.2, STEPS, batches=minibatches(p.n, 8, 1, seed=3)).path
    np.testing.assert_allclose(r.scene.sgd_path.get_xydata(), expected)
    assert f"one epoch = {batches_per_epoch(p.n, 8)} steps of batch 8 = {p.n} gradient evaluations (always n" in r.readout
    assert f"{STEPS} steps = {STEPS * 8} per-example gradient evaluations" in r.readout  # 8 divides n
    r.frame(batch_size=1024)  # 60 epochs of a batch of 1024 and a batch of 976
    assert f"{STEPS} steps = {STEPS // 2 * p.n} per-example gradient evaluations" in r.readout


@pytest.mark.parametrize("n, B", [(10, 3), (2000, 32), (2000, 1024), (7, 7), (5, 1)])
def test_evaluations_count_every_batch_the_sampler_yields(n, B):
    steps = 3 * batches_per_epoch(n, B) + 1
    sizes = [len(b) for b in minibatches(n, B, 4, seed=0)][:steps]
    np.testing.assert_array_equal(evaluations_after_each_step(n, B, steps), np.cumsum(sizes))


def test_scene_noise_shrinks_with_batch_size_and_decay_settles():
    r = BlitRenderer(MinibatchScene)
    noise = []
    for b in (1, 4, 16, 64, 256):
        r.frame(batch_size=b, lr=0.1, seed=0, decay=False)
        noise.append(r.scene.summary["noise"])
    assert all(a > b for a, b in zip(noise, noise[1:])), noise
    r.frame(batch_size=1, lr=0.5, seed=0, decay=False)
    constant = r.scene.summary["tail_rms"]
    r.frame(batch_size=1, lr=0.5, seed=0, decay=True)
    assert r.scene.summary["tail_rms"] < constant / 2


def test_scene_names_a_divergence():
    r = BlitRenderer(MinibatchScene)
    r.frame(batch_size=1024, lr=1.5, seed=0, decay=False)
    assert "diverged at step" in r.readout and r.scene.summary["diverged_at"] is not None
    assert math.isfinite(np.abs(r.scene.sgd_path.get_xydata()).max())


def test_scene_rejects_a_foreign_problem():
    with pytest.raises(ValueError, match="LinearRegression"):
        BlitRenderer(MinibatchScene, problem=[1, 2, 3])
