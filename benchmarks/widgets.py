"""How fast does each figure follow its slider? Run: ``python -m benchmarks.widgets``.

For every interactive figure in the course (every registered scene), build the very widget
the notebook shows (`LiveFigure`), move each of its controls over a sweep of values and time
each move from the value change to the new frame's PNG bytes being in the image widget
(computation + drawing + encoding). In the same run, time the naive pattern on the same
content: a whole new figure rendered to PNG per change, as `interact` with the inline
backend does; and the sharp frame a resting figure shows (twice the pixels, drawn and encoded).
Then time the headless execution of every notebook.

The last two lines are always:
``sharp frame worst median: X ms``
``worst widget median: X ms; naive median: Y ms; speed-up: Z x``
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import helpers
from helpers.fastfig import SCENES, naive_png
from helpers.live import LiveFigure

ROOT = Path(__file__).resolve().parent.parent


def load_scenes():
    for mod in pkgutil.iter_modules(helpers.__path__):
        importlib.import_module(f"helpers.{mod.name}")
    return list(SCENES)


def sweep(scene_cls, per_control: int):
    """(name, value) moves: each control once across its range, others at defaults. One way
    only, so a scene that caches what it has computed gets no credit for revisiting a value."""
    moves = []
    for name, spec in scene_cls.controls.items():
        moves += [(name, v) for v in spec.grid(per_control)]
    return moves


def time_widget(scene_cls, per_control: int) -> list[float]:
    live = LiveFigure(scene_cls)
    times = []
    for name, value in sweep(scene_cls, per_control):
        control = live.controls[name]
        value = live.snap(name, value)  # a value the slider can take
        if control.value == value:
            continue
        start = time.perf_counter()
        control.value = value  # the observer redraws (no event loop here, so at once)
        _ = live.image.value
        times.append(time.perf_counter() - start)
    return times


def time_sharp(scene_cls, per_control: int) -> list[float]:
    """The resting figure's 2× frame (drawn and encoded), after each move of the same sweep."""
    live = LiveFigure(scene_cls)
    times = []
    for name, value in sweep(scene_cls, per_control):
        value = live.snap(name, value)
        if live.controls[name].value == value:
            continue
        live.controls[name].value = value
        start = time.perf_counter()
        live.sharpen()
        times.append(time.perf_counter() - start)
    if not times:  # a sweep too coarse to move anything: the resting frame at the start
        start = time.perf_counter()
        live.sharpen()
        times.append(time.perf_counter() - start)
    live.close()
    return times


def time_naive(scene_cls, n: int) -> list[float]:
    times = []
    moves = sweep(scene_cls, max(2, n // max(1, len(scene_cls.controls))))[:n]
    for name, value in moves:
        start = time.perf_counter()
        naive_png(scene_cls, **{name: value})
        times.append(time.perf_counter() - start)
    return times


def time_notebooks() -> list[tuple[str, float]]:
    import nbformat
    from nbclient import NotebookClient

    out = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        out.append((path.name, time.perf_counter() - start))
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-control", type=int, default=25, help="values per control in a sweep")
    parser.add_argument("--naive", type=int, default=8, help="naive re-plots per figure")
    parser.add_argument("--sharp", type=int, default=8, help="values per control for the sharp (2×) frames")
    parser.add_argument("--no-notebooks", action="store_true", help="skip timing notebook execution")
    args = parser.parse_args(argv)

    scenes = load_scenes()
    print(f"{len(scenes)} interactive figures; times are kernel-side, value change → PNG frame ready")
    print(f"{'figure':<54}{'moves':>6}{'median ms':>11}{'p95 ms':>9}{'sharp ms':>10}{'naive ms':>10}{'ratio':>8}")
    medians, sharp_medians, naive_all = [], [], []
    for scene_cls in scenes:
        with warnings.catch_warnings():
            # a warning raised in the course's own code while drawing is a bug, not noise
            warnings.filterwarnings("error", module=r"helpers(\.|$)")
            times = time_widget(scene_cls, args.per_control)
            sharp = time_sharp(scene_cls, args.sharp)
            naive = time_naive(scene_cls, args.naive)
        med, p95, nmed = statistics.median(times), float(np.percentile(times, 95)), statistics.median(naive)
        smed = statistics.median(sharp)
        medians.append(med)
        sharp_medians.append(smed)
        naive_all += naive
        name = scene_cls.title or scene_cls.__name__
        print(f"{name[:53]:<54}{len(times):>6}{ms(med):>11}{ms(p95):>9}{ms(smed):>10}{ms(nmed):>10}{nmed / med:>7.1f}x")

    if not args.no_notebooks:
        timings = time_notebooks()
        for name, seconds in timings:
            print(f"execute {name:<46}{seconds:>6.1f} s")
        print(f"execute all {len(timings)} notebooks{sum(s for _, s in timings):>33.1f} s")

    print(f"sharp frame worst median: {ms(max(sharp_medians))} ms")
    worst, naive_median = max(medians), statistics.median(naive_all)
    print(f"worst widget median: {ms(worst)} ms; naive median: {ms(naive_median)} ms; "
          f"speed-up: {naive_median / worst:.1f} x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
