"""Sliders wired to a fast figure: the module that connects widgets to scenes (other widget
code, such as `training_widget`, drives figures through it).

``LiveFigure(SlopeScene)`` builds the scene's controls as widgets, shows its frames in an
``ipywidgets.Image`` (sent to the browser as a ``data:`` URL: `FrameImage`) and its readout in an
HTML box. A value change schedules one redraw; further changes that arrive before it runs are
folded into it (the latest value wins), so dragging a slider never builds a backlog. Once the
hand rests (no change for `SHARP_DELAY` seconds) the figure is redrawn once with twice the
pixels, shown at the same size, so it is sharp on a HiDPI screen; the slower PNG encoding of that
frame runs in a worker thread, so a change arriving meanwhile is drawn at once and the stale sharp
frame is dropped.

While a slider moves, the frames a hand is likely to ask for next are ready before it asks: the
last `FRAMES_KEPT` frames shown are kept (a step back is sent as it was), and just after sending a
frame the kernel draws the one the same step again would bring (an arrow key pressed again, a
steady drag), compressed harder in the worker thread if it would not otherwise fit the browser's
websocket pipe in one go (`FRAME_PNG_BUDGET`). Any other change is drawn as it comes, at the
fastest encoding.
"""
from __future__ import annotations

import asyncio
import base64
import html
from concurrent.futures import ThreadPoolExecutor

import ipywidgets as W
from ipywidgets.widgets.trait_types import CByteMemoryView

from .controls import Choice, Slider, Text, Toggle
from .fastfig import BlitRenderer, Scene, png_from_rgba

SHARP_DELAY = 0.12  # seconds without a change before the figure is redrawn sharp
SHARP_SCALE = 2     # pixels per CSS pixel of the resting frame
AHEAD_DELAY = 0.01  # seconds after a frame is sent before the next step's is drawn (the page takes longer to show it)
FRAMES_KEPT = 16    # frames kept for a hand that goes back (about 100 KB each)
_ENCODER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="png")  # the slow encodings no hand waits for
DATA_URL_PREFIX = b"data:image/png;base64,"
# Chromium passes a websocket message to the page through a pipe of 131,000 bytes (twice its receive
# quota of 65,500); the rest of a larger message waits until the page's main thread, busy in a
# course page, has read the first part (in a test page with a busy main thread, 133 KB messages
# took 3.8 ms longer than 129 KB ones: README, Performance). A frame's message is its data URL and
# under 1 KB of headers, so a frame drawn ahead whose PNG would not fit is compressed harder.
WEBSOCKET_PIPE_BYTES = 131_000
FRAME_PNG_BUDGET = (WEBSOCKET_PIPE_BYTES - 1_000 - len(DATA_URL_PREFIX)) * 3 // 4


def png_to_data_url(png: bytes | memoryview, widget: W.Widget | None = None) -> memoryview:
    """A PNG as the bytes of a ``data:`` URL: what `FrameImage` sends the browser for its value."""
    return memoryview(DATA_URL_PREFIX + base64.b64encode(png))


def png_from_data_url(url: bytes | memoryview, widget: W.Widget | None = None) -> memoryview:
    """The PNG inside a `png_to_data_url` URL (the way back, should a browser send one)."""
    url = bytes(url)
    if not url.startswith(DATA_URL_PREFIX):
        raise ValueError("not a data: URL of a base64 PNG")
    return memoryview(base64.b64decode(url[len(DATA_URL_PREFIX):]))


class FrameImage(W.Image):
    """An ``ipywidgets.Image`` whose `value` is a PNG in the kernel and travels to the browser as a
    ``data:`` URL (so its `format` is ``"url"``), which the page reads itself; the standard widget's
    blob URL goes through Chromium's browser process. With the same frames, the course's figures
    came 4-9 ms closer to the browser test's floor in alternating runs (README, Performance)."""

    value = CByteMemoryView(help="The frame's PNG bytes.").tag(
        sync=True, to_json=png_to_data_url, from_json=png_from_data_url)

    def __init__(self, **kwargs):
        super().__init__(format="url", **kwargs)


