"""helpers.regression against independent references: numpy's least-squares solver, finite
differences of the cost, the cost written out by hand as a loop, and eigenvalues of the
Hessian found by finite differences of the gradient."""
import numpy as np
import pytest

from helpers.regression import LinearRegression, regression_data

SMALL = regression_data()
BIG = regression_data(n=500, seed=3, w=2.0, b=-1.0, noise=1.0, x_min=-1.0, x_max=2.0)
THETAS = [np.array([-1.5, -2.5]), np.array([0.3, 0.7]), np.array([4.0, -3.0])]


def cost_by_hand(data, theta):
    """J(w, b) = (1/n)·Σ ½·(w·xᵢ + b − yᵢ)², a plain loop over the examples."""
    w, b = theta
    return sum(0.5 * (w * xi + b - yi) ** 2 for xi, yi in zip(data.x, data.y)) / len(data.x)


def central(func, theta, h=1e-5):
    """Central-difference derivative of func with respect to θ = (w, b), stacked on the last axis."""
    cols = []
    for j in range(2):
        e = np.zeros(2)
        e[j] = h
        cols.append((np.asarray(func(theta + e)) - np.asarray(func(theta - e))) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("data", [SMALL, BIG])
def test_minimizer_is_numpys_least_squares_line(data):
    A = np.column_stack([data.x, np.ones(data.n)])
    (w, b), *_ = np.linalg.lstsq(A, data.y, rcond=None)
    np.testing.assert_allclose(data.minimizer, [w, b], rtol=1e-10)
    assert data.min_loss == pytest.approx(cost_by_hand(data, (w, b)), rel=1e-10)
    np.testing.assert_allclose(data.grad(data.minimizer), 0, atol=1e-12)


@pytest.mark.parametrize("data", [SMALL, BIG])
@pytest.mark.parametrize("theta", THETAS)
def test_cost_is_the_mean_of_half_squared_residuals(data, theta):
    # the one convention: mean ½r², not mean r² (twice as large) nor Σ ½r² (n times as large)
    assert data.cost(theta) == pytest.approx(cost_by_hand(data, theta), rel=1e-12)
    assert data.excess_loss(theta) == pytest.approx(cost_by_hand(data, theta) - data.min_loss, rel=1e-8)


@pytest.mark.parametrize("data", [SMALL, BIG])
@pytest.mark.parametrize("theta", THETAS)
def test_gradient_is_the_slope_of_the_cost(data, theta):
    np.testing.assert_allclose(data.grad(theta), central(lambda t: cost_by_hand(data, t), theta),
                               rtol=1e-7, atol=1e-7)
    # and per example: ∇fᵢ is the slope of fᵢ = ½rᵢ², and their mean is ∇J
    np.testing.assert_allclose(data.gradients(theta), central(data.losses, theta), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(data.gradients(theta).mean(axis=0), data.grad(theta), rtol=1e-10, atol=1e-12)


def test_stacks_of_points_give_one_value_per_point():
    grid = np.stack(np.meshgrid(np.linspace(-3, 4, 7), np.linspace(-3, 2, 5)), axis=-1)  # (5, 7, 2)
    J, G = SMALL.cost(grid), SMALL.grad(grid)
    assert J.shape == (5, 7) and G.shape == (5, 7, 2)
    assert SMALL.residuals(grid).shape == (5, 7, SMALL.n) and SMALL.gradients(grid).shape == (5, 7, SMALL.n, 2)
    for i, j in [(0, 0), (2, 3), (4, 6)]:
        assert J[i, j] == pytest.approx(cost_by_hand(SMALL, grid[i, j]), rel=1e-12)
        np.testing.assert_allclose(G[i, j], central(lambda t: cost_by_hand(SMALL, t), grid[i, j]), rtol=1e-7)
    np.testing.assert_allclose(SMALL.excess_loss(grid), J - SMALL.min_loss, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("theta", THETAS)
def test_batch_gradient_is_the_slope_of_the_batch_cost(theta):
    batch = np.array([4, 4, 99, 0, 321])  # repeats allowed (sampling with replacement)

    def batch_cost(t):
        return np.mean([0.5 * (t[0] * BIG.x[i] + t[1] - BIG.y[i]) ** 2 for i in batch])

    np.testing.assert_allclose(BIG.grad(theta, batch), central(batch_cost, theta), rtol=1e-7, atol=1e-7)
    r = theta[0] * BIG.x[17] + theta[1] - BIG.y[17]  # one example by hand: ∇f₁₇ = r·(x, 1)
    np.testing.assert_allclose(BIG.grad(theta, 17), [r * BIG.x[17], r], rtol=1e-12)
    np.testing.assert_allclose(BIG.grad(theta, np.array([17])), [r * BIG.x[17], r], rtol=1e-12)
    np.testing.assert_allclose(BIG.grad(theta, np.arange(BIG.n)), BIG.grad(theta), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("data", [SMALL, BIG])
def test_hessian_and_curvatures(data):
    np.testing.assert_allclose(central(data.grad, THETAS[1]), data.hessian, rtol=1e-7)
    lo, hi = data.curvatures
    # the eigenvalues of [[a, c], [c, 1]] from the 2×2 characteristic polynomial λ² − (a+1)λ + (a − c²)
    a, c = np.mean(data.x**2), np.mean(data.x)
    tr, det = a + 1, a - c * c
    disc = np.sqrt(tr * tr / 4 - det)
    assert (lo, hi) == pytest.approx((tr / 2 - disc, tr / 2 + disc), rel=1e-10)
    assert 0 < lo < hi


def test_the_convention_sets_the_stable_learning_rate():
    # full-batch descent on J converges for α < 2/L_max and diverges above it
    _, L_max = SMALL.curvatures
    for factor, shrinks in [(0.98, True), (1.02, False)]:
        theta = np.zeros(2)
        for _ in range(2000):
            theta = theta - factor * 2 / L_max * SMALL.grad(theta)
        assert bool(SMALL.excess_loss(theta) < SMALL.excess_loss(np.zeros(2))) is shrinks


def test_dataset_is_seeded_and_follows_its_line():
    a, b = regression_data(seed=2), regression_data(seed=2)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.y, b.y)
    assert not np.array_equal(a.x, regression_data(seed=3).x)
    assert SMALL.n == 20 and SMALL.x.min() >= 0 and SMALL.x.max() <= 4 and np.all(np.diff(SMALL.x) >= 0)
    assert BIG.x.min() >= -1 and BIG.x.max() <= 2
    big = regression_data(n=20_000, w=2.0, b=-1.0, noise=0.5, x_min=-1.0, x_max=2.0)
    assert big.minimizer == pytest.approx([2.0, -1.0], abs=0.03)
    exact = regression_data(n=50, seed=1, w=-0.7, b=3.0, noise=0.0)
    assert exact.minimizer == pytest.approx([-0.7, 3.0], abs=1e-12) and exact.min_loss < 1e-25


def test_gradient_spread_is_the_rms_distance_of_one_gradient_from_the_mean():
    theta = THETAS[0]
    g = BIG.gradients(theta)
    assert BIG.gradient_spread(theta) == pytest.approx(np.sqrt(np.trace(np.cov(g.T, bias=True))), rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=1), "n must be"), (dict(n=10.0), "n must be"), (dict(noise=-1.0), "noise must be"),
    (dict(x_min=2.0, x_max=1.0), "x_min must be < x_max"), (dict(w=float("nan")), "w must be finite"),
])
def test_regression_data_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        regression_data(**kwargs)


