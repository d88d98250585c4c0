"""Figures that follow a slider within one 60 Hz frame.

A `Scene` draws its static part (axes, curves, labels) once and keeps a list of dynamic
artists; `update(**values)` only moves those artists' data and returns the readout text.
`BlitRenderer` caches the static background as pixels, and per change restores it, draws
the few dynamic artists (Agg blitting, about 1 ms; text it has drawn before is replayed from
`TextMemoRenderer`'s memo) and encodes a small PNG (about 1.5 ms, `png_from_rgba`).
`naive_png` is the pattern it replaces, a whole new figure per change, kept for the benchmark.
No widgets here: `live.py` connects a renderer to sliders.
"""
from __future__ import annotations

import io
import struct
import zlib
from typing import ClassVar

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg

from . import style
from .controls import Control

try:  # Intel's ISA-L: the same zlib format, about twice as fast to compress (levels 0–3)
    from isal import isal_zlib as _deflate
except ImportError:
    _deflate = zlib

SCENES: list[type["Scene"]] = []  # every scene the course defines, for tests and the benchmark


def register(cls: type["Scene"]) -> type["Scene"]:
    """Class decorator: list a scene in SCENES so the tests and the benchmark sweep it."""
    SCENES.append(cls)
    return cls


class Scene:
    """Static artists drawn once, dynamic artists updated per change. Subclass and fill in:

    * `controls` — name → `Slider`/`Choice`/`Toggle`, the arguments of `update`;
    * `draw_static()` — build axes and static artists on `self.fig`, create the dynamic
      ones through `self.track(artist)`;
    * `update(**values) -> str` — set the dynamic artists' data, return the readout.

    Keyword arguments beyond `fig` and `animated` land in `self.params` (with defaults of
    the scene's choosing: a registered scene must also work with none).

    Set `self.full_redraw = True` in `update` when something static must change (an axis
    limit); the renderer then redraws everything once and caches the new background.
    Put what varies from run to run (a measured time) in `self.live_note`: the widget shows
    it under the readout, but it stays out of the readout, which a notebook prints and nbval checks.
    """

    controls: ClassVar[dict[str, Control]] = {}
    figsize: ClassVar[tuple[float, float]] = (7.5, 3.4)
    title: ClassVar[str] = ""

    def __init__(self, fig: Figure, animated: bool = True, **params):
        self.fig = fig
        self.params = params  # optional data a notebook hands its scene (a dataset, a network)
        self.dynamic: list = []
        self.full_redraw = False
        self.live_note = ""
        self._animated = animated
        with mpl.rc_context(style.RC):
            self.draw_static()

    @classmethod
    def defaults(cls) -> dict:
        """The controls' starting values."""
        return {name: c.value for name, c in cls.controls.items()}

    def track(self, artist):
        """Mark `artist` as dynamic: left out of the cached background, redrawn per update."""
        artist.set_animated(self._animated)
        self.dynamic.append(artist)
        return artist

    def draw_static(self) -> None:
        raise NotImplementedError

    def update(self, **values) -> str:
        raise NotImplementedError

    def limits(self) -> dict[str, tuple[float, float]]:
        """Narrower slider ranges for the data this instance shows (name → (min, max)), so that
        every position of a slider shows something different; the class's controls by default."""
        return {}


def rgba_pixels(canvas: FigureCanvasAgg) -> tuple[int, int, bytes]:
    """A copy of the canvas's pixels, (width, height, RGBA bytes): cheap, so the slower PNG
    encoding can happen elsewhere (see `png_from_rgba`)."""
    renderer = canvas.get_renderer()
    return int(renderer.width), int(renderer.height), bytes(renderer.buffer_rgba())


