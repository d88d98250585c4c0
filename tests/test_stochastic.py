"""helpers.stochastic (and notebooks 06–07's scene) against independent references: exact
averages over every possible batch, the σ/√B law with seeded sampling, closed forms of
full-batch descent and of the stationary spread, and SGD written out as a plain loop."""
import itertools
import math

import numpy as np
import pytest

from helpers.fastfig import BlitRenderer
from helpers.regression import regression_data
from helpers.stochastic import (STEPS, TAIL, evaluations_after_each_step, inverse_decay, minibatch_run,
                                path_noise, rms_distance, sampled_mean_errors, schedule, sgd_data,
                                stationary_covariance, tail_rms, work_to_reach)
from helpers.stochastic_scenes import START, MinibatchScene

DATA = sgd_data()
TINY = regression_data(n=7, seed=4)
THETA = np.array([-1.5, -2.5])


def full_gradient_by_hand(data, theta):
    """∇J for J = (1/n)·Σ ½·(w·xᵢ + b − yᵢ)², from the formula: (mean(r·x), mean(r))."""
    r = theta[0] * data.x + theta[1] - data.y
    return np.array([np.mean(r * data.x), np.mean(r)])


def sgd_by_hand(data, theta0, lr, B, steps, seed):
    """Mini-batch SGD as a plain loop: each epoch a fresh permutation from default_rng(seed),
    cut into consecutive batches of B (the last may be smaller), one step per batch."""
    rng = np.random.default_rng(seed)
    theta, path = np.array(theta0, dtype=float), [np.array(theta0, dtype=float)]
    while len(path) <= steps:
        order = rng.permutation(data.n)
        for s in range(0, data.n, B):
            idx = order[s:s + B]
            r = theta[0] * data.x[idx] + theta[1] - data.y[idx]
            theta = theta - (lr(len(path) - 1) if callable(lr) else lr) * np.array([np.mean(r * data.x[idx]), np.mean(r)])
            path.append(theta)
            if len(path) > steps:
                break
    return np.array(path)


def test_dataset_is_seeded_and_follows_its_line():
    assert DATA.n == 2000 and np.array_equal(DATA.x, sgd_data().x) and not np.array_equal(DATA.x, sgd_data(seed=1).x)
    assert DATA.x.min() >= -1 and DATA.x.max() <= 2
    assert DATA.minimizer == pytest.approx([2.0, -1.0], abs=0.1)
    assert math.sqrt(2 * DATA.min_loss) == pytest.approx(1.0, abs=0.05)  # the noise has size 1


@pytest.mark.parametrize("B", [1, 2, 3, 7])
def test_batch_gradients_are_unbiased_exactly_over_every_batch(B):
    # without replacement: the mean over all C(7, B) subsets; with replacement: over all 7^B tuples
    want = full_gradient_by_hand(TINY, THETA)
    subsets = [TINY.grad(THETA, np.array(c)) for c in itertools.combinations(range(TINY.n), B)]
    np.testing.assert_allclose(np.mean(subsets, axis=0), want, rtol=1e-12, atol=1e-12)
    if B <= 3:
        tuples = [TINY.grad(THETA, np.array(c)) for c in itertools.product(range(TINY.n), repeat=B)]
        np.testing.assert_allclose(np.mean(tuples, axis=0), want, rtol=1e-12, atol=1e-12)


def test_sampled_means_spread_like_sigma_over_root_B():
    g = DATA.gradients(THETA)
    sigma = math.sqrt(np.trace(np.cov(g.T, bias=True)))  # variance of one draw, from numpy
    sizes = np.array([1, 4, 16, 64, 256])
    errors = sampled_mean_errors(g, sizes, trials=3000, seed=0)
    np.testing.assert_allclose(errors, sigma / np.sqrt(sizes), rtol=0.06)
    assert np.polyfit(np.log(sizes), np.log(errors), 1)[0] == pytest.approx(-0.5, abs=0.03)
    assert np.array_equal(sampled_mean_errors(np.ones((10, 2)), [1, 3], trials=5), [0.0, 0.0])
    assert np.array_equal(sampled_mean_errors(g, sizes, 50, seed=7), sampled_mean_errors(g, sizes, 50, seed=7))


