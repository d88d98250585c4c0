"""Notebook 08 in JupyterLab: type a valley into the text box of its live figure and see the
figure and readout follow; hostile or undefined input shows a message, never an error output.

Uses the `lab` and `browser` fixtures of conftest.py (JupyterLab on a copy of notebooks/,
Debian's headless Chromium; skipped with the reason shown when they are missing, outside CI).
"""
from __future__ import annotations

import io
import time
from pathlib import Path

from statistics import median

import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "08_beyond_the_bowl.ipynb"
ARTIFACTS = REPO / "artifacts" / "e2e"
RUN_TIMEOUT = 180_000   # ms: open, start the kernel and run every cell
WAIT = 30_000           # ms: one typed valley to show up

DONE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  for (const cell of panel.content.model.cells) {
    if (cell.type !== 'code') continue;
    for (let i = 0; i < cell.outputs.length; i++) if (cell.outputs.get(i).type === 'error') return true;
    if (cell.sharedModel.getSource().trim() && cell.executionCount == null) return false;
  }
  return true;
}"""

PROBLEMS = """() => {
  const found = [];
  const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
  for (let n = 0; n < cells.length; n++) {
    const cell = cells.get(n);
    if (cell.type !== 'code') continue;
    for (let i = 0; i < cell.outputs.length; i++) {
      const o = cell.outputs.get(i).toJSON();
      if (o.output_type === 'error') found.push(`cell ${n + 1}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr') found.push(`cell ${n + 1} stderr: ${o.text}`);
    }
  }
  return found;
}"""

# index of the live figure that has a text box (the typed valley)
TYPED_FIGURE = """() => [...document.querySelectorAll('.live-figure')].findIndex(f => f.querySelector('.widget-text input'))"""


def _pixels_changed(png_a: bytes, png_b: bytes) -> int:
    from PIL import Image, ImageChops

    a = Image.open(io.BytesIO(png_a)).convert("RGB")
    b = Image.open(io.BytesIO(png_b)).convert("RGB")
    if a.size != b.size:
        return a.size[0] * a.size[1]
    return ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v else 0).histogram()[255]


@pytest.fixture
def page(browser, lab):
    if not NOTEBOOK.exists():
        pytest.skip(f"{NOTEBOOK.name} is not there yet")
    page = browser.new_page()
    page.set_default_timeout(WAIT)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lab.page_url(NOTEBOOK.name))
    page.wait_for_function("""(path) => { const p = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                                          return !!(p && p.context && p.context.path === path && p.sessionContext); }""",
                           arg=NOTEBOOK.name, timeout=RUN_TIMEOUT)
    page.evaluate("async () => { await window.jupyterapp.shell.currentWidget.sessionContext.ready; }")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(DONE, timeout=RUN_TIMEOUT)
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
    changed = _pixels_changed(before_png, after_png)
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
