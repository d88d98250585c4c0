"""helpers.training against hand-made curves, closed-form Hessians, finite differences and plain loops."""
import numpy as np
import pytest

from helpers import curvature, datasets, training
from helpers.network import article_network, forward, loss_and_gradients
from helpers.sgd import batches_per_epoch, minibatches


# ---- early stopping -------------------------------------------------------------------------

@pytest.mark.parametrize("curve,patience,expected", [
    ([5, 4, 3, 2, 3, 4, 5, 6], 2, (5, 3)),            # a V: stop two epochs after the bottom
    ([5, 4, 3, 2, 3, 4, 5, 6], 1, (4, 3)),
    ([5, 4, 4.5, 4.2, 3, 3.5, 3.6, 3.7], 3, (7, 4)),  # a dip inside the patience window resets the count
    ([5, 4, 4.5, 4.2, 3, 3.5, 3.6, 3.7], 2, (3, 1)),  # … unless the window is shorter
    ([3, 2, 2, 2, 2, 2], 3, (4, 1)),                  # ties are not improvements
    ([9, 8, 7, 6, 5], 2, (4, 4)),                     # still improving: run to the end
    ([1.0], 5, (0, 0)),
    ([4, 3, 5, 6], 10, (3, 1)),                       # patience longer than the run: the end, best kept
])
def test_early_stopping_on_hand_made_curves(curve, patience, expected):
    decision = training.early_stopping(curve, patience)
    assert tuple(decision) == expected
    assert decision.stop_epoch == expected[0] and decision.best_epoch == expected[1]


def test_early_stopping_best_is_the_minimum_seen_before_stopping():
    rng = np.random.default_rng(3)
    for _ in range(50):
        v = rng.uniform(0, 1, rng.integers(1, 40))
        p = int(rng.integers(1, 8))
        stop, best = training.early_stopping(v, p)
        assert best == int(np.argmin(v[:stop + 1])) and best <= stop
        assert stop == len(v) - 1 or stop - best == p


@pytest.mark.parametrize("curve,patience,match", [
    ([1, 2], 0, "patience"), ([1, 2], -3, "patience"), ([1, 2], 1.5, "patience"), ([1, 2], True, "patience"),
    ([], 2, "non-empty"), ([[1, 2]], 2, "1-D"), ([1, np.nan], 2, "finite"),
])
def test_early_stopping_rejects_bad_arguments(curve, patience, match):
    with pytest.raises(ValueError, match=match):
        training.early_stopping(curve, patience)


# ---- train / validation split ---------------------------------------------------------------

@pytest.mark.parametrize("n,fraction", [(10, 0.2), (60, 0.8), (7, 0.5), (1000, 0.1), (2, 0.5)])
def test_split_is_disjoint_complete_and_sized(n, fraction):
    tr, va = datasets.train_validation_split(n, fraction, seed=4)
    assert len(va) == round(fraction * n) and len(tr) == n - len(va)
    assert not set(tr) & set(va)
    assert sorted(np.concatenate([tr, va])) == list(range(n))
    assert np.all(np.diff(tr) > 0) and np.all(np.diff(va) > 0)


def test_split_is_repeatable_and_depends_on_the_seed():
    a = datasets.train_validation_split(50, 0.3, seed=1)
    b = datasets.train_validation_split(50, 0.3, seed=1)
    c = datasets.train_validation_split(50, 0.3, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[1], c[1])


@pytest.mark.parametrize("n,fraction", [(10, 0), (10, 1), (10, -0.1), (10, 1.5), (10, float("nan")),
                                        (10, "half"), (10, None), (10, 0.01), (10, 0.99), (1, 0.5), (10.0, 0.5)])
def test_split_rejects_bad_fractions_and_sizes(n, fraction):
    with pytest.raises(ValueError):
        datasets.train_validation_split(n, fraction)