@pytest.mark.parametrize("x, y, match", [
    ([1.0, 2.0], [1.0], "same length"), ([[1.0, 2.0]], [[1.0, 2.0]], "1-D"), ([1.0], [2.0], ">= 2"),
    ([3.0, 3.0, 3.0], [1.0, 2.0, 3.0], "constant"), ([1.0, float("nan")], [1.0, 2.0], "x must be finite"),
])
def test_linear_regression_rejects_bad_data(x, y, match):
    with pytest.raises(ValueError, match=match):
        LinearRegression(x, y)


@pytest.mark.parametrize("theta, batch, match", [
    ([1.0, 2.0, 3.0], None, "last axis"), ([1.0, float("inf")], None, "theta must be finite"),
    ([1.0, 2.0], np.array([], dtype=int), "batch"), ([1.0, 2.0], np.array([0.5, 1.0]), "batch"),
    ([1.0, 2.0], np.array([-1]), r"\[0, 499\]"), ([1.0, 2.0], np.array([3, 500]), r"\[0, 499\]"),
    ([1.0, 2.0], np.array([[1, 2]]), "1-D"), (np.zeros((2, 2)), np.array([1]), "one point"),
    ([1.0, 2.0], True, "batch"),
])
def test_gradients_reject_bad_points_and_batches(theta, batch, match):
    with pytest.raises(ValueError, match=match):
        BIG.grad(theta, batch)


def test_cost_rejects_bad_shapes():
    with pytest.raises(ValueError, match="last axis"):
        BIG.cost(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="last axis"):
        BIG.excess_loss(1.0)
