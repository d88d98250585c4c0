"""The shared descent loop and mini-batch sampler against closed forms on quadratics."""
import numpy as np
import pytest

from helpers.descent import gradient_descent
from helpers.sgd import batches_per_epoch, minibatches


@pytest.mark.parametrize("L", [0.5, 2.0, 10.0])
def test_quadratic_iterates_follow_the_closed_form(L):
    # f = L/2·x², so x_k = (1 − αL)^k·x₀ exactly
    lr, x0 = 0.7 / L, 3.0
    res = gradient_descent(lambda x: L * x, x0, lr, 20)
    np.testing.assert_allclose(res.path, x0 * (1 - lr * L) ** np.arange(21))
    assert res.diverged_at is None and res.path.shape == (21,)


@pytest.mark.parametrize("L", [1.0, 4.0])
def test_converges_below_and_diverges_above_two_over_L(L):
    below = gradient_descent(lambda x: L * x, np.array([1.0, -2.0]), 1.9 / L, 500)
    assert below.diverged_at is None and np.abs(below.final).max() < 1e-6
    above = gradient_descent(lambda x: L * x, np.array([1.0, -2.0]), 2.1 / L, 10_000)
    assert above.diverged_at is not None
    assert np.all(np.isfinite(above.path)) and above.path.shape[1:] == (2,)
    assert len(above.path) == above.diverged_at  # x₀ … x_{k−1} kept; x_k left the bound
    k = above.diverged_at  # |1 − αL|^k · 2 first exceeds the bound 1e8 at this k
    assert 2 * 1.1 ** (k - 1) <= 1e8 < 2 * 1.1 ** k


def test_schedule_and_batches():
    seen = []
    res = gradient_descent(lambda x, b: seen.append(b.copy()) or x, 1.0, lambda t: 0.5 / (1 + t), 100,
                           batches=minibatches(4, 2, epochs=2, seed=1))
    assert len(seen) == 4 and res.steps_taken == 4  # the sampler ran out after two epochs
    np.testing.assert_allclose(res.final, 1 * 0.5 * (1 - 0.5 / 2) * (1 - 0.5 / 3) * (1 - 0.5 / 4))


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf"), "fast"])
def test_bad_learning_rate(lr):
    with pytest.raises(ValueError, match="lr must be"):
        gradient_descent(lambda x: x, 1.0, lr, 5)


def test_bad_schedule_names_step():
    with pytest.raises(ValueError, match="at step 3"):
        gradient_descent(lambda x: x, 1.0, lambda t: 0.1 if t < 3 else 0.0, 5)


@pytest.mark.parametrize("x0", [float("nan"), [1.0, float("inf")]])
def test_bad_start(x0):
    with pytest.raises(ValueError, match="x0 must be finite"):
        gradient_descent(lambda x: x, x0, 0.1, 5)


@pytest.mark.parametrize("steps", [-1, 2.5, True])
def test_bad_steps(steps):
    with pytest.raises(ValueError, match="steps must be"):
        gradient_descent(lambda x: x, 1.0, 0.1, steps)


def test_zero_steps_is_just_the_start():
    res = gradient_descent(lambda x: x, [1.0, 2.0], 0.1, 0)
    assert res.path.shape == (1, 2) and res.diverged_at is None


def test_shuffled_epochs_visit_every_example_once():
    n, b = 10, 3
    batches = list(minibatches(n, b, epochs=3, seed=7))
    per = batches_per_epoch(n, b)
    assert per == 4 and len(batches) == 3 * per
    for e in range(3):
        epoch = np.concatenate(batches[e * per:(e + 1) * per])
        assert sorted(epoch) == list(range(n))
    assert [len(x) for x in batches[:per]] == [3, 3, 3, 1]


def test_seed_repeats_and_differs():
    a = [x.tolist() for x in minibatches(20, 4, 2, seed=3)]
    assert a == [x.tolist() for x in minibatches(20, 4, 2, seed=3)]
    assert a != [x.tolist() for x in minibatches(20, 4, 2, seed=4)]


def test_with_replacement_is_uniform():
    counts = np.bincount(np.concatenate(list(minibatches(5, 1, 2000, seed=0, replace=True))), minlength=5)
    assert counts.sum() == 2000 * 5 and np.all(np.abs(counts / counts.sum() - 0.2) < 0.02)


@pytest.mark.parametrize("kw", [dict(batch_size=0), dict(batch_size=11), dict(batch_size=2.0),
                                dict(n=0), dict(epochs=-1)])
def test_bad_sampler_arguments(kw):
    args = dict(n=10, batch_size=2, epochs=1) | kw
    with pytest.raises(ValueError, match=next(iter(kw))):
        list(minibatches(**args))
