"""The parts that make a drag frame cheap, each against an independent reference: the PNG
encoder against Pillow's decoder, the text memo against matplotlib's own Agg renderer, the
restored background against a fresh renderer, `Badge` against its own geometry, and every
frame's width against the notebook column it is shown in, and a setting's dot on the axes' edge
drawn whole."""
import io
import zlib

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from PIL import Image

import helpers.fastfig as fastfig
from helpers.controls import Slider, Toggle
from helpers.fastfig import BlitRenderer, MemoCanvas, Scene, png_from_rgba
from helpers.momentum_scenes import MomentumMapScene
from helpers.path_text import Badge
from helpers.training_scenes import NetworkLearningRateScene
from scenes import all_scenes

SCENES = all_scenes()


def rgb(png: bytes) -> np.ndarray:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.mode == "RGB"
    return np.asarray(image)


@pytest.mark.parametrize("deflate", ["default", "stdlib zlib"])
@pytest.mark.parametrize("w, h", [(1, 1), (3, 5), (17, 2), (860, 350)])
def test_png_decodes_to_the_pixels_it_was_given(w, h, deflate, monkeypatch):
    if deflate == "stdlib zlib":  # the fallback where Intel's ISA-L is not installed
        monkeypatch.setattr(fastfig, "_deflate", zlib)
    rgba = np.random.default_rng(w * h).integers(0, 256, (h, w, 4), dtype=np.uint8)
    decoded = rgb(png_from_rgba(w, h, rgba.tobytes()))
    assert decoded.shape == (h, w, 3)
    assert np.array_equal(decoded, rgba[..., :3])  # lossless, alpha dropped


def test_png_of_a_plot_is_no_larger_than_pillows():
    r = BlitRenderer(next(s for s in SCENES if s.__name__ == "LearningRateValleyScene"))
    r.frame()
    w, h, rgba = r._render(1)
    ours = png_from_rgba(w, h, rgba)
    buf = io.BytesIO()
    Image.frombuffer("RGBA", (w, h), rgba, "raw", "RGBA", 0, 1).convert("RGB").save(buf, "png", compress_level=1)
    assert np.array_equal(rgb(ours), rgb(buf.getvalue()))
    assert len(ours) <= 1.2 * len(buf.getvalue())


def test_a_png_over_max_bytes_is_deflated_harder_and_still_lossless():
    r = BlitRenderer(next(s for s in SCENES if s.__name__ == "GradientFieldScene"))
    w, h, rgba = r.pixels()
    fast = png_from_rgba(w, h, rgba)
    assert r.frame() == fast
    assert png_from_rgba(w, h, rgba, max_bytes=len(fast)) == fast  # within the limit: as it was
    harder = png_from_rgba(w, h, rgba, max_bytes=len(fast) - 1)  # zlib's level 3 is enough
    hardest = png_from_rgba(w, h, rgba, max_bytes=1)  # nothing is enough: zlib's level 6, the smallest tried
    assert np.array_equal(rgb(harder), rgb(fast)) and np.array_equal(rgb(hardest), rgb(fast))
    assert len(hardest) < len(harder) <= 0.95 * len(fast)


def memo_and_plain_pixels(r: BlitRenderer, scale: float) -> tuple[bytes, bytes]:
    """The current state drawn through the text memo, then by matplotlib's own canvas (same
    figure, same data: any difference is the memo's)."""
    memo_canvas = r.canvas
    memo = r._render(scale)[2]
    r.canvas = FigureCanvasAgg(r.fig)  # the figure now draws through a plain Agg canvas
    r._backgrounds.pop(scale, None)
    plain = r._render(scale)[2]
    r.canvas = memo_canvas
    r.fig.set_canvas(memo_canvas)
    r._backgrounds.pop(scale, None)
    return memo, plain


# JupyterLab 4's output column in a 1280-px-wide window (the browser tests check, in the page, that
# every live figure at rest is shown at its own width).
COLUMN_PX = 848


@pytest.mark.parametrize("scene_cls", SCENES, ids=lambda c: c.__name__)
def test_every_frame_fits_the_notebook_column(scene_cls):
    # A wider frame is scaled down to fit: resampled (soft on any screen), and its extra pixels cost
    # drawing, encoding and decoding on every move.
    r = BlitRenderer(scene_cls)
    w, h, _ = r._render(1)
    assert (w, h) == r.size and w <= COLUMN_PX, f"{scene_cls.__name__} draws {w} px wide, the column is {COLUMN_PX}"


@pytest.mark.parametrize("scene_cls, values, name", [
    (MomentumMapScene, {"lr": 0.5, "beta": 0.99}, "marker"),     # α and β at their sliders' tops
    (NetworkLearningRateScene, {"lr": 1000.0}, "alpha_dot")])  # α at its slider's top
def test_a_setting_at_its_sliders_end_is_marked_whole(scene_cls, values, name):
    """The dot that marks the chosen setting sits on the axes' right edge when α is at its slider's
    top: its right half must be drawn too (clipped to the axes, half a dot looks like a glitch)."""
    r = BlitRenderer(scene_cls)
    w, h, rgba = r.pixels(**values)
    image = np.frombuffer(rgba, np.uint8).reshape(h, w, 4)[:, :, :3].astype(int)
    dot = getattr(r.scene, name)
    x, y = dot.axes.transData.transform((dot.get_xdata()[0], dot.get_ydata()[0]))
    assert abs(x - dot.axes.bbox.x1) < 1  # on the edge
    row, edge = int(round(h - y)), int(np.ceil(dot.axes.bbox.x1))
    beyond = image[row - 1:row + 2, edge + 2:edge + 4]  # inside the dot's face, outside the axes
    face = np.array(to_rgb(dot.get_markerfacecolor())) * 255
    assert (np.abs(beyond - face).max(axis=2) < 30).all(), beyond.tolist()