def make_widget(name: str, spec) -> W.Widget:
    """The ipywidgets control for one `controls` entry."""
    label = spec.label or name
    common = dict(description=label, continuous_update=True, style={"description_width": "initial"},
                  layout=W.Layout(width="auto", min_width="260px"))
    if isinstance(spec, Slider):
        if spec.log:  # exact decimal positions: no float drift between browser and kernel
            return W.SelectionSlider(options=[(f"{v:g}", v) for v in spec.options],
                                     value=spec.snap(spec.value), **common)
        lo, hi = spec.bounds  # the step grid passes through the starting value
        if spec.integer:
            return W.IntSlider(value=int(spec.value), min=int(lo), max=int(hi), step=int(spec.step_size), **common)
        return W.FloatSlider(value=spec.value, min=lo, max=hi, step=spec.step_size, readout_format=".3g", **common)
    if isinstance(spec, Choice):
        common.pop("continuous_update")
        return W.Dropdown(options=list(spec.options), value=spec.value, **common)
    if isinstance(spec, Toggle):
        common.pop("continuous_update")
        return W.Checkbox(value=spec.value, indent=False, **common)
    if isinstance(spec, Text):
        common.update(continuous_update=False, layout=W.Layout(width="100%", min_width="260px"))
        return W.Text(value=spec.value, placeholder=spec.placeholder, **common)  # sent on Enter or blur
    raise ValueError(f"unknown control type for {name!r}: {spec!r}")