def png_from_rgba(w: int, h: int, rgba: bytes, compress_level: int = 1, max_bytes: int | None = None) -> bytes:
    """RGBA bytes as an RGB PNG: rows unfiltered, one zlib stream at the fastest level.

    A plot is mostly flat colour, which deflate compresses well without PNG's row filters, so
    this is about twice as fast as Pillow's encoder (which tries every filter on every row) and
    its files are no larger; with Intel's ISA-L deflate (`isal`, optional) four times as fast.
    Levels above 3, which ISA-L lacks, use zlib. A PNG over `max_bytes` is deflated again at
    zlib's level 3, and if still over at level 6 (for the course's largest frames 8-13% and
    11-16% smaller than ISA-L's fastest level, about 6 and 10 ms more). Both deflates release the
    GIL while compressing, so this may run in a worker thread."""
    pixels = np.frombuffer(rgba, np.uint8).reshape(h, w, 4)
    rows = np.empty((h, 1 + 3 * w), np.uint8)  # each row: filter type 0 ("None"), then R, G, B...
    rows[:, 0] = 0
    body = rows[:, 1:]
    body.shape = (h, w, 3)  # a view into `rows` (raises rather than copy)
    for channel in range(3):  # one channel at a time: a long strided loop, 4x faster than [:, :, :3]
        body[:, :, channel] = pixels[:, :, channel]
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits per channel, colour type 2 (RGB)
    deflate = _deflate if compress_level <= 3 else zlib
    png = _png(header, deflate.compress(rows, compress_level))
    for harder in (3, 6):  # over the limit: zlib's level 3 (most frames just over then fit), then 6
        if max_bytes is not None and len(png) > max_bytes and harder > compress_level:
            png = min(png, _png(header, zlib.compress(rows, harder)), key=len)
    return png


def _png(header: bytes, idat: bytes) -> bytes:
    """A PNG file from its IHDR header and its one deflate stream."""
    return b"".join([b"\x89PNG\r\n\x1a\n", _png_chunk(b"IHDR", header), _png_chunk(b"IDAT", idat),
                     _png_chunk(b"IEND", b"")])


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return b"".join([struct.pack(">I", len(data)), kind, data, struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))])


class _GlyphRecorder:
    """Stands in for Agg's C++ renderer while one text is drawn, keeping each glyph bitmap it is
    given; any other call makes the drawing unrepeatable (`replayable` False)."""

    def __init__(self, agg):
        self.agg, self.calls, self.replayable = agg, [], True

    def draw_text_image(self, image, x, y, angle, gc):
        self.calls.append((np.array(image, dtype=np.uint8, copy=True), x, y, angle))
        self.agg.draw_text_image(image, x, y, angle, gc)

    def __getattr__(self, name):
        self.replayable = False
        return getattr(self.agg, name)


class TextMemoRenderer(RendererAgg):
    """Agg renderer that remembers the glyph bitmaps of each plain text it draws, keyed by all
    they depend on (string, position, font, size, angle, canvas size, dpi, hinting), and replays
    them: a label redrawn unchanged costs about 0.1 ms instead of 1–2 ms of layout and
    rasterising. The colour comes from the drawing context at replay. `memo` may be shared by
    the renderers a canvas makes one after another (`MemoCanvas`)."""

    MEMO_SIZE = 256  # texts remembered; the oldest is forgotten first

    def __init__(self, width, height, dpi, memo: dict | None = None):
        super().__init__(width, height, dpi)
        self.memo = {} if memo is None else memo

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:  # math text also draws rules: not recorded
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        rc = mpl.rcParams
        shaping = repr((getattr(mtext, "get_fontfeatures", lambda: None)(),  # matplotlib ≥ 3.11
                        getattr(mtext, "get_language", lambda: None)()))
        key = (s, x, y, angle, gc.get_antialiased(), self.width, self.height, self.dpi,
               tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(),
               prop.get_stretch(), prop.get_size_in_points(), prop.get_file(),
               rc["text.hinting"], rc["text.hinting_factor"], rc["text.kerning_factor"], shaping)
        calls = self.memo.get(key)
        if calls is not None:
            for image, gx, gy, gangle in calls:
                self._renderer.draw_text_image(image, gx, gy, gangle, gc)
            return
        recorder = self._renderer = _GlyphRecorder(self._renderer)
        try:
            super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            self._renderer = recorder.agg
        if recorder.replayable:
            while len(self.memo) >= self.MEMO_SIZE:
                self.memo.pop(next(iter(self.memo)))
            self.memo[key] = recorder.calls


