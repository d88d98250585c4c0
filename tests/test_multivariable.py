"""helpers.multivariable against independent references: finite differences written here,
closed forms worked out by hand (z = x·(x + y)), and the chain rule done path by path."""
import math

import numpy as np
import pytest

from helpers import multivariable as mv

POINTS = [(3.0, -3.0), (1.0, 2.0), (-2.5, 0.5), (0.0, 0.0), (0.3, -4.0)]


def fd(func, x, y, h=1e-4):
    """Fourth-order central differences, written here independently of helpers.calculus."""
    ddx = (-func(x + 2 * h, y) + 8 * func(x + h, y) - 8 * func(x - h, y) + func(x - 2 * h, y)) / (12 * h)
    ddy = (-func(x, y + 2 * h) + 8 * func(x, y + h) - 8 * func(x, y - h) + func(x, y - 2 * h)) / (12 * h)
    return np.array([ddx, ddy])


def test_the_article_point():
    assert mv.z(3, -3) == 0.0  # 3·(−3) + 3² = −9 + 9: the article's "9" is wrong
    np.testing.assert_array_equal(mv.gradient(3, -3), [3.0, 3.0])


def test_z_closed_form():
    x, y = np.meshgrid(np.linspace(-4, 4, 9), np.linspace(-4, 4, 7))
    np.testing.assert_allclose(mv.z(x, y), x * (x + y), atol=1e-12)


@pytest.mark.parametrize("x, y", POINTS)
def test_partials_match_finite_differences(x, y):
    ref = fd(lambda a, b: a * b + a * a, x, y)
    assert mv.dz_dx(x, y) == pytest.approx(ref[0], abs=1e-8)
    assert mv.dz_dy(x, y) == pytest.approx(ref[1], abs=1e-8)
    np.testing.assert_allclose(mv.gradient(x, y), ref, atol=1e-8)


def test_gradient_shapes_broadcast():
    xs = np.linspace(-1, 1, 5)
    g = mv.gradient(xs, 2.0)
    assert g.shape == (5, 2)
    np.testing.assert_allclose(g[:, 0], 2.0 + 2 * xs)
    np.testing.assert_allclose(g[:, 1], xs)
    assert mv.gradient(0.5, np.zeros((3, 4))).shape == (3, 4, 2)


@pytest.mark.parametrize("x, y", POINTS)
def test_numerical_gradient_of_z(x, y):
    # z is quadratic, so the central difference is exact up to rounding
    np.testing.assert_allclose(mv.numerical_gradient(mv.z, x, y), [y + 2 * x, x], atol=1e-8)


def test_numerical_gradient_of_another_function():
    # f = sin(x)·e^y, ∇f = (cos(x)·e^y, sin(x)·e^y); central-difference error ~ h²/6·f'''
    f = lambda x, y: np.sin(x) * np.exp(y)
    got = mv.numerical_gradient(f, 0.7, -0.2, h=1e-3)
    np.testing.assert_allclose(got, [math.cos(0.7) * math.exp(-0.2), math.sin(0.7) * math.exp(-0.2)], rtol=1e-6)
    arrays = mv.numerical_gradient(f, np.array([0.0, 1.0]), np.array([0.0, 0.5]))
    assert arrays.shape == (2, 2)
    np.testing.assert_allclose(arrays[1], [math.cos(1) * math.exp(0.5), math.sin(1) * math.exp(0.5)], rtol=1e-8)


@pytest.mark.parametrize("x, y", POINTS)
def test_directional_derivative_is_the_rate_of_change_along_u(x, y):
    thetas = np.linspace(0, 2 * np.pi, 13)
    t = 1e-5
    got = mv.directional_derivative(x, y, thetas)
    ref = [(mv.z(x + t * math.cos(a), y + t * math.sin(a)) - mv.z(x - t * math.cos(a), y - t * math.sin(a))) / (2 * t)
           for a in thetas]
    np.testing.assert_allclose(got, ref, atol=1e-7)


def test_directional_derivative_extremes():
    # at (3, −3) ∇z = (3, 3): max 3√2 at 45°, min −3√2 at 225°, zero along the contour (135°)
    thetas = np.deg2rad(np.arange(0, 360, 1.0))
    d = mv.directional_derivative(3, -3, thetas)
    assert d.max() == pytest.approx(3 * math.sqrt(2))
    assert d.min() == pytest.approx(-3 * math.sqrt(2))
    assert np.rad2deg(thetas[d.argmax()]) == 45 and np.rad2deg(thetas[d.argmin()]) == 225
    assert float(mv.directional_derivative(3, -3, np.deg2rad(135))) == pytest.approx(0, abs=1e-12)
    assert float(mv.directional_derivative(3, -3, 0.0)) == pytest.approx(3.0)


