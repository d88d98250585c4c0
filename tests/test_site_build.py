"""Fast checks of the static-site builder (issue 18) without building the site: slider positions
as JupyterLab offers them, thinning that keeps ends and starts, 256-colour frames, maths as MathML,
links between pages, and the repository's wiring (make site, site/ ignored, pinned builder).
The browser tests of the built site are tests/e2e/test_site.py."""
from __future__ import annotations

import importlib.util
import io
import math
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from helpers import site_export
from helpers.controls import Slider
from helpers.live import LiveFigure

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("build_site", REPO / "tools" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_site)


def test_log_slider_positions_are_jupyterlabs_selection_slider_options():
    s = Slider(0.005, 1.5, 0.1, log=True)
    assert site_export.all_positions(s) == list(s.options)
    # written out by hand: 0.005 … 0.0099, 0.010 … 0.099, 0.10 … 0.99, 1.0 … 1.5
    assert len(s.options) == 50 + 90 + 90 + 6
    assert site_export.label(s, 0.17) == "0.17" and site_export.label(s, 1.5) == "1.5"


def test_linear_slider_positions_are_the_step_grid_through_the_start():
    s = Slider(-3.5, 3.5, 3.0, step=0.1)
    every = site_export.all_positions(s)
    assert len(every) == 71 and every[0] == -3.5 and every[-1] == 3.5 and 3.0 in every
    assert all(abs(b - a - 0.1) < 1e-9 for a, b in zip(every, every[1:]))
    k = Slider(0, 40, 12, integer=True)
    assert site_export.all_positions(k) == list(range(41))
    assert site_export.label(k, 7) == "7"
    assert site_export.label(Slider(0.0, 1.0, 0.95, step=0.01), 0.95) == "0.95"


@pytest.mark.parametrize("slider, cap", [
    (Slider(0.01, 1000.0, 1.0, log=True), 121),
    (Slider(0.005, 1.5, 0.1, log=True), 121),
    (Slider(0, 3000, 1500, integer=True), 121),
    (Slider(0.0, 360.0, 0.0, step=1.0), 41),
    (Slider(-np.pi, 2 * np.pi, 0.0), 41),
])
def test_thinned_positions_keep_ends_start_and_named_values_and_respect_the_cap(slider, cap):
    every = site_export.all_positions(slider)
    named = every[len(every) // 3]
    kept = site_export.positions(slider, cap, keep=[named])
    assert kept == sorted(kept) and set(kept) <= set(every)   # only positions JupyterLab offers
    assert kept[0] == every[0] and kept[-1] == every[-1]
    assert slider.snap(slider.value) in kept and named in kept
    assert len(kept) <= cap + 4                                # the cap, plus the ends and named values


def test_thinned_log_positions_are_round_and_spread_evenly_on_the_log_scale():
    s = Slider(0.01, 1000.0, 1.0, log=True)
    kept = site_export.positions(s, 500)
    assert len(kept) == len(s.options)  # under the cap: all 451
    kept = site_export.positions(s, 200)
    assert {0.01, 0.02, 0.05, 0.1, 0.5, 1.0, 2.0, 10.0, 100.0, 1000.0} <= set(kept)
    ratios = [b / a for a, b in zip(kept, kept[1:])]
    assert max(ratios) < 1.12 and min(ratios) > 1.04   # no gap, no crowding, on a log axis


def test_a_figures_own_start_is_a_position_even_off_the_sliders_default():
    s = Slider(0.0, 0.99, 0.0, step=0.01)
    kept = site_export.positions(s, 41, start=0.5)
    assert 0.5 in kept and 0.0 in kept and 0.99 in kept


def test_frame_is_a_256_colour_webp_of_the_same_size_and_smaller():
    from helpers.valley_scenes import LearningRateValleyScene

    fig = LiveFigure(LearningRateValleyScene)
    try:
        png = fig.renderer.frame(lr=0.9)
    finally:
        fig.close()
    small = site_export.compress(png)
    a, b = Image.open(io.BytesIO(png)), Image.open(io.BytesIO(small))
    assert b.format == "WEBP" and a.size == b.size
    assert len(small) < 0.6 * len(png)
    assert len(np.unique(np.asarray(b.convert("RGB")).reshape(-1, 3), axis=0)) <= 256  # a palette image, kept exactly
    diff = np.abs(np.asarray(a.convert("RGB"), float) - np.asarray(b.convert("RGB"), float))
    assert diff.mean() < 2.0   # the picture is the same to the eye


def test_display_maths_becomes_mathml_and_code_is_left_alone():
    md = "Rule:\n\n$$x \\leftarrow x - \\alpha \\cdot \\nabla f(x)$$\n\nIn code `cost = \"$x$\"` stays; $a^2$ inline."
    out = build_site.math_to_mathml(md)
    assert "$$" not in out and out.count("<math") == 2
    assert 'display="block"' in out and "&#x02207;" in out   # ∇
    assert '`cost = "$x$"`' in out


def test_notebook_links_point_to_pages():
    page = '<a href="05_choosing_the_learning_rate.ipynb#the-sweep">05</a> <a href="https://x.org/a.ipynb">x</a>'
    out = build_site.link_pages(page, {"05_choosing_the_learning_rate"})
    assert 'href="05_choosing_the_learning_rate.html#the-sweep"' in out
    assert 'href="https://x.org/a.ipynb"' in out


def test_player_markup_has_the_classes_jupyterlab_figures_carry():
    fig = {"key": "fig1", "scene": "helpers.valley_scenes.LearningRateValleyScene", "mode": "single",
           "width": 860, "height": 350, "title": "valley", "start": "1",
           "frames": {"0": ["p/fig1-000.png", 0], "1": ["p/fig1-001.png", 1]}, "readouts": ["a", "b</script>"],
           "controls": [{"name": "lr", "label": "α", "kind": "slider", "value": 0.2, "play": False,
                         "values": [0.1, 0.2], "labels": ["0.1", "0.2"], "start": 1},
                        {"name": "decay", "label": "decay", "kind": "toggle", "value": False}]}
    html = build_site.player_html(fig, 1)
    assert 'class="live-figure"' in html and 'class="live-figure-image"' in html
    assert '<pre class="live-figure-readout">b&lt;/script&gt;</pre>' in html
    assert re.search(r'<input type="range" min="0" max="1" step="1" value="1" data-control="lr"', html)
    assert '<input type="checkbox" disabled' in html and "needs a" in html
    assert html.count("</script>") == 1   # a readout cannot end the data block early


def test_repository_wiring():
    make = (REPO / "Makefile").read_text()
    assert re.search(r"^site:.*\n\t\$\(PY\) tools/build_site.py", make, re.M)
    assert re.search(r"^\.PHONY:.*\bsite\b", make, re.M)
    assert "/site/" in (REPO / ".gitignore").read_text().split()
    reqs = (REPO / "requirements.txt").read_text()
    assert re.search(r"^latex2mathml==", reqs, re.M) and re.search(r"^nbconvert", reqs, re.M)
    tracked = subprocess.run(["git", "ls-files", "site"], cwd=REPO, capture_output=True, text=True).stdout
    assert tracked == "", "site/ must never be committed"
    for name in ("course.css", "player.js", "index.html", "templates/course/index.html.j2"):
        assert (REPO / "tools" / "site" / name).exists()
    js = (REPO / "tools" / "site" / "player.js").read_text()
    css = (REPO / "tools" / "site" / "course.css").read_text()
    assert not re.search(r"https?://", js + css), "the site's assets load nothing from outside"
