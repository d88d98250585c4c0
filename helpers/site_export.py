"""Kernel side of the static site (`tools/build_site.py`): record every `LiveFigure` a notebook
makes, then render each one's frames over its sliders' positions, so a page can swap them with
no Python running.

Only wiring, no maths. `record()` wraps `LiveFigure.__init__` and `.set` (in the build kernel
only) to keep each figure in creation order with its starting values, and the values the
notebook sets (positions its prose talks about, kept when the positions are thinned).
`export(...)` then draws, for each figure shown in the page, every position of each slider with
the others at their starting values (or the whole product of positions when it is small), and
writes 256-colour lossless WebP frames and a JSON description the builder turns into a player.
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import numbers
import pickle
from pathlib import Path

from PIL import Image

from .controls import Choice, Slider, Text, Toggle
from .live import LiveFigure

FIGURES: list[LiveFigure] = []          # every LiveFigure made in this kernel, in creation order
STARTS: dict[int, dict] = {}            # id(figure) → its values right after construction
MENTIONED: dict[int, dict[str, list]] = {}  # id(figure) → control → values passed to .set()

SOLE_CAP = 181      # most positions the one slider of a one-slider figure keeps
PRIMARY_CAP = 121   # most positions the learning rate of a figure with more sliders keeps
OTHER_CAP = 41      # most positions each other slider keeps
GRID_CAP = 300      # draw the whole product of positions when it has at most this many frames
# two-digit mantissas kept when a default log slider (90 positions a decade) is thinned: about
# 34 a decade, evenly spread (steps of 4–10 %) on the log scale, all round numbers a learner can read
LOG_MANTISSAS = (*range(10, 21), 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 43, 45, 48,
                 50, 55, 60, 65, 70, 75, 80, 85, 90, 95)


def record() -> None:
    """Keep every LiveFigure made from now on (idempotent). For the build kernel only."""
    if getattr(LiveFigure, "_site_recorded", False):
        return
    init, set_ = LiveFigure.__init__, LiveFigure.set

    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        FIGURES.append(self)
        STARTS[id(self)] = dict(self.values)

    def set(self, **values):
        for name, value in values.items():
            MENTIONED.setdefault(id(self), {}).setdefault(name, []).append(value)
        return set_(self, **values)

    LiveFigure.__init__, LiveFigure.set = __init__, set
    LiveFigure._site_recorded = True


def label(spec: Slider, value) -> str:
    """The value as JupyterLab's slider shows it."""
    if spec.log:
        return f"{value:g}"
    if spec.integer:
        return str(int(value))
    return format(value, ".3g")


def all_positions(spec: Slider) -> list:
    """Every position the JupyterLab slider offers, smallest first."""
    if spec.log:
        return list(spec.options)
    lo, hi = spec.bounds
    n = int(round((hi - lo) / spec.step_size))
    return list(dict.fromkeys(spec.snap(lo + k * spec.step_size) for k in range(n + 1)))


def positions(spec: Slider, cap: int, keep=(), start=None) -> list:
    """At most about `cap` of the slider's positions (ends, `start` (default: the slider's own)
    and `keep` always included): a default log slider keeps round mantissas, others every k-th
    step through the start."""
    every = all_positions(spec)
    first = spec.snap(spec.value if start is None else start)
    must = {every[0], every[-1], first, *(spec.snap(v) for v in keep)}
    if len(every) <= cap:
        return every
    if spec.log and spec.step is None:
        kept = [v for v in every if int(round(float(f"{v:.1e}".split("e")[0]) * 10)) in LOG_MANTISSAS]
        if len(kept) <= cap:
            return sorted(set(kept) | must)
        every = kept
    anchor = min(range(len(every)), key=lambda i: abs(every[i] - first))
    k = math.ceil(len(every) / cap)
    return sorted({v for i, v in enumerate(every) if (i - anchor) % k == 0} | must)


def compress(png: bytes) -> bytes:
    """A frame reduced to 256 colours (no dither), stored as lossless WebP: about a third of the
    1× RGB PNG, a fifth smaller than the same palette image as an optimised PNG, and faster to
    encode (every browser of the last years shows WebP)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(
        out, "webp", lossless=True, method=4)
    return out.getvalue()


def figures_in(model_id: str) -> list[LiveFigure]:
    """The recorded figures whose widget is the widget `model_id` or lies inside it."""
    from ipywidgets.widgets.widget import _instances

    by_widget = {f.widget.model_id: f for f in FIGURES if not f.closed}
    found, stack = [], [_instances.get(model_id)]
    while stack:
        w = stack.pop(0)
        if w is None:
            continue
        if getattr(w, "model_id", None) in by_widget:
            found.append(by_widget[w.model_id])
            continue
        stack[:0] = list(getattr(w, "children", ()))
    return found


def others_in(model_id: str) -> list[str]:
    """What else a displayed widget holds besides figures: its controls' descriptions."""
    from ipywidgets.widgets.widget import _instances

    inside = {f.widget.model_id for f in FIGURES}
    names, stack = [], [_instances.get(model_id)]
    while stack:
        w = stack.pop(0)
        if w is None or getattr(w, "model_id", None) in inside:
            continue
        kids = list(getattr(w, "children", ()))
        if kids:
            stack[:0] = kids
        elif getattr(w, "description", ""):
            names.append(w.description)
    return names