def _cell_run() -> tuple[str, int] | None:
    """(cell id, execution count) of the notebook cell being run, if any: JupyterLab and
    nbclient send the cell's id with every execution request."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        kernel = getattr(shell, "kernel", None)
        cell = (kernel.get_parent() or {}).get("metadata", {}).get("cellId") if kernel else None
        return (cell, shell.execution_count) if cell else None
    except Exception:  # not in a kernel, or a kernel without parent headers
        return None


class LiveFigure:
    """A scene with its sliders, as one widget. `set(**values)` changes values from code.

    `LiveFigure(Scene, x0=1.0)` starts control x0 at 1.0; `params={...}` is handed to the
    scene's constructor (data it draws). In the page the parts carry the CSS classes
    `live-figure`, `live-figure-image` and `live-figure-readout` (the browser tests use them).
    Re-running the cell that made a LiveFigure closes the old one (`close()`), so memory stays flat.
    `frames` counts the 1× frames sent, `frames_reused` those of them sent as they were kept (drawn
    ahead, or shown before), `sharp_frames` the resting ones.
    """

    _by_cell: dict[str, tuple[int, list["LiveFigure"]]] = {}  # cell id → (its run, figures it made)

    def __init__(self, scene_cls: type[Scene], params: dict | None = None, **initial):
        unknown = set(initial) - set(scene_cls.controls)
        if unknown:
            raise ValueError(f"{scene_cls.__name__} has no control named {sorted(unknown)}; "
                             f"its controls are {sorted(scene_cls.controls)}")
        self._claim_cell()
        self.renderer = BlitRenderer(scene_cls, **(params or {}))
        self.scene = self.renderer.scene
        self.specs = scene_cls.controls
        self.controls = {name: make_widget(name, spec) for name, spec in scene_cls.controls.items()}
        for name, value in initial.items():
            self.controls[name].value = self.snap(name, value)
        width, _ = self.renderer.size  # every frame, 1× or sharp, is shown this many CSS pixels wide
        self.image = FrameImage(layout=W.Layout(width=f"{width}px", max_width="100%", height="auto"))
        self.readout = W.HTML(layout=W.Layout(min_height="3em"))
        self._scheduled = False
        self._generation = 0  # counts drawn states; a sharp frame of an older state is dropped
        self._sharp_timer = None
        self._before = self._shown = None  # the values of the frame shown before this one, and of this one
        self._posed = None  # the values the scene is set to (a frame drawn ahead moves it on)
        self._kept: list[tuple[dict, bytes, str, str]] = []  # (values, PNG, readout, note), newest last
        self._readout, self._readout_for = "", None  # the readout shown, and the values it was made for
        self.frames = self.sharp_frames = self.frames_reused = 0
        self.error = ""  # the last drawing error shown in the readout, "" when the last draw worked
        self.closed = False
        rows = [self.controls[n] for n in self.controls]
        self._extra = []
        self._plays: dict[str, W.Play] = {}
        for name, spec in scene_cls.controls.items():
            if isinstance(spec, Slider) and spec.play:
                play = W.Play(value=int(self.controls[name].value), min=int(spec.min), max=int(spec.max),
                              step=1, interval=150, description=f"play {name}")
                # No browser-side link: a linked Play re-renders and messages the kernel on every slider
                # move (about 35 ms a key press, measured). Its ticks move the slider through the kernel
                # instead, and it is told the slider's value once the hand rests (`_sync_plays`).
                play.observe(lambda change, name=name: self._play_tick(name, change["new"]), names="value")
                box = W.HBox([play, self.controls[name]])
                rows[rows.index(self.controls[name])] = box
                self._plays[name] = play
                self._extra += [play, box]
        box = W.VBox(rows)
        self.widget = W.VBox([box, self.image, self.readout])
        self._extra.append(box)
        self.widget.add_class("live-figure")
        self.image.add_class("live-figure-image")
        self.readout.add_class("live-figure-readout")
        self.fit_limits()
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()
        self.sharpen()  # at rest from the start

    def fit_limits(self) -> None:
        """Give the sliders (and their play buttons) the ranges the scene's data allows
        (`Scene.limits`); a value outside is moved to the nearest end. Call after loading new data."""
        self._kept.clear()  # drawn from the old data
        for name, (lo, hi) in self.scene.limits().items():
            parts = [self.controls[name]] + ([self._plays[name]] if name in self._plays else [])
            for w in parts:
                lo_, hi_ = (int(lo), int(hi)) if isinstance(w, (W.IntSlider, W.Play)) else (lo, hi)
                if lo_ > w.max:  # keep min <= max at every step
                    w.max, w.min = hi_, lo_
                else:
                    w.min, w.max = lo_, hi_
                w.value = min(max(w.value, lo_), hi_)

    @property
    def values(self) -> dict:
        return {name: c.value for name, c in self.controls.items()}

    @property
    def readout_text(self) -> str:
        """The current readout as plain text (what the HTML box shows)."""
        return self.error or self._readout

    def redraw(self) -> None:
        """Render the current values now and push the frame and readout to the browser. If the
        scene fails, the readout says what went wrong and for which values, the last good frame
        stays, and the next change draws again."""
        self._kept.clear()  # the caller may have changed the scene's data since they were drawn
        self._draw()

    def _draw(self) -> None:
        """`redraw`, but a frame kept for these values (drawn ahead, or shown before) is sent as it is."""
        self._scheduled = False
        self._generation += 1
        if self.closed:
            return
        values = self.values
        kept = self._find(values)
        if kept is not None:
            drawn_for, png, readout, note = kept
            self.frames_reused += 1
        else:
            try:
                png = self.renderer.frame(**values)
            except Exception as exc:  # a scene's bug or an input it cannot draw: say so, stay alive
                self._fail(values, exc)
                return
            drawn_for, readout, note = values, self.renderer.readout, self.scene.live_note
            self._posed = values
            self._keep((values, png, readout, note))
        self.error = ""
        self.image.value = png
        self._readout, self._readout_for = readout, drawn_for
        self._show_readout(readout, note)
        self._before, self._shown = self._shown, values
        self.frames += 1

    def _fail(self, values: dict, exc: Exception) -> None:
        self._posed = None  # the scene may be half updated
        shown = ", ".join(f"{k} = {v!r}" for k, v in values.items())
        self.error = (f"⚠ This figure could not be drawn for {shown}: {type(exc).__name__}: {exc}. "
                      "The last good picture is shown; change a control to try again.")
        self._show_readout(self.error, "")

    def _find(self, values: dict) -> tuple | None:
        """The kept frame that shows `values` (now the most recently used), or None."""
        for i, kept in enumerate(self._kept):
            if self._same_state(kept[0], values):
                self._kept.append(self._kept.pop(i))
                return kept
        return None

    def _keep(self, frame: tuple) -> None:
        self._kept.append(frame)
        del self._kept[:-FRAMES_KEPT]

    def _same_state(self, drawn: dict, values: dict) -> bool:
        """Whether a frame drawn for `drawn` shows `values`: equal, but for a linear slider's float
        rounding (a browser sends 0.3 where the kernel's step ahead gave 0.30000000000000004)."""
        for name, value in values.items():
            spec, other = self.specs[name], drawn[name]
            if other == value:
                continue
            if not (isinstance(spec, Slider) and not spec.log and not spec.integer
                    and abs(other - value) <= 1e-6 * spec.step_size):
                return False
        return True

    def _next_step(self) -> dict | None:
        """The values the same step again would bring: the slider that moved last, moved as far
        again (None when the last change was not one slider's move, or that slider is at its end)."""
        before, now = self._before, self._shown
        if before is None or now is None:
            return None
        moved = [name for name in now if now[name] != before[name]]
        if len(moved) != 1 or not isinstance(self.specs[moved[0]], Slider):
            return None
        name = moved[0]
        spec, widget, a, b = self.specs[name], self.controls[name], before[name], now[name]
        if spec.log:
            options = [v for _, v in widget.options]
            k = 2 * options.index(b) - options.index(a) if a in options and b in options else -1
            if not 0 <= k < len(options):
                return None
            return {**now, name: options[k]}
        step = b - a
        if not widget.min - abs(step) * 1e-6 <= b + step <= widget.max + abs(step) * 1e-6:
            return None
        return {**now, name: int(b + step) if spec.integer else b + step}

    def _draw_ahead(self, generation: int) -> None:
        """Draw the frame of `_next_step` and keep it, if nothing has changed since the last frame."""
        if generation != self._generation or self._scheduled or self.closed or self.error:
            return
        values = self._next_step()
        if values is None or self._find(values) is not None:
            return
        try:
            pixels = self.renderer.pixels(**values)
            png = png_from_rgba(*pixels)
        except Exception:  # that step is drawn again, and its error shown, if the hand goes there
            self._posed = None
            return
        self._posed = values
        frame = (values, png, self.renderer.readout, self.scene.live_note)
        self._keep(frame)
        if len(png) > FRAME_PNG_BUDGET:  # deflated harder in the worker: a change meanwhile is not delayed
            loop = asyncio.get_running_loop()
            future = _ENCODER.submit(png_from_rgba, *pixels, max_bytes=FRAME_PNG_BUDGET)
            future.add_done_callback(lambda f: loop.call_soon_threadsafe(self._tighten, frame, f))

    def _tighten(self, frame: tuple, future) -> None:
        """Keep the harder-deflated PNG of a frame drawn ahead in its place, if it is still kept
        (the hand may have asked for it meanwhile: it was sent as it was, which is the same picture)."""
        if future.exception() is None and frame in self._kept:
            self._kept[self._kept.index(frame)] = (frame[0], future.result(), *frame[2:])

    def _pose_current(self) -> bool:
        """Set the scene to the controls' values (a frame drawn ahead moves it on), and make the
        readout theirs exactly (a kept frame may be a float's rounding away); False if it failed."""
        values = self.values
        if self._posed != values:
            try:
                self.renderer.pose(**values)
            except Exception as exc:
                self._fail(values, exc)
                return False
            self._posed = values
        if self._readout_for != values:
            self._readout, self._readout_for = self.renderer.readout, values
            self._show_readout(self._readout, self.scene.live_note)
        return True

    def _show_readout(self, text: str, note: str) -> None:
        # JupyterLab breaks an output's <pre> anywhere (word-break: break-all); a readout wraps between words
        self.readout.value = ("<pre style='margin:0;font-size:0.95em;line-height:1.3;white-space:pre-wrap;"
                              "word-break:normal'>"
                              + html.escape(text) + "</pre>"
                              + (f"<div style='color:#666;font-size:0.9em'>{html.escape(note)}</div>" if note else ""))

    def _play_tick(self, name: str, value: int) -> None:
        if not self.closed and self.controls[name].value != value:
            self.controls[name].value = value  # observed like a hand's move: redrawn, coalesced

    def _sync_plays(self) -> None:
        """Tell each play button where its slider now is, so a press of play starts from there."""
        for name, play in self._plays.items():
            if play.value != self.controls[name].value:
                play.value = int(self.controls[name].value)

    def sharpen(self) -> None:
        """Redraw the current state with `SHARP_SCALE`× the pixels, now (what a resting figure shows)."""
        self._sync_plays()
        if self.closed or self.error or not self._pose_current():
            return
        self.image.value = png_from_rgba(*self.renderer.sharp_pixels(SHARP_SCALE))
        self.sharp_frames += 1

    def _schedule_sharp(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._sharp_timer is not None:
            self._sharp_timer.cancel()
        self._sharp_timer = loop.call_later(SHARP_DELAY, self._sharpen_if_resting, self._generation, loop)

    def _sharpen_if_resting(self, generation: int, loop: asyncio.AbstractEventLoop) -> None:
        self._sharp_timer = None
        if generation != self._generation or self.closed:
            return
        self._sync_plays()
        if self.error or not self._pose_current():
            return
        pixels = self.renderer.sharp_pixels(SHARP_SCALE)  # a few ms; the encoding is the slow part
        future = _ENCODER.submit(png_from_rgba, *pixels)
        future.add_done_callback(lambda f: loop.call_soon_threadsafe(self._show_sharp, generation, f))

    def _show_sharp(self, generation: int, future) -> None:
        if generation == self._generation and not self.closed and future.exception() is None:
            self.image.value = future.result()
            self.sharp_frames += 1

    def set(self, **values) -> "LiveFigure":
        """Move controls from code and redraw once, right away (then sharp: the figure is at rest)."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; controls are {sorted(self.controls)}")
        self._scheduled = True  # the changes below are drawn once, here
        try:
            for name, value in values.items():
                try:
                    self.controls[name].value = self.snap(name, value)
                except Exception as exc:
                    raise ValueError(f"{value!r} is not a value control {name!r} can take: {exc}") from None
        finally:
            self.redraw()  # draws whatever was set, and clears the flag even if a value was refused
        self.sharpen()
        return self

    def snap(self, name: str, value):
        """Sliders take the nearest value on their step grid, as the browser would."""
        spec = self.specs[name]
        return spec.snap(value) if isinstance(spec, Slider) else value

    def _on_change(self, change) -> None:
        if self._scheduled:
            return  # a redraw is already queued; it will read the latest values
        self._scheduled = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (plain Python): draw now
            self.redraw()
        else:
            loop.call_soon(self._redraw_then_rest, loop)

    def _redraw_then_rest(self, loop: asyncio.AbstractEventLoop) -> None:
        self._draw()
        self._schedule_sharp(loop)
        loop.call_later(AHEAD_DELAY, self._draw_ahead, self._generation)

    def close(self) -> None:
        """Release the widgets, the figure and its cached pixels (re-running a cell calls this)."""
        if self.closed:
            return
        self.closed = True
        self._kept.clear()
        if self._sharp_timer is not None:
            self._sharp_timer.cancel()
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        for w in [*self.controls.values(), *self._extra, self.image, self.readout, self.widget]:
            for part in (getattr(w, "layout", None), getattr(w, "style", None)):  # widgets of their own
                if isinstance(part, W.Widget):
                    part.close()
            w.close()
        self.renderer.fig.clear()
        self.renderer._backgrounds.clear()
        self.renderer.canvas.text_memo = {}

    def _claim_cell(self, run: tuple[str, int] | None = None) -> None:
        """Close the figures an earlier run of this cell made; remember this one."""
        run = run or _cell_run()
        if run is None:
            return
        cell, count = run
        previous, figures = LiveFigure._by_cell.get(cell, (count, []))
        if previous != count:
            for old in figures:
                old.close()
            figures = []
        LiveFigure._by_cell[cell] = (count, [*figures, self])

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({self.renderer.scene.__class__.__name__}: {args})"

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)  # short and deterministic, so nbval can check it
        return data
