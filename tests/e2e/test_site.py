"""The static site (issue 18) in headless Chromium, opened from file:// with the network blocked.

The site is built once per test session into a temporary folder by `tools/build_site.py` (in a
subprocess, as `make site` runs it), which also pickles each figure's scene, params and starting
values. Every page must load with no console error and no request outside its folder; on every
player, moving each range input must change the frame, and the readout the page shows must be
what a fresh `LiveFigure(Scene, params, **start).set(**values).readout_text` gives in this
process: computed here, not read from the site's own tables.
"""
from __future__ import annotations

import json
import pickle
import random
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.controls import Slider
from helpers.live import LiveFigure

REPO = Path(__file__).resolve().parents[2]

BUILD_TIMEOUT = 900  # seconds; the build takes about one to two minutes on 2 cores


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, built once: returns its folder (figure pickles in its sibling `dump/`)."""
    base = tmp_path_factory.mktemp("site")
    out, dump = base / "site", base / "dump"
    result = subprocess.run([sys.executable, str(REPO / "tools" / "build_site.py"), "--out", str(out),
                             "--dump", str(dump)], cwd=REPO, capture_output=True, text=True,
                            timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    (base / "build.log").write_text(result.stdout)
    return out


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


def test_every_notebook_has_a_page_and_the_build_prints_sizes(site):
    notebooks = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.stem for p in pages(site) if p.stem != "index") == notebooks
    log = (site.parent / "build.log").read_text()
    for stem in notebooks:
        assert f"{stem}.html" in log, f"the build did not print the size of {stem}.html"
    assert "total" in log
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    assert total < 60 * 2**20, f"site is {total / 2**20:.1f} MB"
    for page in pages(site):
        frames = page.with_suffix("")
        size = page.stat().st_size + sum(f.stat().st_size for f in frames.rglob("*") if f.is_file())
        assert size < 10 * 2**20, f"{page.name} with its frames is {size / 2**20:.1f} MB"


def open_page(context, page_path: Path, site: Path):
    """Open `page_path` from file://, aborting (and recording) any request outside `site`."""
    inside = site.resolve().as_uri() + "/"
    outside, errors = [], []

    def route(r):
        if r.request.url.startswith(inside):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(page_path.resolve().as_uri(), wait_until="load")
    return page, outside, errors


@pytest.fixture(scope="module")
def site_browser(chromium):
    """A fresh context; every route is decided by `open_page`."""
    context = chromium.new_context(viewport={"width": 1280, "height": 1000})
    try:
        yield context
    finally:
        context.close()


def test_pages_load_offline_with_no_console_error(site, site_browser):
    for page_path in pages(site):
        page, outside, errors = open_page(site_browser, page_path, site)
        try:
            page.wait_for_function("document.readyState === 'complete'")
            if page.locator(".live-figure").count():
                page.wait_for_selector("html[data-players-ready=true]")
            # every image, frames included, is found inside the site
            broken = page.evaluate("Array.from(document.images).filter(i => !i.complete || !i.naturalWidth)"
                                   ".map(i => i.getAttribute('src').slice(0, 80))")
            assert not broken, f"{page_path.name}: images that did not load: {broken}"
            assert "static copy" in page.inner_text("body"), f"{page_path.name} does not say it is a static copy"
        finally:
            page.close()
            site_browser.unroute("**/*")
        assert not outside, f"{page_path.name} asked for something outside its folder: {outside}"
        assert not errors, f"{page_path.name}: console errors {errors}"


def test_index_links_every_page(site, site_browser):
    page, outside, errors = open_page(site_browser, site / "index.html", site)
    try:
        hrefs = set(page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))"))
    finally:
        page.close()
        site_browser.unroute("**/*")
    for p in pages(site):
        if p.name != "index.html":
            assert p.name in hrefs, f"index.html does not link {p.name}"
    assert not outside and not errors


def spec_positions(spec: Slider) -> tuple[set, float, float]:
    """The positions JupyterLab's slider offers, computed here from the spec: (set, first, last)."""
    if spec.log:
        opts = spec.options
        return set(opts), opts[0], opts[-1]
    lo, hi = spec.bounds
    return None, spec.snap(lo), spec.snap(hi)


def shown_label(spec: Slider, v) -> str:
    """How JupyterLab's slider shows a value (SelectionSlider label, IntSlider, FloatSlider .3g)."""
    return f"{v:g}" if spec.log else str(int(v)) if spec.integer else format(v, ".3g")


def figure_pages(site: Path) -> list[Path]:
    return [p for p in pages(site) if 'class="live-figure"' in p.read_text()]


