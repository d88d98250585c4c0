"""helpers.initialisation: the symmetry of a zero start against its closed form, per-layer
gradient sizes against finite differences, the Xavier/He formulas against their papers'."""
import math

import numpy as np
import pytest

from helpers import initialisation as ini
from helpers.network import article_network


def test_first_step_from_zero_matches_the_closed_form():
    # From all zeros: every hidden unit outputs σ(0) = 1/2 and W2 = 0, so δ_hidden = 0: W1 stays 0
    # and W2[i, j] = −lr · (y_i − t_i) · y_i(1 − y_i) · 1/2 with y_i = σ(0) = 1/2.
    _, _, x, t = article_network()
    lr = 0.5
    run = ini.train(*ini.zero_network([2, 2, 2]), x, t, lr=lr, epochs=1)
    W1, W2 = run.weights[1]
    assert np.all(W1 == 0.0)
    y = 0.5
    expected = -lr * (y - t[0]) * y * (1 - y) * 0.5
    assert np.allclose(W2, np.column_stack([expected, expected]), rtol=1e-15, atol=0)
    assert run.errors[0] == pytest.approx(0.5 * np.sum((t[0] - 0.5) ** 2), rel=1e-15)


def test_zero_start_keeps_hidden_units_identical_and_random_breaks_it():
    _, _, x, t = article_network()
    zero = ini.train(*ini.zero_network([2, 2, 2]), x, t, lr=0.5, epochs=300)
    assert all(ini.unit_gap(w) == 0.0 for w in zero.weights)
    assert zero.errors[-1] < zero.errors[0]                  # it still learns the one example
    rand = ini.train(*ini.random_network([2, 2, 2], std=0.5, seed=0), x, t, lr=0.5, epochs=300)
    assert ini.unit_gap(rand.weights[-1]) > 0.1


def test_training_keeps_every_epoch():
    W, b, x, t = article_network()
    run = ini.train(W, b, x, t, lr=0.1, epochs=5)
    assert len(run.weights) == len(run.biases) == 6 and run.errors.shape == (6,)
    assert np.array_equal(run.weights[0][0], W[0]) and np.all(np.diff(run.errors) < 0)


def test_unit_gap_sees_incoming_and_outgoing_weights():
    W = [np.array([[1.0, 2.0], [1.0, 2.0]]), np.array([[0.5, 0.5]])]
    assert ini.unit_gap(W) == 0.0
    W[1][0, 1] = 0.75
    assert ini.unit_gap(W) == 0.25
    W[0][1, 0] = 2.0
    assert ini.unit_gap(W) == 1.0


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("scale", [0.5, 2.0])
@pytest.mark.parametrize("max_depth", [3, 6])
def test_per_layer_gradients_against_finite_differences(activation, scale, max_depth):
    # with max_depth 6 the 3-layer network is a prefix of a forward pass already made for 6 layers
    # and for the other scale (cached): the numbers must still be the 3-layer network's own
    probe = ini.DeepProbe(max_depth=max_depth, width=4, batch=5, seed=3)
    probe.gradients(max_depth, activation, scale)
    probe.gradients(3, activation, 3.0 - scale)
    got = probe.gradients(3, activation, scale)
    Ws = [scale * W for W in probe.base[:3]]
    h = 1e-6
    for l in range(3):
        G = np.zeros_like(Ws[l])
        for idx in np.ndindex(G.shape):
            up = [W.copy() for W in Ws]
            down = [W.copy() for W in Ws]
            up[l][idx] += h
            down[l][idx] -= h
            G[idx] = (probe.loss(up, activation) - probe.loss(down, activation)) / (2 * h)
        assert got.weights[l] == pytest.approx(np.linalg.norm(G), rel=1e-6, abs=1e-12)
    GX = np.zeros_like(probe.X)                              # the gradient reaching the input
    for idx in np.ndindex(GX.shape):
        up, down = probe.X.copy(), probe.X.copy()
        up[idx] += h
        down[idx] -= h
        GX[idx] = (probe.loss(Ws, activation, up) - probe.loss(Ws, activation, down)) / (2 * h)
    assert got.signal[0] == pytest.approx(np.linalg.norm(GX), rel=1e-6, abs=1e-12)
    assert got.signal[-1] == pytest.approx(np.linalg.norm(probe.v) / math.sqrt(len(probe.X)), rel=1e-12)


def test_a_revisited_setting_returns_the_same_read_only_numbers():
    probe = ini.DeepProbe()
    order = [(20, "tanh", 1.0), (21, "tanh", 1.0), (20, "relu", 1.0), (20, "tanh", 2.0), (20, "tanh", 1.0)]
    for setting in order + [(d, "sigmoid", s) for d in (50, 3, 49) for s in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)]:
        got = probe.gradients(*setting)
        want = ini.DeepProbe().gradients(*setting)  # nothing cached
        for a, b in zip((got.signal, got.weights, got.flat), (want.signal, want.weights, want.flat)):
            np.testing.assert_array_equal(a, b)
            assert not a.flags.writeable
    assert probe.gradients(20, "tanh", 1.0) is probe.gradients(20, "tanh", 1.0)


def test_depth_makes_sigmoid_vanish_and_the_scale_decides_for_relu():
    probe = ini.DeepProbe()
    assert probe.gradients(30, "sigmoid", 1.0).ratio < 4.0 ** -20   # slope ≤ 1/4 per layer
    assert probe.gradients(30, "relu", 0.5).ratio < 1e-6            # too small: vanishes
    assert 1e-2 < probe.gradients(30, "relu", math.sqrt(2)).ratio < 1e2  # He: about constant
    assert probe.gradients(30, "relu", 4.0).ratio > 1e6             # too large: explodes
    # ReLU is positively homogeneous: the ratio over k layers scales as scale**(k − 1)
    r1, r2 = probe.gradients(10, "relu", 1.0).ratio, probe.gradients(10, "relu", 2.0).ratio
    assert r2 / r1 == pytest.approx(2.0 ** 9, rel=1e-9)


def test_saturation_share():
    probe = ini.DeepProbe(max_depth=5)
    assert probe.gradients(5, "tanh", 0.05).flat.max() == 0.0
    assert probe.gradients(5, "sigmoid", 10.0).flat.mean() > 0.4
    assert np.all(probe.gradients(5, "relu", 1.0).flat > 0.2)       # switched-off units


def test_xavier_and_he_formulas():
    assert ini.xavier_std(100, 100) == pytest.approx(0.1, rel=1e-15)         # √(2/200)
    assert ini.xavier_std(784, 256) == pytest.approx(math.sqrt(2 / 1040), rel=1e-15)
    assert ini.he_std(50) == pytest.approx(0.2, rel=1e-15)                   # √(2/50)


def test_bad_arguments():
    probe = ini.DeepProbe(max_depth=4)
    with pytest.raises(ValueError, match="depth"):
        probe.gradients(5, "tanh", 1.0)
    with pytest.raises(ValueError, match="activation"):
        probe.gradients(2, "softplus", 1.0)


def test_relu_weight_gradients_keep_their_shape_across_scales():
    # ‖∂L/∂W_l‖ scales as scale**(depth − 1) for every l, so first/last does not depend on the scale
    probe = ini.DeepProbe()
    a, b = probe.gradients(12, "relu", 1.0), probe.gradients(12, "relu", 3.0)
    assert a.weights[0] / a.weights[-1] == pytest.approx(b.weights[0] / b.weights[-1], rel=1e-9)
    assert b.weights[-1] / a.weights[-1] == pytest.approx(3.0 ** 11, rel=1e-9)
