"""Build the course as a static website whose sliders still move (issue 18): `make site`.

    python tools/build_site.py                 # → site/
    python tools/build_site.py --out DIR [--jobs 2] [--dump DIR] [notebooks/05_*.ipynb ...]

Each notebook is executed afresh in its own kernel, on a copy (notebooks/ is never written).
In that kernel `helpers.site_export` records every `LiveFigure` the notebook makes; after the
last cell it renders each shown figure over its sliders' positions (the positions JupyterLab's
slider offers, thinned where there are many) and writes the frames as 256-colour lossless WebP. nbconvert's
HTML exporter with our template (tools/site/) then turns the executed notebook into a page in
which each figure is a player: HTML range inputs over the same positions swap the precomputed
frame and the readout the kernel's figure showed. Maths becomes MathML at build time
(latex2mathml), so pages need no script from anywhere: they work from file:// with no network.

nbconvert rather than Jupyter Book: it is already installed with JupyterLab, keeps the page
exactly the notebook (cells, outputs, the same CSS classes for the figures), and a template of
a few lines replaces widget outputs with players; Jupyter Book would add a Sphinx build, its
own theme's assets and a second way of executing notebooks.
"""
from __future__ import annotations

import argparse
import asyncio
import html
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOTEBOOKS = ROOT / "notebooks"
SITE_SRC = Path(__file__).resolve().parent / "site"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
WIDGET = "application/vnd.jupyter.widget-view+json"
BINDER = "https://mybinder.org/v2/gh/gd-course/gradient-descent-course/HEAD?urlpath=lab/tree/notebooks/{file}"
PAGE_LIMIT = 10 * 2**20   # bytes: one page with its frames
SITE_LIMIT = 60 * 2**20   # bytes: the whole site


def displayed_widgets(nb) -> list[str]:
    """Model ids of the widget outputs, in page order."""
    return [out["data"][WIDGET]["model_id"] for cell in nb.cells if cell.cell_type == "code"
            for out in cell.get("outputs", []) if WIDGET in out.get("data", {})]


async def run_hidden(client: NotebookClient, code: str) -> str:
    """Run `code` in the notebook's kernel without counting it as a cell; return its stdout."""
    cell = nbformat.v4.new_code_cell(code)
    client.nb.cells.append(cell)  # nbclient stores the executed cell at its index; taken out again below
    try:
        await client.async_execute_cell(cell, len(client.nb.cells) - 1, store_history=False)
    finally:
        client.nb.cells.pop()
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == "stdout")


