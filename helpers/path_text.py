"""Labels that redraw fast: text as filled paths from cached glyphs, and boxes sized in points.

A matplotlib Text costs about 1 ms per frame (layout and glyph rendering each time); a path
assembled from cached glyph outlines costs about 0.2 ms. Figures that change many numbers per
slider move (notebook 09's network) use these to stay within one 60 Hz frame.
"""
from __future__ import annotations

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.font_manager import FontProperties
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.textpath import TextPath, text_to_path
from matplotlib.transforms import Affine2D, ScaledTranslation, Transform, offset_copy

from . import style


def num(value: float, spec: str) -> str:
    """`value` formatted with `spec`, but never as a negative zero: a tiny negative number that
    rounds to 0 at this precision ("-0.000000") is shown as 0 ("+0.000000" or "0.000000")."""
    text = format(value, spec)
    return format(0.0, spec) if float(text) == 0 else text


def shifted(ax, dy: float) -> Transform:
    """Data coordinates shifted up by `dy` points: labels keep their spacing at any zoom."""
    return offset_copy(ax.transData, fig=ax.figure, x=0, y=dy, units="points")


class MonoText:
    """Monospace text as one filled path, assembled from cached glyph outlines.

    A matplotlib Text costs about 1 ms to draw (layout and glyph rendering every frame); a path
    built from cached glyphs costs about 0.2 ms, which is what keeps these figures within a frame.
    Coordinates are points; `patch` anchors a path at a data point of an axes.
    """

    def __init__(self, size: float, family: str = "DejaVu Sans Mono", weight: str = "normal"):
        self.prop = FontProperties(family=family, size=size, weight=weight)
        self.size = size
        self.advance = text_to_path.get_text_width_height_descent("0" * 10, self.prop, ismath=False)[0] / 10
        self.line = 1.25 * size
        self._glyphs: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def _glyph(self, ch: str) -> tuple[np.ndarray, np.ndarray]:
        if ch not in self._glyphs:
            g = TextPath((0, 0), ch, prop=self.prop)
            self._glyphs[ch] = (np.asarray(g.vertices, float), np.asarray(g.codes, np.uint8))
        return self._glyphs[ch]

    def size_of(self, text: str) -> tuple[float, float]:
        """Width and height in points of `text` (lines split at newlines)."""
        lines = text.split("\n")
        return max(len(s) for s in lines) * self.advance, len(lines) * self.line

    def path(self, text: str, ha: str = "center") -> Path:
        """`text` as a path centred vertically on 0; `ha` 'center' or 'left' aligns each line at x = 0."""
        lines = text.split("\n")
        top = (len(lines) * self.line) / 2 - 0.8 * self.size
        verts, codes = [np.zeros((1, 2))], [np.array([Path.MOVETO], np.uint8)]
        for j, line in enumerate(lines):
            x0 = -len(line) * self.advance / 2 if ha == "center" else 0.0
            for i, ch in enumerate(line):
                if ch != " ":
                    v, c = self._glyph(ch)
                    verts.append(v + (x0 + i * self.advance, top - j * self.line))
                    codes.append(c)
        return Path(np.concatenate(verts), np.concatenate(codes))

    def patch(self, ax, at, text: str = "", *, dy: float = 0.0, coords=None, ha: str = "center",
              **kw) -> PathPatch:
        """A PathPatch showing `text` centred at `at` (data coordinates, or `coords` such as
        ax.transAxes), raised by `dy` points. Change its text with `set_path(mono.path(...))`."""
        kw.setdefault("lw", 0)
        kw.setdefault("facecolor", style.COLORS["black"])
        trans = (Affine2D().translate(0, dy).scale(1 / 72) + ax.figure.dpi_scale_trans
                 + ScaledTranslation(*at, coords or ax.transData))
        return ax.add_patch(PathPatch(self.path(text, ha), transform=trans, **kw))


class Badge:
    """A one-line note in a box at a fixed place of an axes (axes coordinates), drawn from cached
    glyph outlines: about 0.2 ms to redraw whatever it says, where a matplotlib Text costs about
    1.5 ms each time its string changes (a note such as "diverged at step 9" changes with the
    slider). `artists` are what a scene tracks; `set_text` and `get_text` work as on a Text."""

    def __init__(self, ax, at: tuple[float, float], *, size: float, color, ha: str = "right",
                 va: str = "center", box_edge=None, pad: float = 2.0):
        if ha not in ("left", "right") or va not in ("top", "center"):
            raise ValueError("a Badge aligns ha='left'/'right' and va='top'/'center'")
        self.mono, self.ha, self.va, self.pad = MonoText(size, weight="bold"), ha, va, pad
        self._text = ""
        self.glyphs = self.mono.patch(ax, at, "", coords=ax.transAxes, ha="left", facecolor=color)
        self.artists = [self.glyphs]
        self.box = None
        if box_edge is not None:
            self.box = ax.add_patch(PathPatch(Path(np.zeros((1, 2))), transform=self.glyphs.get_transform(),
                                              facecolor="white", edgecolor=box_edge, alpha=0.9, lw=1))
            self.artists.insert(0, self.box)
        self.set_text("")

    def get_text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text
        for artist in self.artists:
            artist.set_visible(bool(text))
        if not text:
            return
        w, h = self.mono.size_of(text)
        dx = -w - self.pad if self.ha == "right" else self.pad  # the anchor is the box's outer edge
        dy = -h / 2 - self.pad if self.va == "top" else 0.0
        glyphs = self.mono.path(text, ha="left")
        self.glyphs.set_path(Path(glyphs.vertices + (dx, dy), glyphs.codes))
        if self.box is not None:
            x0, x1, y0, y1 = dx - self.pad, dx + w + self.pad, dy - h / 2 - self.pad, dy + h / 2 + self.pad
            self.box.set_path(Path([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], closed=True))


def text_width(text: str, size: float) -> float:
    """Width in points of `text` in the default (proportional) font at `size`."""
    return text_to_path.get_text_width_height_descent(text, FontProperties(size=size), ismath=False)[0]


def box_verts(sizes, dys, pad: float = 1.5) -> list[np.ndarray]:
    """Corners of rectangles of the given (width, height) in points, centred `dy` points above 0."""
    return [np.array([(-w / 2 - pad, dy - h / 2 - pad), (w / 2 + pad, dy - h / 2 - pad),
                      (w / 2 + pad, dy + h / 2 + pad), (-w / 2 - pad, dy + h / 2 + pad)])
            for (w, h), dy in zip(sizes, dys)]


def point_boxes(ax, centres, verts: list[np.ndarray], **kw) -> PolyCollection:
    """Rectangles drawn in points (`box_verts`) around data points `centres`: masks that stay
    exactly over their labels whatever the layout. One collection, so one draw call."""
    coll = PolyCollection(verts, offsets=np.asarray(centres, float), offset_transform=ax.transData,
                          transform=Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans, **kw)
    return ax.add_collection(coll)