def test_inverse_decay_and_the_scenes_schedule():
    lr = inverse_decay(0.4, 10)
    assert lr(0) == 0.4 and lr(10) == pytest.approx(0.2) and lr(990) == pytest.approx(0.004)
    assert lr(10_000) * 10_000 == pytest.approx(0.4 * 10, rel=1e-3)  # ∝ 1/k for large k
    assert schedule(0.3, False) == 0.3 and schedule(0.5, True)(STEPS / 8) == pytest.approx(0.25)


@pytest.mark.parametrize("n, B, expected", [
    (10, 3, [3, 6, 9, 10, 13, 16, 19, 20, 23]),  # batches 3, 3, 3 and the left-over 1, per epoch
    (6, 6, [6, 12, 18]), (5, 1, [1, 2, 3, 4, 5, 6]), (2000, 1024, [1024, 2000, 3024, 4000]),
])
def test_evaluations_count_the_partial_last_batch(n, B, expected):
    np.testing.assert_array_equal(evaluations_after_each_step(n, B, len(expected)), expected)


def test_full_batch_run_is_the_closed_form():
    # on a quadratic, full-batch descent has θ_k − θ* = (I − αH)^k (θ₀ − θ*), for B = None and B = n
    lr, k = 0.3, 25
    step = np.eye(2) - lr * DATA.hessian
    expected = DATA.minimizer + np.linalg.matrix_power(step, k) @ (THETA - DATA.minimizer)
    for B in (None, DATA.n):
        np.testing.assert_allclose(minibatch_run(DATA, THETA, B, lr, k, seed=1).final, expected, rtol=1e-9)


@pytest.mark.parametrize("B, lr", [(1, 0.1), (32, 0.2), (1500, 0.5), (8, inverse_decay(0.5, 15))])
def test_minibatch_run_is_sgd_written_out(B, lr):
    run = minibatch_run(DATA, THETA, B, lr, 140, seed=3)
    np.testing.assert_allclose(run.path, sgd_by_hand(DATA, THETA, lr, B, 140, seed=3), rtol=1e-10, atol=1e-12)


def test_with_replacement_draws_indices_independently():
    counts = np.zeros(TINY.n)
    for s in range(400):
        run = minibatch_run(TINY, THETA, 2, 1e-9, 3, seed=s, replace=True)
        assert run.steps_taken == 3  # 7 // 2 = 3 batches per epoch, one epoch
    from helpers.sgd import minibatches
    for batch in minibatches(TINY.n, 2, 2000, seed=0, replace=True):
        counts += np.bincount(batch, minlength=TINY.n)
    assert counts.sum() == 2000 * 3 * 2 and np.allclose(counts / counts.sum(), 1 / TINY.n, atol=0.01)


def test_path_metrics_by_hand():
    path = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0]])
    assert rms_distance(path, [0.0, 0.0]) == pytest.approx(math.sqrt((0 + 25 + 100) / 3))
    assert tail_rms(path, [0.0, 0.0], tail=2) == pytest.approx(math.sqrt((25 + 100) / 2))
    assert path_noise(path, np.zeros((3, 2))) == pytest.approx(math.sqrt(125 / 3))
    assert path_noise(path, path) == 0
    assert work_to_reach([5.0, 1.0, 0.05, 0.01], [0, 10, 20, 30], 0.1) == 20
    assert work_to_reach([5.0, 1.0], [0, 10], 0.1) is None
    with pytest.raises(ValueError, match="same shape"):
        path_noise(path, path[:2])


def test_stationary_covariance_closed_forms():
    # 1-D: s = (1 − αh)²·s + α²c  ⇒  s = α·c / (h·(2 − αh))
    for h, c, lr in [(1.0, 2.0, 0.1), (3.0, 0.5, 0.5)]:
        assert stationary_covariance([[h]], [[c]], lr)[0, 0] == pytest.approx(lr * c / (h * (2 - lr * h)), rel=1e-12)
    # 2-D: the fixed point of S ← A S A + α²C, found by iterating the map itself
    H, C, lr = DATA.hessian, np.cov(DATA.gradients(DATA.minimizer).T, bias=True), 0.1
    A, S = np.eye(2) - lr * H, np.zeros((2, 2))
    for _ in range(20_000):
        S = A @ S @ A + lr**2 * C
    np.testing.assert_allclose(stationary_covariance(H, C, lr), S, rtol=1e-9)
    with pytest.raises(ValueError, match="too large"):
        stationary_covariance(H, C, 2.5 / DATA.curvatures[1])