async def execute(path: Path, work: Path, out: Path, dump: Path | None, timeout: int = 600) -> tuple:
    """Execute a copy of one notebook, record and render its figures; return (nb, export, seconds)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata["kernelspec"] = KERNELSPEC
    copy = work / path.name
    nbformat.write(nb, copy)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(work)}}, record_timing=False)
    start = time.perf_counter()
    async with client.async_setup_kernel():
        await run_hidden(client, "import helpers.site_export as _site_export\n_site_export.record()")
        for index, cell in enumerate(nb.cells):
            await client.async_execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        stem = path.stem
        args = [displayed_widgets(nb), str(out / stem), stem, str(dump / stem) if dump else ""]
        text = await run_hidden(client, f"print(_site_export.export(*{json.dumps(args)}))")
    return nb, json.loads(text), time.perf_counter() - start


# ---------------------------------------------------------------- page making

MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.S)
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)


def math_to_mathml(markdown: str) -> str:
    """Replace $$…$$ and $…$ (outside code) with MathML, rendered by the browser itself."""
    from latex2mathml.converter import convert

    def one(m):
        if m.group(1) is not None:
            return "\n\n<div class=\"math-display\">" + convert(m.group(1).strip(), display="block") + "</div>\n\n"
        return convert(m.group(2), display="inline")

    parts = CODE.split(markdown)
    return "".join(p if i % 2 else MATH.sub(one, p) for i, p in enumerate(parts))


def control_html(fig_key: str, c: dict, n: int) -> str:
    """One control: a live range input over the precomputed positions, or a disabled stand-in."""
    label = html.escape(c["label"])
    if "values" in c:
        i = c["start"]
        play = ('<button type="button" class="live-control-play" disabled title="playing needs a running kernel">'
                '▶ play</button>') if c.get("play") else ""
        return (f'<label class="live-control">{play}<span class="live-control-label">{label}</span>'
                f'<input type="range" min="0" max="{len(c["values"]) - 1}" step="1" value="{i}" '
                f'data-control="{html.escape(c["name"])}" aria-label="{label}">'
                f'<output class="live-control-value">{html.escape(c["labels"][i])}</output></label>')
    title = "needs a running kernel (JupyterLab or Binder)"
    if c["kind"] == "choice":
        opts = "".join(f"<option{' selected' if o == str(c['value']) else ''}>{html.escape(o)}</option>"
                       for o in c["options"])
        widget = f'<select disabled title="{title}">{opts}</select>'
    elif c["kind"] == "toggle":
        widget = f'<input type="checkbox" disabled title="{title}"{" checked" if c["value"] else ""}>'
    else:
        widget = f'<input type="text" disabled title="{title}" value="{html.escape(str(c["value"]))}">'
    return (f'<label class="live-control live-control-off"><span class="live-control-label">{label}</span>'
            f'{widget}</label>')


def player_html(fig: dict, serial: int) -> str:
    """A live figure as a player: controls, frame, readout, and its frame table as JSON."""
    live = [c for c in fig["controls"] if "values" in c]
    off = [c["label"] for c in fig["controls"] if "values" not in c]
    plays = [c["label"] for c in live if c.get("play")]
    notes = []
    if len(live) > 1 and fig["mode"] == "single":
        notes.append("In this static copy one slider moves at a time: moving one puts the others back "
                     "at their starting values.")
    if off:
        notes.append(f"{', '.join(off)}: fixed at the starting value in this static copy; changing it needs a "
                     "running kernel (open the notebook in JupyterLab or on Binder).")
    if plays:
        notes.append(f"The play button needs a running kernel; drag {', '.join(plays)} instead.")
    start = fig["frames"][fig["start"]]
    data = {k: fig[k] for k in ("mode", "start", "frames", "readouts")}
    data["controls"] = [{"name": c["name"], "labels": c["labels"], "start": c["start"], "values": c["values"]} for c in live]
    controls = "".join(control_html(fig["key"], c, serial) for c in fig["controls"])
    note = "".join(f'<p class="live-figure-note">{html.escape(n)}</p>' for n in notes)
    alt = html.escape(fig["title"] or fig["scene"].rsplit(".", 1)[-1])
    payload = json.dumps(data).replace("</", "<\\/")  # no "</script>" inside the script
    return (f'<div class="live-figure" id="live-{serial}" data-figure="{fig["key"]}" data-scene="{fig["scene"]}" '
            f'data-mode="{fig["mode"]}">'
            f'<div class="live-figure-controls">{controls}</div>{note}'
            f'<img class="live-figure-image" src="{start[0]}" width="{fig["width"]}" height="{fig["height"]}" alt="{alt}">'
            f'<pre class="live-figure-readout">{html.escape(fig["readouts"][start[1]])}</pre>'
            f'<script type="application/json" class="live-figure-data">{payload}</script>'
            f'</div>')


def other_widget_html(view: dict, text: str, with_figures: bool) -> str:
    """A widget the site cannot run: say what it holds and what it needs."""
    what = ", ".join(view.get("others", []))
    if with_figures:
        note = (f"This panel's other controls ({what}) need a running kernel — open the notebook in "
                "JupyterLab or on Binder. Its figure below still moves.")
        return f'<div class="widget-off"><p class="live-figure-note">{html.escape(note)}</p></div>'
    note = f"An interactive widget{f' ({what})' if what else ''}: it needs a running kernel — open the notebook in JupyterLab or on Binder."
    return f'<div class="widget-off"><p class="live-figure-note">{html.escape(note)}</p><pre>{html.escape(text)}</pre></div>'


def make_exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(SITE_SRC / "templates")])
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def notebook_title(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return ""


def link_pages(page: str, stems: set[str]) -> str:
    """Links between notebooks point to their pages."""
    return re.sub(r'href="(\d\d_[A-Za-z0-9_]+)\.ipynb(#[^"]*)?"',
                  lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"' if m.group(1) in stems else m.group(0), page)


def render_page(nb, export: dict, path: Path, nav: dict, stems: set[str]) -> str:
    """The executed notebook as one HTML page with players for its figures."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(cell.source)
    counter = iter(range(1, 10**6))
    # nbconvert renders a widget output only if the notebook holds that widget's state: name each
    # displayed widget (no state is written into the page; the template drops it)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {
        "state": {m: {} for m in export["views"]}, "version_major": 2, "version_minor": 0}}

    def live_player(output) -> str:
        model_id = output["data"][WIDGET]["model_id"]
        view = export["views"].get(model_id, {"figures": [], "others": []})
        text = output["data"].get("text/plain", "")
        parts = [player_html(export["figures"][k], next(counter)) for k in view["figures"]]
        if view["others"] or not parts:
            parts.insert(0, other_widget_html(view, text, bool(parts)))
        return "".join(parts)

    exporter = make_exporter()
    exporter.register_filter("live_player", live_player)
    resources = {"site": {"title": notebook_title(nb), "binder": BINDER.format(file=path.name),
                          "file": path.name, **nav}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return link_pages(body, stems)


def index_page(titles: dict[str, str]) -> str:
    """index.html: the course map from helpers.course, linking every page."""
    from helpers import course

    rows = []
    for lesson in course.COURSE:
        stem = lesson.file[:-6]
        minutes = course.minutes(course.measure(NOTEBOOKS / lesson.file))
        needs = ", ".join(f'<a href="{n}_{s}.html">{n}</a>' for n in lesson.needs
                          for s in [next(l.stem for l in course.COURSE if l.number == n)]) or "—"
        rows.append(f'<tr><td><a href="{stem}.html">{html.escape(titles.get(stem, lesson.number))}</a></td>'
                    f'<td>{html.escape(lesson.idea)}</td><td>{needs}</td><td class="num">{minutes} min</td></tr>')
    template = (SITE_SRC / "index.html").read_text()
    return (template.replace("{{ rows }}", "\n".join(rows))
            .replace("{{ binder }}", html.escape(BINDER.format(file="00_start_here.ipynb"))))


def size_of(page: Path) -> int:
    frames = page.with_suffix("")
    return page.stat().st_size + (sum(f.stat().st_size for f in frames.rglob("*") if f.is_file()) if frames.is_dir() else 0)


async def execute_all(paths, work, out, dump, jobs):
    gate = asyncio.Semaphore(jobs)

    async def one(path):
        async with gate:
            result = await execute(path, work, out, dump)
            print(f"{path.name}: executed and rendered {len(result[1]['figures'])} figures "
                  f"in {result[2]:.1f} s", flush=True)
            return result

    return await asyncio.gather(*(one(p) for p in paths))


def build(out: Path, paths: list[Path], jobs: int = 2, dump: Path | None = None) -> dict[str, int]:
    """Build the site into `out` (emptied first); return each page's size in bytes (frames included)."""
    start = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    for name in ("course.css", "player.js"):
        shutil.copy(SITE_SRC / name, out / "assets" / name)
    from pygments.formatters import HtmlFormatter
    with open(out / "assets" / "course.css", "a") as css:
        css.write("\n/* code highlighting (pygments) */\n" + HtmlFormatter(style="default").get_style_defs(".highlight"))
    with tempfile.TemporaryDirectory(prefix="site-build-") as tmp:
        results = asyncio.run(execute_all(paths, Path(tmp), out, dump, jobs))
    stems = {p.stem for p in paths}
    order = [p.stem for p in paths]
    titles = {}
    for path, (nb, _, _) in zip(paths, results):
        titles[path.stem] = notebook_title(nb)
    for i, (path, (nb, export, _)) in enumerate(zip(paths, results)):
        nav = {"prev": f"{order[i - 1]}.html" if i else "", "prev_title": titles[order[i - 1]] if i else "",
               "next": f"{order[i + 1]}.html" if i + 1 < len(order) else "",
               "next_title": titles[order[i + 1]] if i + 1 < len(order) else ""}
        (out / f"{path.stem}.html").write_text(render_page(nb, export, path, nav, stems))
    (out / "index.html").write_text(index_page(titles))
    sizes = {p.name: size_of(p) for p in sorted(out.glob("*.html"))}
    sizes["assets"] = sum(f.stat().st_size for f in (out / "assets").iterdir())
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    for name, size in sizes.items():
        flag = "  OVER 10 MB" if size > PAGE_LIMIT else ""
        print(f"{name:55s} {size / 2**20:6.2f} MB{flag}")
    print(f"{'total':55s} {total / 2**20:6.2f} MB ({len(paths)} notebooks, built in "
          f"{time.perf_counter() - start:.0f} s)")
    if total > SITE_LIMIT or any(s > PAGE_LIMIT for s in sizes.values()):
        raise SystemExit("the site is too large: a page over 10 MB or the whole over 60 MB")
    return sizes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to build (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    parser.add_argument("--dump", type=Path, default=None,
                        help="also pickle each figure's scene, params and start values here (for the tests)")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    build(args.out.resolve(), paths, args.jobs, args.dump.resolve() if args.dump else None)
    print(f"open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