def test_unit_vector():
    u = mv.unit_vector(np.linspace(-7, 7, 29))
    np.testing.assert_allclose(np.hypot(u[:, 0], u[:, 1]), 1.0)
    np.testing.assert_allclose(mv.unit_vector(math.pi / 2), [0, 1], atol=1e-15)


def test_steepest_descent_direction():
    np.testing.assert_allclose(mv.steepest_descent_direction(3, -3), [-1 / math.sqrt(2), -1 / math.sqrt(2)])
    np.testing.assert_allclose(mv.steepest_descent_direction(1, 2), np.array([-4, -1]) / math.sqrt(17))
    # a small step along it lowers z more than a step of the same length in any other direction
    x, y, t = 1.0, 2.0, 1e-4
    u = mv.steepest_descent_direction(x, y)
    best = mv.z(x + t * u[0], y + t * u[1])
    others = [mv.z(x + t * math.cos(a), y + t * math.sin(a)) for a in np.linspace(0, 2 * np.pi, 72, endpoint=False)]
    assert best <= min(others)


def test_forward_pass():
    assert mv.forward_values(3, -3) == {"x": 3.0, "y": -3.0, "a": -9.0, "b": 9.0, "z": 0.0}
    v = mv.forward_values(-1.5, 2.0)
    assert v["z"] == pytest.approx(float(mv.z(-1.5, 2.0)))


@pytest.mark.parametrize("x, y", POINTS)
def test_backward_pass_matches_the_closed_form(x, y):
    g = mv.backward_values(x, y)
    assert g["z"] == 1.0 and g["a"] == 1.0 and g["b"] == 1.0
    assert g["x"] == pytest.approx(y + 2 * x)
    assert g["y"] == pytest.approx(x)
    np.testing.assert_allclose([g["x"], g["y"]], fd(lambda a, b: a * b + a * a, x, y), atol=1e-8)


def test_local_partials_and_the_two_paths():
    local = mv.local_partials(3, -3)
    assert set(local) == set(mv.EDGES)
    # each local partial is the slope of its own node's rule, by finite differences
    h = 1e-6
    assert local[("x", "a")] == pytest.approx(((3 + h) * -3 - (3 - h) * -3) / (2 * h))
    assert local[("x", "b")] == pytest.approx(((3 + h) ** 2 - (3 - h) ** 2) / (2 * h))
    through_a = local[("x", "a")] * local[("a", "z")]
    through_b = local[("x", "b")] * local[("b", "z")]
    assert (through_a, through_b) == (-3.0, 6.0)
    assert mv.backward_values(3, -3)["x"] == through_a + through_b == 3.0


@pytest.mark.parametrize("call", [
    lambda: mv.z(float("nan"), 1.0),
    lambda: mv.dz_dx(1.0, float("inf")),
    lambda: mv.dz_dy([1.0, np.nan], 0.0),
    lambda: mv.gradient(np.inf, 0.0),
    lambda: mv.unit_vector(np.nan),
    lambda: mv.directional_derivative(1.0, 2.0, np.inf),
    lambda: mv.directional_derivative(np.array([1.0, 2.0]), 2.0, 0.0),
    lambda: mv.steepest_descent_direction(0.0, 0.0),
    lambda: mv.steepest_descent_direction(np.zeros(2), 1.0),
    lambda: mv.numerical_gradient(mv.z, 1.0, 2.0, h=0.0),
    lambda: mv.numerical_gradient(mv.z, 1.0, 2.0, h=-1e-3),
    lambda: mv.numerical_gradient(mv.z, np.nan, 2.0),
    lambda: mv.numerical_gradient("z", 1.0, 2.0),
    lambda: mv.forward_values(1.0, np.nan),
    lambda: mv.backward_values(np.inf, 0.0),
])
def test_bad_arguments_raise_value_error(call):
    with pytest.raises(ValueError):
        call()


@pytest.mark.parametrize("c", [0.0, 3.0, -1.25, 20.0, -3.9])
def test_the_drawn_contour_lies_on_its_level(c):
    # the dashed contour of the gradient scene: every vertex has z = c, and it is never empty
    from helpers.gradient_scenes import level_curve_segments
    segments = level_curve_segments(c)
    assert segments
    for seg in segments:
        assert np.all(np.isfinite(seg))
        np.testing.assert_allclose(mv.z(seg[:, 0], seg[:, 1]), c, atol=1e-9)