@pytest.fixture(scope="session")
def dumped(site) -> dict:
    """page stem → figure key → what the build kernel pickled: scene class, params, start values."""
    out = {}
    for d in (site.parent / "dump").iterdir():
        out[d.name] = {f.stem: pickle.loads(f.read_bytes()) for f in d.glob("*.pickle")}
    return out


def test_there_are_players_and_the_valley_has_its_learning_rate(site):
    figs = figure_pages(site)
    assert len(figs) >= 10
    text = (site / "05_choosing_the_learning_rate.html").read_text()
    assert 'data-scene="helpers.valley_scenes.LearningRateValleyScene"' in text
    assert 'data-control="lr"' in text


def test_every_player_moves_and_shows_the_kernels_readout(site, site_browser, dumped):
    rng = random.Random(18)
    checked = 0
    for page_path in figure_pages(site):
        page, outside, errors = open_page(site_browser, page_path, site)
        try:
            page.wait_for_selector("html[data-players-ready=true]")
            players = page.locator(".live-figure")
            for n in range(players.count()):
                player = players.nth(n)
                checked += check_player(page_path, player, dumped[page_path.stem], rng)
        finally:
            page.close()
            site_browser.unroute("**/*")
        assert not outside, f"{page_path.name}: requests outside the site {outside}"
        assert not errors, f"{page_path.name}: console errors {errors}"
    assert checked >= 50


def check_player(page_path: Path, player, dumped: dict, rng: random.Random) -> int:
    """Move each range input of one player through its ends, its start and a few positions; the
    frame must change and each readout must be the kernel's. Returns how many positions were checked."""
    where = f"{page_path.name} {player.get_attribute('id')}"
    # the markup JupyterLab's figures carry too
    assert player.locator("img.live-figure-image").count() == 1, where
    assert player.locator(".live-figure-readout").count() == 1, where
    key = player.get_attribute("data-figure")
    record = dumped[key]
    scene = record["scene"]
    assert player.get_attribute("data-scene") == f"{scene.__module__}.{scene.__qualname__}", where
    assert record.get("params") is not None or "error" not in record, f"{where}: params not picklable: {record}"
    data = json.loads(player.locator("script.live-figure-data").text_content())
    inputs = player.locator('input[type="range"]')
    sliders = [n for n, s in scene.controls.items() if isinstance(s, Slider)]
    assert [inputs.nth(i).get_attribute("data-control") for i in range(inputs.count())] == sliders, where
    # the controls the site cannot offer are there, disabled, with a note saying why
    fixed = [n for n in scene.controls if n not in sliders] + [n for n in sliders if scene.controls[n].play]
    disabled = player.locator(".live-figure-controls :is(input, select, button):disabled").count()
    assert disabled == len(fixed), f"{where}: {disabled} disabled controls for {fixed}"
    if fixed:
        assert "running kernel" in player.locator(".live-figure-note").all_inner_texts()[-1], where
    assert all(not inputs.nth(i).is_disabled() for i in range(inputs.count())), where
    start = dict(record["start"])
    fig = LiveFigure(scene, params=record.get("params"), **start)  # the independent reference, in this process
    checked = 0
    try:
        for j, name in enumerate(sliders):
            spec = scene.controls[name]
            control = data["controls"][j]
            values = control["values"]
            legal, first, last = spec_positions(spec)
            assert values[0] == first and values[-1] == last, f"{where} {name}: ends {values[0]}, {values[-1]}"
            for v in values:
                assert (v in legal) if legal is not None else spec.snap(v) == v, f"{where} {name}: {v} is no slider position"
            for i, other in enumerate(sliders):  # the others at their start (grid mode keeps them where they are)
                if i != j:
                    inputs.nth(i).fill(str(data["controls"][i]["start"]))
            n = len(values)
            visit = [0, n - 1, control["start"], n // 2, *rng.sample(range(n), min(3, n))]
            srcs = set()
            for idx in visit:
                inputs.nth(j).fill(str(idx))
                player.page.wait_for_function(
                    "(img) => img.complete && img.naturalWidth > 0", arg=player.locator("img").element_handle())
                srcs.add(player.locator("img.live-figure-image").get_attribute("src"))
                shown = player.locator(".live-figure-readout").text_content()
                value = values[idx]
                current = {**{s: data["controls"][i]["values"][data["controls"][i]["start"]] for i, s in enumerate(sliders)},
                           name: value}
                expected = fig.set(**current).readout_text
                assert shown == expected, f"{where}: {name} = {value}: page shows\n{shown}\nkernel gives\n{expected}"
                label = player.locator("output.live-control-value").nth(j).text_content()
                assert label == shown_label(spec, value), f"{where}: {name} labelled {label} for {value}"
                checked += 1
            assert len(srcs) > 1, f"{where}: moving {name} never changed the frame"
    finally:
        fig.close()
    return checked
