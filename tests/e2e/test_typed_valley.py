"""Notebook 08 in JupyterLab: type a valley into the text box of its live figure and see the
figure and readout follow; hostile or undefined input shows a message, never an error output.

Uses the `lab` and `browser` fixtures of conftest.py (JupyterLab on a copy of notebooks/,
Debian's headless Chromium; skipped with the reason shown when they are missing, outside CI).
"""
from __future__ import annotations

import time
from pathlib import Path

from statistics import median

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "08_beyond_the_bowl.ipynb"
ARTIFACTS = REPO / "artifacts" / "e2e"
WAIT = 30_000           # ms: one typed valley to show up

# the notebook runs as in the main browser test: every cell run, the kernel idle; then no error or stderr
from test_notebooks_in_browser import OUTPUT_PROBLEMS as PROBLEMS, changed_pixels, open_and_run_all  # noqa: E402

# index of the live figure that has a text box (the typed valley)
TYPED_FIGURE = """() => [...document.querySelectorAll('.live-figure')].findIndex(f => f.querySelector('.widget-text input'))"""


@pytest.fixture
def page(browser, lab):
    if not NOTEBOOK.exists():
        pytest.skip(f"{NOTEBOOK.name} is not there yet")
    page = browser.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    open_and_run_all(page, lab, NOTEBOOK)
    try:
        yield page
        assert not errors, f"JavaScript errors in the page: {errors}"
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / "08_typed_valley_page.png"))
        finally:
            page.close()
            lab.shutdown_kernels(NOTEBOOK.name)


def _type(page, figure, text: str, expect: str) -> float:
    """Type `text` into the figure's box, press Enter, wait until the readout contains `expect`;
    return the milliseconds from Enter to the readout (and a new image) showing it."""
    box = figure.locator(".widget-text input")
    readout = figure.locator(".live-figure-readout")
    box.fill(text)
    start = time.perf_counter()
    box.press("Enter")
    page.wait_for_function("([el, want]) => el.innerText.includes(want)", arg=[readout.element_handle(), expect],
                           timeout=WAIT)
    elapsed = 1e3 * (time.perf_counter() - start)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=figure.locator(".live-figure-image").element_handle(), timeout=WAIT)
    return elapsed


def test_typing_a_valley_redraws_the_figure_and_the_readout(page, summary_lines):
    assert not page.evaluate(PROBLEMS), page.evaluate(PROBLEMS)
    k = page.evaluate(TYPED_FIGURE)
    assert k >= 0, "notebook 08 shows no live figure with a text box"
    figure = page.locator(".live-figure").nth(k)
    figure.scroll_into_view_if_needed()
    image, readout = figure.locator(".live-figure-image"), figure.locator(".live-figure-readout")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    before_png, before_text = image.screenshot(), readout.inner_text()
    assert "f(x) = " in before_text

    samples = [_type(page, figure, "sin(3*x) + 0.1*x**2", "f(x) = sin(3*x) + 0.1*x**2;")]
    text = readout.inner_text()
    assert "f'(x) = 3*cos(3*x) + 0.2*x" in text and text != before_text
    page.wait_for_timeout(400)  # let the sharp frame at rest arrive too
    after_png = image.screenshot()
    changed = changed_pixels(before_png, after_png)
    assert changed > 500, f"the figure barely changed after typing a new valley ({changed} pixels)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(ARTIFACTS / "08_typed_valley_sin.png"))

    # hostile text: a message in the readout, the last good valley stays, no error output anywhere
    _type(page, figure, "__import__('os').system('echo hi')", "not allowed")
    text = readout.inner_text()
    assert "⚠" in text and "f(x) = sin(3*x) + 0.1*x**2" in text
    _type(page, figure, "9**9**9", "power of a power")

    # undefined regions are named; then another valid valley draws again
    samples.append(_type(page, figure, "log(x)", "f is not finite"))
    samples.append(_type(page, figure, "x**4 - 3*x**2 + x", "f'(x) = 4*x**3 - 6*x + 1"))
    assert "⚠" not in readout.inner_text()
    assert not page.evaluate(PROBLEMS), page.evaluate(PROBLEMS)
    # typing is not a slider move (a new valley is parsed and drawn whole), so it stays out of the
    # per-figure slider latencies that are held against the floor
    summary_lines.append(f"08 typed valley: Enter -> new readout median {median(samples):.0f} ms over {len(samples)} entries")
    summary_lines.append(f"08 typed valley: {changed} pixels changed after typing sin(3*x) + 0.1*x**2")