@pytest.mark.parametrize("scene_cls", SCENES, ids=lambda c: c.__name__)
def test_text_memo_draws_what_matplotlib_draws(scene_cls):
    r = BlitRenderer(scene_cls)
    for name, spec in scene_cls.controls.items():
        for value in spec.grid(3)[:3] if hasattr(spec, "grid") else [spec.value]:
            values = {**scene_cls.defaults(), name: value}
            r.frame(**values)
            r.frame(**values)  # the second draw replays remembered text
            for scale in (1, 2):
                memo, plain = memo_and_plain_pixels(r, scale)
                assert memo == plain, f"{scene_cls.__name__} {name}={value!r} at {scale}x differs"


def test_text_memo_keys_on_the_string_and_takes_colour_at_replay():
    fig = Figure(figsize=(3, 1), dpi=100)
    canvas = MemoCanvas(fig)
    text = fig.text(0.1, 0.5, "step 9", fontsize=12, color="black")
    ref_fig = Figure(figsize=(3, 1), dpi=100)
    ref_canvas = FigureCanvasAgg(ref_fig)
    ref = ref_fig.text(0.1, 0.5, "step 9", fontsize=12, color="black")
    for s, colour in (("step 9", "black"), ("step 9", "tab:orange"), ("step 10", "tab:orange"), ("step 9", "black")):
        text.set_text(s), text.set_color(colour), ref.set_text(s), ref.set_color(colour)
        canvas.draw(), ref_canvas.draw()
        assert bytes(canvas.buffer_rgba()) == bytes(ref_canvas.buffer_rgba()), (s, colour)
    assert len(canvas.text_memo) == 2  # two strings remembered, whatever their colour


class EdgeScene(Scene):
    """A dynamic line along the figure's last pixel column and last row, shown or hidden."""

    controls = {"show": Toggle(True)}
    figsize = (2.05, 1.03)  # 205 × 103 pixels: a figure bbox that ends just short of a whole pixel

    def draw_static(self):
        self.fig.set_layout_engine("none")
        ax = self.fig.add_axes((0, 0, 1, 1))
        ax.set(xlim=(0, 1), ylim=(0, 1))
        ax.set_axis_off()
        (self.line,) = ax.plot([0.999, 0.999, 0.0], [0.0, 0.999, 0.999], color="black", lw=3)
        self.track(self.line)

    def update(self, show):
        self.line.set_visible(show)
        return f"show = {show}"


def test_restored_background_covers_every_pixel():
    r = BlitRenderer(EdgeScene)
    r.frame(show=True)
    hidden = rgb(r.frame(show=False))
    fresh = BlitRenderer(EdgeScene)
    assert np.array_equal(hidden, rgb(fresh.frame(show=False)))  # nothing of the line is left
    assert (hidden == 255).all()


def badge_extents(badge):
    trans = badge.glyphs.get_transform()
    glyphs = badge.glyphs.get_path().transformed(trans).get_extents()
    box = badge.box.get_path().transformed(trans).get_extents() if badge.box is not None else None
    return glyphs, box


def test_badge_is_a_text_in_a_box_at_its_anchor():
    fig = Figure(figsize=(4, 2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    badge = Badge(ax, (0.9, 0.5), size=8, color="tab:orange", box_edge="tab:orange")
    assert badge.get_text() == "" and not any(a.get_visible() for a in badge.artists)
    anchor = ax.transAxes.transform((0.9, 0.5))
    short, long_ = [], []
    for text, out in (("diverged at step 9", short), ("diverged at step 123", long_)):
        badge.set_text(text)
        assert badge.get_text() == text and all(a.get_visible() for a in badge.artists)
        glyphs, box = badge_extents(badge)
        assert box.x0 < glyphs.x0 and glyphs.x1 < box.x1 and box.y0 < glyphs.y0 and glyphs.y1 < box.y1
        assert box.x1 == pytest.approx(anchor[0], abs=0.5)  # right-aligned: the box ends at the anchor
        assert (box.y0 + box.y1) / 2 == pytest.approx(anchor[1], abs=1.5)  # centred on it
        out.append(glyphs.width)
    assert long_[0] > short[0]  # two more characters, a wider text
    badge.set_text("")
    assert not any(a.get_visible() for a in badge.artists)
    with pytest.raises(ValueError):
        Badge(ax, (0.5, 0.5), size=8, color="k", ha="center")


def test_badge_draws_whatever_it_says_without_matplotlib_text():
    class NoteScene(Scene):
        controls = {"d": Slider(1, 200, 9, step=1, integer=True)}
        figsize = (3, 1)

        def draw_static(self):
            self.fig.set_layout_engine("none")
            ax = self.fig.add_axes((0, 0, 1, 1))
            ax.set_axis_off()  # no tick labels: the figure has no matplotlib Text at all
            self.note = Badge(ax, (0.95, 0.5), size=8, color="tab:orange", box_edge="tab:orange")
            for artist in self.note.artists:
                self.track(artist)

        def update(self, d):
            self.note.set_text(f"diverged at step {int(d)}")
            return self.note.get_text()

    r = BlitRenderer(NoteScene)
    a, b = rgb(r.frame(d=9)), rgb(r.frame(d=10))
    assert (a != b).any() and r.readout == "diverged at step 10"
    assert not r.canvas.text_memo  # glyph outlines, not text: nothing for the memo to hold