def test_stationary_covariance_predicts_the_sgd_cloud():
    # B = 1 with replacement (independent draws, as the model assumes), started at θ*: measured spread
    lr, n_steps = 0.1, 40_000
    run = minibatch_run(DATA, DATA.minimizer, 1, lr, n_steps, seed=5, replace=True)
    measured = rms_distance(run.path[2000:], DATA.minimizer)
    C = np.cov(DATA.gradients(DATA.minimizer).T, bias=True)
    assert measured == pytest.approx(math.sqrt(np.trace(stationary_covariance(DATA.hessian, C, lr))), rel=0.1)


def test_decaying_learning_rate_settles_closer_than_constant():
    constant = tail_rms(minibatch_run(DATA, THETA, 1, 0.2, 8000, seed=2).path, DATA.minimizer, tail=2000)
    decaying = tail_rms(minibatch_run(DATA, THETA, 1, inverse_decay(0.2, 100), 8000, seed=2).path,
                        DATA.minimizer, tail=2000)
    assert decaying < constant / 2


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


# --- the scene: what it draws and prints, against SGD written out and the closed form ---

def test_scene_draws_sgd_written_out_and_reports_its_numbers():
    r = BlitRenderer(MinibatchScene)
    r.frame(batch_size=8, lr=0.2, seed=3, decay=False)
    by_hand = sgd_by_hand(DATA, START, 0.2, 8, STEPS, seed=3)
    np.testing.assert_allclose(r.scene.sgd_path.get_xydata(), by_hand, rtol=1e-10)
    step = np.eye(2) - 0.2 * DATA.hessian
    full = np.array([DATA.minimizer + np.linalg.matrix_power(step, k) @ (np.array(START) - DATA.minimizer)
                     for k in range(STEPS + 1)])
    np.testing.assert_allclose(r.scene.full_path.get_xydata(), full, rtol=1e-9)
    noise = math.sqrt(np.mean(np.sum((by_hand - full) ** 2, axis=1)))
    tail = math.sqrt(np.mean(np.sum((by_hand[-TAIL:] - DATA.minimizer) ** 2, axis=1)))
    assert f"from the full-batch path, step by step: {noise:.3g}" in r.readout
    assert f"the last {TAIL} iterates lie {tail:.3g} from θ*" in r.readout
    assert f"one epoch = 250 steps of batch 8 = 2000 gradient evaluations (always n" in r.readout
    assert f"{STEPS} steps = {STEPS * 8} per-example gradient evaluations" in r.readout  # 8 divides n
    r.frame(batch_size=1024)  # 60 epochs of a batch of 1024 and a batch of 976
    assert f"{STEPS} steps = {60 * 2000} per-example gradient evaluations" in r.readout


def test_scene_readout_names_the_slider_values_exactly():
    r = BlitRenderer(MinibatchScene)
    for lr in MinibatchScene.controls["lr"].options[::25]:
        r.frame(lr=lr)
        assert f"α = {lr:g} constant" in r.readout
    r.frame(lr=0.5, decay=True)
    assert f"α decays 0.5 → {0.5 * 15 / (15 + STEPS - 1):.3g}" in r.readout


def test_scene_names_a_divergence():
    r = BlitRenderer(MinibatchScene)
    r.frame(batch_size=1024, lr=1.5, seed=0, decay=False)
    assert "diverged at step" in r.readout
    assert math.isfinite(np.abs(r.scene.sgd_path.get_xydata()).max())
    # full-batch descent diverges above 2/L_max: the scene's edge is the data's
    assert 2 / DATA.curvatures[1] < 1.5


def test_scene_rejects_a_foreign_problem():
    with pytest.raises(ValueError, match="LinearRegression"):
        BlitRenderer(MinibatchScene, problem=[1, 2, 3])