class MemoCanvas(FigureCanvasAgg):
    """Agg canvas whose renderers (a new one whenever the pixel size changes, as matplotlib's)
    share one text memo: switching between the 1× frame and the sharp one keeps it."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = (w, h, self.figure.dpi)
        if self._lastKey != key:
            self.renderer = TextMemoRenderer(w, h, self.figure.dpi, self.__dict__.setdefault("text_memo", {}))
            self._lastKey = key
        return self.renderer


class BlitRenderer:
    """Owns one figure of `scene_cls` and turns control values into PNG frames, fast.

    `frame(**values)` draws at the figure's dpi (1×, while a hand drags a slider);
    `sharp_pixels(scale)` redraws the same state with `scale`× the pixels (for a HiDPI screen,
    once the hand rests), from a background cached at that scale too; `pixels(**values)` is
    `frame` before its encoding, for a caller that encodes the pixels its own way.
    """

    def __init__(self, scene_cls: type[Scene], dpi: float = 100, **params):
        self.fig = Figure(figsize=scene_cls.figsize, dpi=dpi, layout="constrained")
        self.canvas = MemoCanvas(self.fig)
        self.dpi = dpi
        self.scene = scene_cls(self.fig, animated=True, **params)
        self._backgrounds: dict[float, object] = {}  # scale → cached static pixels
        self.readout = ""

    @property
    def size(self) -> tuple[int, int]:
        """The 1× frame's (width, height) in pixels: the size a page shows every frame at."""
        w, h = self.fig.get_size_inches() * self.dpi
        return int(round(w)), int(round(h))

    def _render(self, scale: float) -> tuple[int, int, bytes]:
        """Static background (cached per scale) plus the dynamic artists, at `scale`× the dpi;
        returns the pixels (see `rgba_pixels`)."""
        self.fig.dpi = self.dpi * scale  # the canvas makes a renderer of the new size when asked
        try:
            if scale not in self._backgrounds:
                self.canvas.draw()  # draws everything but the animated artists
                self.fig.set_layout_engine("none")  # freeze the layout: a later draw must not move the axes
                w, h = self.canvas.get_width_height(physical=True)  # whole pixels: fig.bbox may end at 819.9999
                self._backgrounds[scale] = self.canvas.copy_from_bbox(Bbox.from_bounds(0, 0, w, h))
            self.canvas.restore_region(self._backgrounds[scale])
            for artist in self.scene.dynamic:
                if artist.get_visible():
                    artist.axes.draw_artist(artist) if artist.axes else self.fig.draw_artist(artist)
            return rgba_pixels(self.canvas)
        finally:
            self.fig.dpi = self.dpi

    def pose(self, **values) -> str:
        """Apply `values` (the scene's defaults fill in the rest) without drawing; return the readout."""
        values = {**self.scene.defaults(), **values}
        self.readout = self.scene.update(**values)
        if self.scene.full_redraw:
            self.scene.full_redraw = False
            self._backgrounds.clear()
        return self.readout

    def pixels(self, **values) -> tuple[int, int, bytes]:
        """Apply `values` (as `pose`) and return the new 1× frame's pixels, as (w, h, RGBA)."""
        self.pose(**values)
        return self._render(1)  # the first call caches the background, freezing the layout

    def frame(self, **values) -> bytes:
        """Apply `values` (as `pose`) and return the new PNG frame."""
        return png_from_rgba(*self.pixels(**values))

    def sharp_pixels(self, scale: float = 2) -> tuple[int, int, bytes]:
        """The state of the last `frame` redrawn with `scale`× the pixels, as (w, h, RGBA)."""
        if 1 not in self._backgrounds:
            raise RuntimeError("draw a frame first: sharp_pixels redraws the last frame's state")
        return self._render(scale)

    def sharp_frame(self, scale: float = 2) -> bytes:
        """`sharp_pixels` as a PNG."""
        return png_from_rgba(*self.sharp_pixels(scale))


def naive_png(scene_cls: type[Scene], dpi: float = 100, params: dict | None = None, **values) -> bytes:
    """The slow baseline: build a whole new figure and render it to PNG, as `interact` with
    the inline backend does on every slider move (`bbox_inches='tight'` included)."""
    fig = Figure(figsize=scene_cls.figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    scene = scene_cls(fig, animated=False, **(params or {}))
    scene.update(**{**scene_cls.defaults(), **values})
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()


def drawn_data(scene: Scene) -> list[np.ndarray]:
    """The data of every dynamic artist, for tests that check nothing non-finite is drawn."""
    out = []
    for a in scene.dynamic:
        if hasattr(a, "get_xydata"):
            out.append(np.asarray(a.get_xydata(), dtype=float))
        elif hasattr(a, "get_offsets"):
            out.append(np.asarray(a.get_offsets(), dtype=float))
        elif hasattr(a, "get_position"):
            out.append(np.asarray(a.get_position(), dtype=float))
        if hasattr(a, "get_paths"):
            for p in a.get_paths():
                out.append(np.asarray(p.vertices, dtype=float))
    return out