@pytest.mark.parametrize("n,n_val,n_test", [(100, 48, 40), (3, 1, 1), (10, 2, 7)])
def test_three_way_split_is_disjoint_complete_sized_and_seeded(n, n_val, n_test):
    tr, va, te = datasets.train_validation_test_split(n, n_val, n_test, seed=3)
    assert (len(tr), len(va), len(te)) == (n - n_val - n_test, n_val, n_test)
    assert sorted(np.concatenate([tr, va, te])) == list(range(n))
    assert all(np.all(np.diff(a) > 0) for a in (tr, va, te))
    again = datasets.train_validation_test_split(n, n_val, n_test, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip((tr, va, te), again))


def test_three_way_split_depends_on_the_seed_and_rejects_bad_sizes():
    a = datasets.train_validation_test_split(100, 30, 30, seed=1)
    b = datasets.train_validation_test_split(100, 30, 30, seed=2)
    assert not np.array_equal(a[2], b[2])
    for args in ((10, 5, 5), (10, 0, 3), (10, 3, 0), (2, 1, 1), (10, 2.5, 3)):
        with pytest.raises(ValueError):
            datasets.train_validation_test_split(*args)


# ---- curvature ------------------------------------------------------------------------------

@pytest.mark.parametrize("eigs", [(0.5, 2.0, 7.0), (-3.0, 0.1, 1.2, 4.0), (10.0,)])
def test_largest_eigenvalue_of_a_quadratic(eigs):
    rng = np.random.default_rng(len(eigs))
    Q, _ = np.linalg.qr(rng.normal(size=(len(eigs), len(eigs))))
    A = Q @ np.diag(eigs) @ Q.T
    b = rng.normal(size=len(eigs))
    grad = lambda x: A @ x + b  # f = ½xᵀAx + bᵀx has Hessian A everywhere
    x = rng.normal(size=len(eigs))
    np.testing.assert_allclose(curvature.hessian(grad, x), A, atol=1e-7)
    assert curvature.largest_eigenvalue(grad, x) == pytest.approx(max(eigs), rel=1e-7)


def test_hessian_of_a_non_quadratic_matches_its_closed_form():
    # f = e^x + e^y + x·y: Hessian [[e^x, 1], [1, e^y]]
    grad = lambda p: np.array([np.exp(p[0]) + p[1], np.exp(p[1]) + p[0]])
    p = np.array([0.3, -0.7])
    exact = np.array([[np.exp(0.3), 1.0], [1.0, np.exp(-0.7)]])
    np.testing.assert_allclose(curvature.hessian(grad, p), exact, rtol=1e-8)
    assert curvature.largest_eigenvalue(grad, p) == pytest.approx(np.linalg.eigvalsh(exact)[-1], rel=1e-8)


def test_stability_edge_on_a_quadratic():
    A = np.diag([1.0, 4.0])
    edge = 2 / curvature.largest_eigenvalue(lambda x: A @ x, np.zeros(2))
    for lr, stable in ((0.95 * edge, True), (1.05 * edge, False)):
        x = np.array([1.0, 1.0])
        for _ in range(400):
            x = x - lr * (A @ x)
        assert (np.abs(x).max() < 1e-3) == stable


# ---- networks as vectors, many at once ------------------------------------------------------

