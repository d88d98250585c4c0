"""Notebook 02/03's drawing helpers draw what the maths says: the tangents' slopes are the
partial derivatives by formula, the bold arrows are ±∇z, the graph shows both passes."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from helpers import gradient_scenes as gs  # noqa: E402
from helpers.graph_drawing import draw_backward_pass  # noqa: E402


def test_slices_draw_tangents_with_the_given_slopes_through_the_point():
    fig, (a, b) = plt.subplots(1, 2)
    s = np.linspace(-4, 4, 9)
    out = gs.slices(a, b, s, s**2 - 3 * s, 3 * s + 9, point=(3.0, -3.0), slopes=(3.0, 3.0))
    for name in ("x", "y"):
        tx, ty = out[name][1].get_data()
        assert np.isclose((ty[1] - ty[0]) / (tx[1] - tx[0]), 3.0)      # y + 2x = −3 + 6 and x = 3
        assert np.isclose(np.interp(3.0 if name == "x" else -3.0, tx, ty), 0.0)  # through z(3, −3) = 0
    assert "−3" in a.get_xlabel() and "-" not in a.get_xlabel()
    plt.close(fig)


def test_gradient_map_bold_arrows_are_plus_and_minus_the_gradient():
    fig, ax = plt.subplots()
    out = gs.gradient_map(ax, point=(1.0, 2.0))
    arrows = out["point_arrows"]
    assert np.allclose(np.column_stack([arrows.U, arrows.V]), [[4.0, 1.0], [-4.0, -1.0]])  # (y + 2x, x)
    assert np.allclose(arrows.get_offsets(), [[1.0, 2.0], [1.0, 2.0]])
    plt.close(fig)


def test_saddle_marks_the_point_at_its_true_height():
    fig = plt.figure()
    ax3 = fig.add_subplot(projection="3d")
    X, Y = np.meshgrid(np.linspace(-4, 4, 5), np.linspace(-4, 4, 5))
    out = gs.saddle_surface(ax3, X, Y, X * Y + X**2, point=(3.0, -3.0))
    _, _, zs = out["point"].get_data_3d()
    assert np.allclose(zs, [0.0])                                   # 3·(−3) + 9 = 0, not the article's 9
    plt.close(fig)


def test_backward_pass_graph_shows_values_and_gradients_without_negative_zero():
    fig, ax = plt.subplots()
    pos = {"x": (0, 0), "z": (2, 0)}
    art = draw_backward_pass(ax, pos, [("x", "z")], {"x": -0.0, "z": 4.0}, {"x": 2.5, "z": 1.0},
                             rules={"z": "z = x²"}, edge_labels={("x", "z"): "2x"}, highlight=[("x", "z")])
    assert art.node_text["x"].get_text() == "x\n0"
    assert art.node_text["x:grad"].get_text() == "∂z/∂x = 2.5"
    assert art.node_text["z:rule"].get_text() == "z = x²"
    assert art.edges[("x", "z")].get_linewidth() > 2
    plt.close(fig)
