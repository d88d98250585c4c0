"""The fast-figure machinery: blitted frames equal a full redraw, controls validate, widgets wire up."""
import io

import numpy as np
import pytest
from PIL import Image

from helpers.controls import Choice, Slider, Toggle
from helpers.fastfig import BlitRenderer, Scene, naive_png
from helpers.live import LiveFigure, make_widget
from helpers.slope_scene import SlopeScene


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def test_blitted_frame_equals_a_full_redraw():
    # independent reference: the same figure drawn whole, with every artist made non-animated
    r = BlitRenderer(SlopeScene)
    r.frame()
    fast = pixels(r.frame(x0=1.3, h=0.2))
    for a in r.scene.dynamic:
        a.set_animated(False)
    r.canvas.draw()
    full = np.asarray(r.canvas.buffer_rgba())[..., :3].astype(int)
    assert fast.shape == full.shape
    assert np.abs(fast - full).max() <= 2  # identical up to antialiasing rounding


def test_frames_change_with_values_and_are_png():
    r = BlitRenderer(SlopeScene)
    a, b = r.frame(x0=0.0), r.frame(x0=2.0)
    assert a[:8] == b"\x89PNG\r\n\x1a\n"
    assert (pixels(a) != pixels(b)).any()
    assert "f'(x₀)" in r.readout


def test_naive_png_draws_the_values_it_is_given():
    a, b = naive_png(SlopeScene, x0=1.0), naive_png(SlopeScene, x0=2.0)
    assert a[:4] == b"\x89PNG" and pixels(a).shape[0] > 100
    assert a != b and a == naive_png(SlopeScene, x0=1.0)  # the dynamic artists are drawn, deterministically


class Broken(Scene):
    controls = {"a": Slider(0, 1, 0.5)}

    def draw_static(self):
        self.ax = self.fig.subplots()
        (self.line,) = self.ax.plot([], [])
        self.track(self.line)

    def update(self, a):
        self.line.set_data([0, 1], [0, a])
        self.ax.set_ylim(0, 2)
        self.full_redraw = True
        return f"a = {a}"


class Rescaling(Broken):
    """Its y axis (static, in the cached background) follows the value: a full redraw is needed."""

    def update(self, a):
        self.line.set_data([0, 1], [0, a])
        if self.ax.get_ylim() != (0, 10 * a):
            self.ax.set_ylim(0, 10 * a)
            self.full_redraw = True
        return f"a = {a}"


def full_draw(renderer) -> np.ndarray:
    """The same figure drawn whole, every artist non-animated: the reference for a blitted frame."""
    for artist in renderer.scene.dynamic:
        artist.set_animated(False)
    renderer.canvas.draw()
    pixels = np.asarray(renderer.canvas.buffer_rgba())[..., :3].astype(int)
    for artist in renderer.scene.dynamic:
        artist.set_animated(True)
    return pixels


def differing(a: np.ndarray, b: np.ndarray) -> int:
    """How many pixels differ clearly (more than antialiasing does)."""
    return int((np.abs(a - b).max(axis=-1) > 30).sum())


def test_full_redraw_request_refreshes_background():
    r = BlitRenderer(Rescaling)
    r.frame(a=0.1)  # background cached with the y axis 0..1
    fast = pixels(r.frame(a=0.9))  # the axis must now read 0..9: the old background would be wrong
    assert r.scene.full_redraw is False
    assert differing(fast, full_draw(r)) < 5  # the same picture, up to antialiasing
    stale = BlitRenderer(Rescaling)
    stale.frame(a=0.1)
    stale.scene.update = lambda a: (stale.scene.line.set_data([0, 1], [0, a]), stale.scene.ax.set_ylim(0, 10 * a), "")[-1]
    assert differing(pixels(stale.frame(a=0.9)), full_draw(stale)) > 100  # without the request: a stale axis


def test_control_specs_validate():
    with pytest.raises(ValueError, match="min must be < max"):
        Slider(1, 0, 0.5)
    with pytest.raises(ValueError, match="outside"):
        Slider(0, 1, 2)
    with pytest.raises(ValueError, match="log slider"):
        Slider(0, 1, 0.5, log=True)
    with pytest.raises(ValueError, match="not one of"):
        Choice(["a", "b"], "c")
    assert Slider(1e-3, 1, 0.1, log=True).grid(4) == pytest.approx([1e-3, 1e-2, 1e-1, 1])