def random_net(sizes, n, seed):
    rng = np.random.default_rng(seed)
    Ws = [rng.normal(0, 1, (o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [rng.normal(0, 1, o) for o in sizes[1:]]
    return Ws, bs, rng.normal(0, 1, (n, sizes[0])), rng.uniform(0, 1, (n, sizes[-1]))


def test_pack_and_unpack_round_trip():
    Ws, bs, _, _ = random_net([3, 4, 2], 1, 0)
    theta = training.pack(Ws, bs)
    assert theta.shape == (training.n_parameters([3, 4, 2]),) == (3 * 4 + 4 + 4 * 2 + 2,)
    Ws2, bs2 = training.unpack(theta, training.layer_sizes(Ws))
    for a, b in zip(Ws + bs, Ws2 + bs2):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(theta[:3], Ws[0][0])  # first row of the first layer comes first
    with pytest.raises(ValueError, match="theta must have shape"):
        training.unpack(theta[:-1], [3, 4, 2])


def error_by_hand(theta, sizes, X, T):
    """E = mean over examples of Σ ½(t − y)², the forward pass written out here with numpy alone."""
    A, i = np.asarray(X, dtype=float), 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = theta[i:i + n_in * n_out].reshape(n_out, n_in)
        b = theta[i + n_in * n_out:i + n_in * n_out + n_out]
        i += n_in * n_out + n_out
        A = 1 / (1 + np.exp(-(A @ W.T + b)))
    return 0.5 * np.sum((np.asarray(T) - A) ** 2) / len(X)


@pytest.mark.parametrize("sizes,n", [([2, 2, 2], 1), ([1, 5, 1], 6), ([3, 4, 3, 2], 4)])
def test_batched_gradients_match_finite_differences(sizes, n):
    thetas = np.stack([training.pack(*random_net(sizes, n, s)[:2]) for s in range(3)])
    _, _, X, T = random_net(sizes, n, 9)
    E, G, Y = training.batched_gradients(thetas, sizes, X, T)
    np.testing.assert_allclose(training.errors(thetas, sizes, X, T), E, rtol=1e-12)
    h = 1e-6
    for s, theta in enumerate(thetas):
        Ws, bs = training.unpack(theta, sizes)
        assert E[s] == pytest.approx(error_by_hand(theta, sizes, X, T), rel=1e-12)
        np.testing.assert_allclose(Y[s], forward(Ws, bs, X)[-1], rtol=1e-12)
        for i in range(theta.size):
            e = np.zeros_like(theta)
            e[i] = h
            up, down = error_by_hand(theta + e, sizes, X, T), error_by_hand(theta - e, sizes, X, T)
            assert G[s, i] == pytest.approx((up - down) / (2 * h), abs=1e-8)


def test_predict_works_through_many_snapshots_in_chunks():
    sizes = [1, 30, 1]
    thetas = np.stack([training.pack(*training.init_network(sizes, seed=s, scale=3.0)) for s in range(5)])
    thetas = np.repeat(thetas, 200, axis=0)  # 1000 networks: several chunks
    X = np.linspace(-1, 1, 150)[:, None]
    Y = training.predict(thetas, sizes, X)
    assert Y.shape == (1000, 150, 1)
    for s in (0, 399, 999):
        np.testing.assert_allclose(Y[s], forward(*training.unpack(thetas[s], sizes), X)[-1], rtol=1e-12)


# ---- training ---------------------------------------------------------------------------------

def plain_loop(Ws, bs, X, T, lr, epochs):
    """Full-batch descent written out with helpers.network only."""
    Ws, bs = [W.copy() for W in Ws], [b.copy() for b in bs]
    Es = []
    for _ in range(epochs + 1):
        E, dW, db = loss_and_gradients(Ws, bs, X, T)
        Es.append(E)
        Ws = [W - lr * d for W, d in zip(Ws, dW)]
        bs = [b - lr * d for b, d in zip(bs, db)]
    return np.array(Es)


def test_training_the_article_network_lowers_e_and_matches_a_plain_loop():
    Ws, bs, x, t = article_network()
    run = training.train(Ws, bs, x, t, 0.5, 300)
    assert run.epochs == 300 and run.snapshots.shape == (301, 12) and run.diverged_at is None
    np.testing.assert_allclose(run.train_error, plain_loop(Ws, bs, x, t, 0.5, 300), rtol=1e-12)
    assert np.all(np.diff(run.train_error) < 0) and run.train_error[-1] < 0.05 * run.train_error[0]
    assert run.train_error[0] == pytest.approx(0.184972, abs=5e-6)  # the article's total error


def test_own_biases_differ_from_the_articles_shared_ones_after_one_step():
    # issue 12 item 2: E after one step at α = 0.01 is 0.184659 with a bias per unit (notebooks 11, 12)
    # and 0.184766 with the article's shared bias per layer (notebook 09)
    Ws, bs, x, t = article_network()
    run = training.train(Ws, bs, x, t, 0.01, 1)
    assert run.snapshots.shape == (2, 12)
    assert round(run.train_error[1], 6) == 0.184659
    _, dW, db = loss_and_gradients(Ws, bs, x, t)
    shared = [b - 0.01 * g.sum() for b, g in zip(bs, db)]   # one bias per layer: the sum of its units' gradients
    stepped = [W - 0.01 * g for W, g in zip(Ws, dW)]
    assert round(loss_and_gradients(stepped, shared, x, t)[0], 6) == 0.184766


def test_sweep_rows_are_the_runs_at_each_rate():
    Ws, bs, x, t = article_network()
    sweep = training.sweep_learning_rates(Ws, bs, x, t, [0.01, 3.0, 200.0], 60)
    for r, lr in enumerate(sweep.rates):
        np.testing.assert_allclose(sweep.errors[:, r], plain_loop(Ws, bs, x, t, lr, 60), rtol=1e-10)
    assert sweep.outputs.shape == (61, 3, 1, 2) and sweep.max_weight.shape == (61, 3)


def test_minibatch_training_lowers_training_error_and_reports_progress():
    X, T = datasets.noisy_curve(30, 0.1, seed=1)
    tr, va = datasets.train_validation_split(30, 0.3, seed=1)
    Ws, bs = training.init_network([1, 8, 1], seed=0, scale=3.0)
    calls = []
    run = training.train(Ws, bs, X[tr], T[tr], 1.0, 120, batch_size=5, seed=0, validation=(X[va], T[va]),
                         progress=lambda done, total: calls.append((done, total)))
    assert run.steps_per_epoch == 5 and run.snapshots.shape[0] == 121
    assert run.train_error[-1] < 0.5 * run.train_error[0]
    assert run.validation_error.shape == (121,)
    assert calls[-1] == (120, 120) and len(calls) >= 2
    # the same training written out epoch by epoch with helpers.network and the seeded sampler
    Wp, bp = [W.copy() for W in Ws], [b.copy() for b in bs]
    batches = minibatches(len(tr), 5, 120, seed=0)
    val = [loss_and_gradients(Wp, bp, X[va], T[va])[0]]
    for epoch in range(120):
        for _ in range(batches_per_epoch(len(tr), 5)):
            idx = next(batches)
            _, dW, db = loss_and_gradients(Wp, bp, X[tr][idx], T[tr][idx])
            Wp = [W - 1.0 * d for W, d in zip(Wp, dW)]
            bp = [b - 1.0 * d for b, d in zip(bp, db)]
        val.append(loss_and_gradients(Wp, bp, X[va], T[va])[0])
    np.testing.assert_allclose(run.validation_error, val, rtol=1e-10)
    np.testing.assert_allclose(run.train_error[-1], loss_and_gradients(Wp, bp, X[tr], T[tr])[0], rtol=1e-10)


def test_the_overfitting_experiment_overfits():
    exp = training.overfitting_experiment(epochs=800)
    v, e = exp.run.validation_error, exp.run.train_error
    best, stop = exp.stop.best_epoch, exp.stop.stop_epoch
    assert 0 < best < stop < 800 and stop - best == exp.patience
    assert v[-1] > 1.2 * v[best]      # validation error turned upward …
    assert e[-1] < 0.7 * e[best]      # … while training error kept falling
    assert len(exp.X_train) == 12 and len(exp.X_val) == 48 and len(exp.X_test) == 40
    # the test set is disjoint from the others, and its error is that of the kept weights
    seen = {float(a) for a in np.r_[exp.X_train[:, 0], exp.X_val[:, 0]]}
    assert not seen & {float(a) for a in exp.X_test[:, 0]}
    kept = error_by_hand(exp.run.snapshots[best], exp.run.sizes, exp.X_test, exp.T_test)
    assert exp.test_error == pytest.approx(kept, rel=1e-12)
    assert exp.test_error > v[best]  # the validation minimum was chosen for being low: optimistic here


@pytest.mark.parametrize("call,match", [
    (lambda Ws, bs, x, t: training.train(Ws, bs, x, t, 0.1, -1), "epochs"),
    (lambda Ws, bs, x, t: training.train(Ws, bs, x, t, 0.1, 5, batch_size=0), "batch_size"),
    (lambda Ws, bs, x, t: training.train(Ws, bs, x, t, 0.0, 5), "lr"),
    (lambda Ws, bs, x, t: training.sweep_learning_rates(Ws, bs, x, t, [0.1, -1.0], 5), "rates"),
    (lambda Ws, bs, x, t: training.init_network([2], 0), "sizes"),
    (lambda Ws, bs, x, t: training.init_network([2, 0, 1], 0), "sizes"),
    (lambda Ws, bs, x, t: datasets.noisy_curve(0), "n must"),
    (lambda Ws, bs, x, t: datasets.noisy_curve(5, noise=-1), "noise"),
])
def test_bad_arguments_raise_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call(*article_network())


def test_noisy_curve_is_seeded_and_inside_the_sigmoid_range():
    X, T = datasets.noisy_curve(200, 0.15, seed=5)
    X2, T2 = datasets.noisy_curve(200, 0.15, seed=5)
    assert X.shape == T.shape == (200, 1) and np.array_equal(T, T2) and np.array_equal(X, X2)
    assert np.all((T >= 0.01) & (T <= 0.99)) and np.all(np.abs(X) <= 1)
    Xc, Tc = datasets.noisy_curve(20, 0.0, seed=5)
    np.testing.assert_allclose(Tc, datasets.true_curve(Xc))


# ---- what a run did -----------------------------------------------------------------------------

def outputs_of(ys):
    return np.asarray(ys, dtype=float).reshape(len(ys), 1, 1)


def test_verdicts_on_hand_made_runs():
    t = np.array([[0.3]])
    E = 0.5 * np.geomspace(0.1, 1e-6, 50) ** 2
    assert training.verdict(E, outputs_of(0.3 + np.geomspace(0.1, 1e-6, 50)), t).status == "converged"
    stuck_y = np.r_[0.4, 0.2, np.full(48, 1e-4)]  # thrown to y ≈ 0 at step 2, never back
    v = training.verdict(0.5 * (stuck_y - 0.3) ** 2, outputs_of(stuck_y), t)
    assert v.status == "saturated" and v.step == 2
    v = training.verdict(0.5 * (stuck_y - 0.3) ** 2, outputs_of(stuck_y), t, diverged_at=7)
    assert v.status == "diverged" and v.step == 7
    assert training.verdict(E, outputs_of(0.3 + np.geomspace(0.1, 1e-6, 50)), t, diverged_at=-1).status == "converged"
    bouncing = 0.3 + 0.05 * (-1.0) ** np.arange(50) * (1 + 0.01 * (np.arange(50) % 3))
    assert training.verdict(0.5 * (bouncing - 0.3) ** 2, outputs_of(bouncing), t).status == "oscillating"
    slow = 0.3 + np.linspace(0.2, 0.1, 50)
    assert training.verdict(0.5 * (slow - 0.3) ** 2, outputs_of(slow), t).status == "still descending"


def test_verdicts_on_the_article_network():
    Ws, bs, x, t = article_network()
    sweep = training.sweep_learning_rates(Ws, bs, x, t, [5.0, 1000.0], 300)
    ok, blown = (training.verdict(sweep.errors[:, r], sweep.outputs[:, r], t) for r in range(2))
    assert ok.status == "converged"
    assert blown.status == "saturated" and blown.step == 1
    assert np.all(sweep.diverged_at == -1)


def test_a_small_stuck_error_is_saturated_not_diverged_or_converged():
    # issue 12 item 3: α = 100 ends with E ≈ 0.0020, below the 0.0324 of α = 0.01, yet it is stuck
    Ws, bs, x, t = article_network()
    E100, E001 = plain_loop(Ws, bs, x, t, 100.0, 1000), plain_loop(Ws, bs, x, t, 0.01, 1000)
    assert round(E100[-1], 4) == 0.0020 and round(E001[-1], 4) == 0.0324
    sweep = training.sweep_learning_rates(Ws, bs, x, t, [100.0, 0.01], 1000)
    v100, v001 = (training.verdict(sweep.errors[:, r], sweep.outputs[:, r], t) for r in range(2))
    assert v100.status == "saturated" and v001.status == "still descending"
    y = sweep.outputs[-1, 0, 0]
    assert np.min(y * (1 - y)) < 1e-5                                # an output on the flat of its sigmoid
    assert sweep.max_weight[-1, 0] > 10 * sweep.max_weight[0, 0]    # |w| ran off
    # stuck: a good learning rate from there cannot bring E below ½·0.05² (y1 stays at 0)
    run = training.train(Ws, bs, x, t, 100.0, 1000)
    more = plain_loop(*run.network(), x, t, 1.0, 1000)
    assert more[-1] > 0.5 * 0.05 ** 2 * 0.999


def test_diverged_means_the_weights_left_the_bound():
    Ws, bs, x, t = article_network()
    sweep = training.sweep_learning_rates(Ws, bs, x, t, [0.5, 1000.0], 20, bound=5.0)
    assert sweep.diverged_at[0] == -1 and sweep.diverged_at[1] == 1   # one step at α = 1000 throws |w| past 5
    v = training.verdict(sweep.errors[:, 1], sweep.outputs[:, 1], t, diverged_at=int(sweep.diverged_at[1]))
    assert v.status == "diverged" and v.step == 1
    assert np.all(sweep.max_weight[:, 1] <= 5.0)                  # the run stays where it was


def test_article_sweep_breaks_where_a_plain_loop_saturates():
    from helpers.training_scenes import NetworkLearningRateScene
    options = NetworkLearningRateScene.controls["lr"].options
    sweep, lam, verdicts = training.article_sweep(options, 1000)
    assert tuple(sweep.rates) == options and len(verdicts) == len(options)
    assert 2 / lam == pytest.approx(18.95, abs=0.005)
    edge = training.breaking_rate(sweep.rates, verdicts)
    below = options[options.index(edge) - 1]
    Ws, bs, x, t = article_network()
    for lr, stuck in ((below, False), (edge, True)):
        Wp, bp = [W.copy() for W in Ws], [b.copy() for b in bs]
        for _ in range(1000):
            _, dW, db = loss_and_gradients(Wp, bp, x, t)
            Wp, bp = [W - lr * d for W, d in zip(Wp, dW)], [b - lr * d for b, d in zip(bp, db)]
        y = forward(Wp, bp, x)[-1][0]
        assert (np.min(y * (1 - y)) < 0.01) == stuck, lr
    assert training.breaking_rate([1.0, 2.0], [training.Verdict("converged", 3, 0)] * 2) is None


# ---- the figures and the panel --------------------------------------------------------------------

def test_learning_rate_scene_names_the_regimes():
    from helpers.fastfig import BlitRenderer
    from helpers.training_scenes import NetworkLearningRateScene
    r = BlitRenderer(NetworkLearningRateScene)
    r.frame(lr=1.0)
    assert r.readout.startswith("α = 1: converged smoothly")
    r.frame(lr=1000.0)
    assert r.readout.startswith("α = 1000: saturated from epoch 1")
    r.frame(lr=0.01)
    assert "still descending" in r.readout
    assert r.scene.index(0.0101) == 0 and r.scene.index(1e9) == r.scene.sweep.rates.size - 1


def test_the_readout_names_exactly_the_value_the_slider_shows():
    # issue 12 item 1: the slider showed α = 30 while the readout said 29.85 (a 10^0.025 grid)
    from helpers.fastfig import BlitRenderer
    from helpers.training_scenes import NetworkLearningRateScene
    spec = NetworkLearningRateScene.controls["lr"]
    r = BlitRenderer(NetworkLearningRateScene)
    rates = r.scene.sweep.rates
    assert set(spec.options) <= set(rates.tolist())              # every slider position is swept
    for value in spec.options:
        assert rates[r.scene.index(value)] == value
    for value in (30.0, 0.01, 1000.0, 2.5, 17.0, spec.snap(29.85)):
        r.frame(lr=value)
        assert r.readout.startswith(f"α = {value:g}: "), r.readout
    assert spec.snap(29.85) == 30.0


def test_training_panel_trains_on_demand_and_loads_the_figure():
    from helpers.training_widget import TrainingWidget
    w = TrainingWidget(training.overfitting_experiment(hidden=5, epochs=150))
    assert w.live.scene.exp.run.epochs == 150 and w.live.values == {"epoch": 150}
    w.hidden.value, w.epochs.value, w.n_train.value = 6, 200, 8
    assert w.live.scene.exp.run.epochs == 150  # moving a slider does not retrain
    assert "press Train" in w.status.value
    exp = w.train()
    assert w.live.scene.exp is exp and exp.run.epochs == 200 and exp.run.sizes == [1, 6, 1]
    assert w.live.controls["epoch"].max == 200 and w.live.values == {"epoch": 200}
    assert w.live.readout_text.startswith("epoch 200 of 200")
    w.live.set(epoch=exp.stop.best_epoch)
    assert "+0.0% from its minimum" in w.live.readout_text and "-0.0" not in w.live.readout_text
    assert repr(w).startswith("TrainingWidget(hidden=6, lr=1, n_train=8, epochs=200;")
    # the α slider shows exactly the value trained with (no 10^0.05 grid behind a rounded label)
    labels = dict((v, k) for k, v in w.lr.options)
    assert all(k == f"{v:g}" for v, k in labels.items()) and 0.3 in labels and 2.5 in labels
    w.lr.value = 0.3
    assert w.train().lr == 0.3


def test_many_network_functions_check_the_parameter_shape():
    with pytest.raises(ValueError, match=r"thetas must have shape \(S, 12\)"):
        training.predict(np.zeros((3, 11)), [2, 2, 2], np.zeros((1, 2)))
    with pytest.raises(ValueError, match="outputs must have shape"):
        training.verdict([1.0, 0.5], np.zeros((3, 1, 1)), np.zeros((1, 1)))


def test_epoch_slider_ends_at_the_runs_last_epoch():
    """A run shorter than the slider's class range: the slider stops at its last epoch, so every
    position shows a different epoch (positions past the end used to repeat the last one)."""
    from helpers.live import LiveFigure
    from helpers.training_scenes import OverfittingScene
    exp = training.overfitting_experiment(hidden=4, epochs=120)
    live = LiveFigure(OverfittingScene, params={"experiment": exp})  # the class default, 1500, is past the end
    slider = live.controls["epoch"]
    assert (slider.min, slider.max, slider.value) == (0, 120, 120)
    assert live.readout_text.startswith("epoch 120 of 120")
    live.set(epoch=119)
    assert live.readout_text.startswith("epoch 119 of 120")
    live.set(epoch=500)  # from code: moved to the end, as the browser would
    assert live.values == {"epoch": 120} and live.readout_text.startswith("epoch 120 of 120")


def test_training_panel_can_drive_an_existing_figure():
    from helpers.live import LiveFigure
    from helpers.training_scenes import NetworkLearningRateScene, OverfittingScene
    from helpers.training_widget import TrainingWidget
    exp = training.overfitting_experiment(hidden=4, epochs=120)
    live = LiveFigure(OverfittingScene, params={"experiment": exp}, epoch=120)
    w = TrainingWidget(live=live)
    assert w.live is live
    w.epochs.value = 100
    w.train()
    assert live.scene.exp.run.epochs == 100 and live.values == {"epoch": 100}
    with pytest.raises(ValueError, match="OverfittingScene"):
        TrainingWidget(live=LiveFigure(NetworkLearningRateScene))
    with pytest.raises(ValueError, match="not both"):
        TrainingWidget(exp, live=live)
