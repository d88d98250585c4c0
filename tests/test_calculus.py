"""helpers.calculus against independent references: the analytic derivative of e²·sin x,
Taylor-series error constants and functions whose derivatives are known in closed form."""
import math

import numpy as np
import pytest

from helpers import calculus


def test_f_and_df_match_the_article():
    assert calculus.f(0.0) == 0.0
    assert calculus.df(0.0) == pytest.approx(math.e**2, rel=1e-15)
    assert round(float(calculus.df(0.0)), 1) == 7.4  # the article's rounding
    assert calculus.f(math.pi / 2) == pytest.approx(math.e**2)


@pytest.mark.parametrize("x", [-2.0, 0.0, 0.7, 3.0])
def test_df_is_the_slope_of_f(x):
    # an independent reference: Richardson-extrapolated secants computed here, not in helpers
    h = 1e-3
    d1 = (calculus.f(x + h) - calculus.f(x - h)) / (2 * h)
    d2 = (calculus.f(x + h / 2) - calculus.f(x - h / 2)) / h
    assert calculus.df(x) == pytest.approx((4 * d2 - d1) / 3, abs=1e-9)


def test_forward_difference_error_is_first_order():
    # Taylor: (f(x+h) − f(x))/h − f'(x) = h/2·f''(x) + O(h²), with f'' = −e² sin x
    x, h = 1.0, 1e-4
    err = calculus.forward_difference(calculus.f, x, h) - calculus.df(x)
    assert err == pytest.approx(h / 2 * -math.e**2 * math.sin(x), rel=1e-3)


def test_central_difference_error_is_second_order():
    # Taylor: the error is h²/6·f'''(x) + O(h⁴), with f''' = −e² cos x
    x, h = 1.0, 1e-3
    err = calculus.central_difference(calculus.f, x, h) - calculus.df(x)
    assert err == pytest.approx(h**2 / 6 * -math.e**2 * math.cos(x), rel=1e-3)


def test_differences_are_exact_where_they_should_be():
    line = lambda x: 3 * x - 1
    parabola = lambda x: x**2
    assert calculus.forward_difference(line, 2.0, 0.5) == pytest.approx(3.0)
    assert calculus.central_difference(parabola, 2.0, 0.5) == pytest.approx(4.0)  # exact for quadratics


def test_differences_accept_arrays():
    xs = np.linspace(0, 1, 5)
    np.testing.assert_allclose(calculus.central_difference(np.sin, xs, 1e-5), np.cos(xs), atol=1e-9)


def test_step_table_rows():
    table = calculus.step_table(calculus.f, calculus.df, 0.0, [0.1, 0.01])
    assert table.shape == (2, 4)
    np.testing.assert_allclose(table[:, 0], [0.1, 0.01])
    np.testing.assert_allclose(table[:, 1], math.e**2 * np.sin([0.1, 0.01]))
    np.testing.assert_allclose(table[:, 2], math.e**2 * np.sin([0.1, 0.01]) / [0.1, 0.01])
    np.testing.assert_allclose(table[:, 3], math.e**2 * np.array([0.1, 0.01]))


def test_difference_errors_and_loglog_slope():
    hs = np.logspace(-4, -2, 9)
    fwd, cen = calculus.difference_errors(np.exp, np.exp, 0.5, hs)
    assert calculus.loglog_slope(hs, fwd) == pytest.approx(1.0, abs=0.02)
    assert calculus.loglog_slope(hs, cen) == pytest.approx(2.0, abs=0.02)
    assert calculus.loglog_slope([1, 10, 100], [3, 300, 30000]) == pytest.approx(2.0)


@pytest.mark.parametrize("h", [0.0, -1e-3, float("nan"), float("inf"), "big"])
def test_bad_step_is_a_clear_error(h):
    with pytest.raises(ValueError, match="h must be"):
        calculus.forward_difference(calculus.f, 0.0, h)
    with pytest.raises(ValueError, match="h must be"):
        calculus.central_difference(calculus.f, 0.0, h)


@pytest.mark.parametrize("x", [float("nan"), float("inf"), [0.0, float("-inf")]])
def test_non_finite_x_is_a_clear_error(x):
    for call in (lambda: calculus.f(x), lambda: calculus.df(x),
                 lambda: calculus.central_difference(calculus.f, x, 1e-3)):
        with pytest.raises(ValueError, match="x must be finite"):
            call()


def test_step_table_rejects_bad_steps():
    with pytest.raises(ValueError, match="step h"):
        calculus.step_table(calculus.f, calculus.df, 0.0, [0.1, 0.0])


def test_slope_readout_at_the_crest_is_flat_without_negative_zero():
    # issue 12 item 12: the slider's π/2 is 1.570796326795 (12 digits), where e²·cos x ≈ −2.5e−13,
    # which printed "prediction f'(x₀)·h = -0.000000"
    import re

    from helpers.fastfig import BlitRenderer
    from helpers.slope_scene import SlopeScene

    r = BlitRenderer(SlopeScene)
    x0 = SlopeScene.controls["x0"].snap(math.pi / 2)
    text = r.scene.update(x0, 0.1)
    assert "flat" in text and "+0.000000" in text
    assert not re.search(r"(?<![\w.])-0(?:\.0+)?(?![\d.eE])", text), text
    assert SlopeScene.controls["x0"].bounds == pytest.approx((-math.pi, 2 * math.pi), abs=1e-11)
