"""Back-propagation in helpers.network against central finite differences on random networks."""
import numpy as np
import pytest

from helpers.network import forward, loss_and_gradients, sigmoid


def random_net(sizes, batch, seed):
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(0, 1, (o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(0, 1, o) for o in sizes[1:]]
    return Ws, bs, rng.normal(0, 1, (batch, sizes[0])), rng.uniform(0, 1, (batch, sizes[-1]))


def error(Ws, bs, X, T):
    # independent of the module: a plain loop over examples and layers
    total = 0.0
    for x, t in zip(X, T):
        a = x
        for W, b in zip(Ws, bs):
            a = 1 / (1 + np.exp(-(W @ a + b)))
        total += 0.5 * np.sum((t - a) ** 2)
    return total / len(X)


@pytest.mark.parametrize("sizes,batch", [([2, 2, 2], 1), ([3, 5, 1], 4), ([4, 3, 6, 2], 7), ([1, 8, 8, 8, 3], 2)])
def test_gradients_match_finite_differences(sizes, batch):
    Ws, bs, X, T = random_net(sizes, batch, seed=len(sizes) * 10 + batch)
    E, dW, db = loss_and_gradients(Ws, bs, X, T)
    assert E == pytest.approx(error(Ws, bs, X, T), rel=1e-12)
    h = 1e-6
    for params, grads in ((Ws, dW), (bs, db)):
        for p, g in zip(params, grads):
            assert g.shape == p.shape
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h; up = error(Ws, bs, X, T)
                p[idx] = old - h; down = error(Ws, bs, X, T)
                p[idx] = old
                numeric = (up - down) / (2 * h)
                assert abs(g[idx] - numeric) <= 1e-7 * max(1.0, abs(numeric)) + 1e-10


def test_forward_returns_every_layer():
    Ws, bs, X, _ = random_net([3, 4, 2], 5, seed=0)
    acts = forward(Ws, bs, X)
    assert [a.shape for a in acts] == [(5, 3), (5, 4), (5, 2)]
    assert acts[0] is not None and np.all((acts[2] > 0) & (acts[2] < 1))


def test_sigmoid_is_stable_and_exact():
    assert sigmoid(0.0) == 0.5
    assert sigmoid(-1000.0) == 0.0 and sigmoid(1000.0) == 1.0
    assert sigmoid(0.154) == pytest.approx(1 / (1 + np.exp(-0.154)), rel=1e-15)


@pytest.mark.parametrize("mutate,match", [
    (lambda Ws, bs, X, T: (Ws, bs, X[:, :1], T), "X has 1 features"),
    (lambda Ws, bs, X, T: (Ws, bs, X[:0], T[:0]), "empty batch"),
    (lambda Ws, bs, X, T: (Ws, bs, X, T[:, :1]), "T must have shape"),
    (lambda Ws, bs, X, T: (Ws, [bs[0], bs[1][:1]], X, T), r"biases\[1\]"),
    (lambda Ws, bs, X, T: ([Ws[0], Ws[1][:, :1]], bs, X, T), r"weights\[1\] takes 1 inputs"),
    (lambda Ws, bs, X, T: (Ws, bs, np.where(X > 0, np.nan, X), T), "X contains NaN"),
    (lambda Ws, bs, X, T: ([Ws[0] * np.inf, Ws[1]], bs, X, T), r"weights\[0\] contains"),
    (lambda Ws, bs, X, T: (Ws, bs[:1], X, T), "equal length"),
])
def test_bad_arguments_name_the_culprit(mutate, match):
    Ws, bs, X, T = random_net([3, 4, 2], 5, seed=1)
    with pytest.raises(ValueError, match=match):
        loss_and_gradients(*mutate(Ws, bs, X, T))