def test_sliders_snap_like_a_browser():
    lr = Slider(0.005, 1.5, 0.1, log=True)
    assert lr.options[0] == 0.005 and lr.options[-1] == 1.5 and len(lr.options) == 50 + 90 + 90 + 6
    assert 0.23 in lr.options and 0.5 in lr.options and 1.2 in lr.options
    assert lr.snap(0.231) == 0.23 and lr.snap(100.0) == 1.5 and lr.snap(0.0) == 0.005
    x = Slider(-3.0, 5.0, 0.5, step=0.25)
    assert x.bounds == (-3.0, 5.0) and x.snap(0.3) == 0.25 and x.snap(9.0) == 5.0
    odd = Slider(-1.0, 1.0, 0.1, step=0.3)  # the grid runs through the start value, inside the range
    assert odd.bounds == pytest.approx((-0.8, 1.0)) and odd.snap(-1.0) == pytest.approx(-0.8)
    powers = Slider(1, 1024, 4, log=True, step=np.log10(2))
    assert powers.options == tuple(float(2**k) for k in range(11))
    n = Slider(1, 10, 4, integer=True, step=3)
    assert n.bounds == (1, 10) and n.snap(5) == 4 and isinstance(n.snap(5), int)
    assert Slider(1, 10, 5, integer=True).grid(3) == [1, 6, 10]


def test_make_widget_kinds():
    import ipywidgets as W
    assert isinstance(make_widget("lr", Slider(1e-3, 1, 0.1, log=True)), W.SelectionSlider)
    assert isinstance(make_widget("n", Slider(1, 9, 3, integer=True)), W.IntSlider)
    assert isinstance(make_widget("x", Slider(0, 1, 0.5)), W.FloatSlider)
    assert isinstance(make_widget("c", Choice(["a", "b"], "a")), W.Dropdown)
    assert isinstance(make_widget("t", Toggle(True)), W.Checkbox)
    slider = make_widget("lr", Slider(1e-3, 1, 0.1, log=True))
    assert slider.value == pytest.approx(0.1)


def test_live_figure_redraws_on_change_and_set():
    live = LiveFigure(SlopeScene, x0=1.0)  # x₀ moves in steps of π/200: 1.0 snaps to 32π/100
    assert live.values["x0"] == pytest.approx(0.32 * np.pi)
    before = live.image.value
    live.controls["x0"].value = 2.0  # no event loop here: redraws at once
    assert live.image.value != before
    assert "Δf" in live.readout.value
    frames = live.frames
    live.set(x0=-np.pi / 4, h=0.1)
    assert live.frames == frames + 1 and live.values == {"x0": pytest.approx(-np.pi / 4), "h": 0.1}
    assert repr(live).startswith("LiveFigure(SlopeScene: x0=-0.785398") and repr(live).endswith("h=0.1)")
    bundle = live._repr_mimebundle_()
    assert bundle["text/plain"] == repr(live)


def test_live_figure_coalesces_changes_inside_an_event_loop():
    import asyncio

    live = LiveFigure(SlopeScene)

    async def drag():
        start = live.frames
        for x in np.linspace(-2, 2, 25):  # 25 value changes before the loop gets a turn
            live.controls["x0"].value = float(x)
        await asyncio.sleep(0)
        return live.frames - start

    assert asyncio.run(drag()) == 1  # one frame, drawn with the latest value
    assert live.values["x0"] == 2.0 and "+" in live.readout_text


def test_live_figure_rejects_unknown_controls():
    with pytest.raises(ValueError, match="no control named"):
        LiveFigure(SlopeScene, lr=0.1)
    with pytest.raises(ValueError, match="no control named"):
        LiveFigure(SlopeScene).set(lr=0.1)


def test_graph_drawing_returns_artists_by_name():
    from matplotlib.figure import Figure

    from helpers.graph_drawing import draw_graph

    ax = Figure().subplots()
    g = draw_graph(ax, {"x": (0, 0), "y": (0, 1), "z": (2, 0.5)}, [("x", "z"), ("y", "z")],
                   node_labels={"x": "x=3"}, edge_labels={("x", "z"): "∂z/∂x"})
    assert set(g.nodes) == {"x", "y", "z"} and set(g.edges) == {("x", "z"), ("y", "z")}
    assert g.node_text["x"].get_text() == "x=3" and g.node_text["z"].get_text() == "z"
    assert g.edge_text[("x", "z")].get_text() == "∂z/∂x"
    g.highlight(nodes={"z"}, edges={("x", "z")})
    assert g.nodes["z"].get_linewidth() == 3 and g.edges[("y", "z")].get_linewidth() == 1.2
    assert len(g.all()) == 3 + 3 + 2 + 2
    with pytest.raises(ValueError, match="without a position"):
        draw_graph(ax, {"x": (0, 0)}, [("x", "q")])


class Noted(Broken):
    def update(self, a):
        self.live_note = f"measured {a * 1000:.0f} ms"
        return super().update(a)


def test_live_note_is_shown_but_kept_out_of_the_readout():
    live = LiveFigure(Noted)
    live.set(a=0.25)
    assert "measured 250 ms" in live.readout.value
    assert "measured" not in live.readout_text and live.readout_text == "a = 0.25"