def describe_control(name: str, spec, start) -> dict:
    """A control as the page offers it: a range over positions, or a disabled stand-in."""
    kind = type(spec).__name__.lower()
    out = {"name": name, "label": spec.label or name, "kind": kind, "value": start}
    if isinstance(spec, Choice):
        out["options"] = [str(o) for o in spec.options]
    if isinstance(spec, Text):
        out["value"] = str(start)
    if isinstance(spec, Slider):
        out["play"] = bool(spec.play)
    return out


def export_figure(fig: LiveFigure, key: str, frames_dir: Path, rel: str) -> dict:
    """Render `fig` over its sliders' positions into `frames_dir`; return its description."""
    start = STARTS.get(id(fig), dict(fig.values))
    mentioned = MENTIONED.get(id(fig), {})
    specs = fig.specs
    sliders = [n for n, s in specs.items() if isinstance(s, Slider)]
    primary = "lr" if "lr" in sliders else (sliders[0] if len(sliders) == 1 else None)
    controls = []
    for name, spec in specs.items():
        c = describe_control(name, spec, start[name])
        if isinstance(spec, Slider):
            cap = SOLE_CAP if len(sliders) == 1 else PRIMARY_CAP if name == primary else OTHER_CAP
            keep = [v for v in mentioned.get(name, []) if isinstance(v, numbers.Real)]
            values = positions(spec, cap, keep, start[name])
            c["values"] = values
            c["labels"] = [label(spec, v) for v in values]
            c["start"] = values.index(spec.snap(start[name]))
        controls.append(c)
    live = [c for c in controls if "values" in c]
    grid = math.prod(len(c["values"]) for c in live) <= GRID_CAP
    states: list[tuple[str, dict]] = []
    base_key = ",".join(str(c["start"]) for c in live)
    if grid:
        def walk(i, idx):
            if i == len(live):
                states.append((",".join(map(str, idx)), {live[j]["name"]: live[j]["values"][k] for j, k in enumerate(idx)}))
                return
            for k in range(len(live[i]["values"])):
                walk(i + 1, idx + [k])
        walk(0, [])
    else:
        seen = set()
        for j, c in enumerate(live):
            for k in range(len(c["values"])):
                idx = [d["start"] for d in live]
                idx[j] = k
                state = ",".join(map(str, idx))
                if state not in seen:
                    seen.add(state)
                    states.append((state, {d["name"]: d["values"][m] for d, m in zip(live, idx)}))
    frames_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    readouts: list[str] = []
    table: dict[str, list] = {}
    raw = 0
    for state, values in states:
        png = fig.renderer.frame(**{**start, **values})
        text = fig.renderer.readout
        digest = hashlib.sha1(png).hexdigest()
        if digest not in files:
            small = compress(png)
            name = f"{key}-{len(files):03d}.webp"
            (frames_dir / name).write_bytes(small)
            raw += len(small)
            files[digest] = f"{rel}/{name}"
        if text not in readouts:
            readouts.append(text)
        table[state] = [files[digest], readouts.index(text)]
    scene = type(fig.scene)
    return {"key": key, "scene": f"{scene.__module__}.{scene.__qualname__}", "mode": "grid" if grid else "single",
            "width": fig.renderer.size[0], "height": fig.renderer.size[1], "controls": controls,
            "start": base_key, "frames": table, "readouts": readouts, "bytes": raw, "title": scene.title}


def export(displayed: list[str], frames_dir: str, rel: str, dump: str = "") -> str:
    """For each displayed widget model id (in page order), the figures inside it and their
    frames; returns JSON: {model_id: {"figures": [keys], "others": [...]}, "figures": {...}}.
    With `dump`, pickles each figure's scene, params and starting values there (for the tests'
    independent check)."""
    out_dir = Path(frames_dir)
    keys: dict[int, str] = {}
    figures: dict[str, dict] = {}
    views: dict[str, dict] = {}
    for model_id in displayed:
        found = figures_in(model_id)
        for fig in found:
            if id(fig) not in keys:
                keys[id(fig)] = key = f"fig{len(keys) + 1}"
                figures[key] = export_figure(fig, key, out_dir, rel)
        views[model_id] = {"figures": [keys[id(f)] for f in found], "others": others_in(model_id)}
    if dump:
        for fig in FIGURES:
            if id(fig) in keys:
                try:
                    blob = pickle.dumps({"scene": type(fig.scene), "params": fig.scene.params,
                                         "start": STARTS.get(id(fig), {})})
                except Exception as exc:  # data a notebook made that cannot be pickled: the tests say so
                    blob = pickle.dumps({"scene": type(fig.scene), "params": None, "error": repr(exc),
                                         "start": STARTS.get(id(fig), {})})
                Path(dump).mkdir(parents=True, exist_ok=True)
                (Path(dump) / f"{keys[id(fig)]}.pickle").write_bytes(blob)
    return json.dumps({"views": views, "figures": figures})
