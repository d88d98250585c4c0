"""Sliders wired to a fast figure: the only module here that imports ipywidgets.

``LiveFigure(SlopeScene)`` builds the scene's controls as widgets, shows its frames in an
``ipywidgets.Image`` and its readout in an HTML box. A value change schedules one redraw;
further changes that arrive before it runs are folded into it (the latest value wins), so
dragging a slider never builds a backlog.
"""
from __future__ import annotations

import asyncio
import html

import ipywidgets as W

from .controls import Choice, Slider, Toggle
from .fastfig import BlitRenderer, Scene


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
    raise ValueError(f"unknown control type for {name!r}: {spec!r}")


class LiveFigure:
    """A scene with its sliders, as one widget. `set(**values)` changes values from code.

    `LiveFigure(Scene, x0=1.0)` starts control x0 at 1.0; `params={...}` is handed to the
    scene's constructor (data it draws). In the page the parts carry the CSS classes
    `live-figure`, `live-figure-image` and `live-figure-readout` (the browser tests use them).
    """

    def __init__(self, scene_cls: type[Scene], params: dict | None = None, **initial):
        unknown = set(initial) - set(scene_cls.controls)
        if unknown:
            raise ValueError(f"{scene_cls.__name__} has no control named {sorted(unknown)}; "
                             f"its controls are {sorted(scene_cls.controls)}")
        self.renderer = BlitRenderer(scene_cls, **(params or {}))
        self.scene = self.renderer.scene
        self.controls = {name: make_widget(name, spec) for name, spec in scene_cls.controls.items()}
        self.specs = scene_cls.controls
        for name, value in initial.items():
            self.controls[name].value = self.snap(name, value)
        self.image = W.Image(format="png", layout=W.Layout(width="auto", max_width="100%"))
        self.readout = W.HTML(layout=W.Layout(min_height="3em"))
        self._scheduled = False
        self.frames = 0
        rows = [self.controls[n] for n in self.controls]
        for name, spec in scene_cls.controls.items():
            if isinstance(spec, Slider) and spec.play:
                play = W.Play(value=int(self.controls[name].value), min=int(spec.min), max=int(spec.max),
                              step=1, interval=150, description=f"play {name}")
                # the slider is the link's source, so loading the page cannot reset it to the button's value
                W.jslink((self.controls[name], "value"), (play, "value"))
                rows[rows.index(self.controls[name])] = W.HBox([play, self.controls[name]])
        self.widget = W.VBox([W.VBox(rows), self.image, self.readout])
        self.widget.add_class("live-figure")
        self.image.add_class("live-figure-image")
        self.readout.add_class("live-figure-readout")
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.redraw()

    @property
    def values(self) -> dict:
        return {name: c.value for name, c in self.controls.items()}

    @property
    def readout_text(self) -> str:
        """The current readout as plain text (what the HTML box shows)."""
        return self.renderer.readout

    def redraw(self) -> None:
        """Render the current values now and push the frame and readout to the browser."""
        self._scheduled = False
        self.image.value = self.renderer.frame(**self.values)
        note = self.scene.live_note
        self.readout.value = ("<pre style='margin:0;font-size:0.95em;line-height:1.3'>"
                              + html.escape(self.renderer.readout) + "</pre>"
                              + (f"<div style='color:#666;font-size:0.9em'>{html.escape(note)}</div>" if note else ""))
        self.frames += 1

    def set(self, **values) -> "LiveFigure":
        """Move controls from code and redraw once, right away."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"no control named {sorted(unknown)}; controls are {sorted(self.controls)}")
        self._scheduled = True  # the changes below are drawn once, here
        for name, value in values.items():
            self.controls[name].value = self.snap(name, value)
        self.redraw()
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
            loop.call_soon(self.redraw)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.values.items())
        return f"{type(self).__name__}({self.renderer.scene.__class__.__name__}: {args})"

    def _repr_mimebundle_(self, **kwargs):
        data = self.widget._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)  # short and deterministic, so nbval can check it
        return data
