"""Every stored notebook was executed top to bottom by tools/execute_notebooks.py, cleanly, is one
sitting long, and shows no number that is not what it computed."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


LESSONS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]  # 00 is the course map
MAX_WORDS, MAX_CODE_LINES, MAX_CELL_LINES = 1500, 150, 20


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(0, len(numbers))), f"notebooks are not numbered 00..n: {numbers}"
    assert NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request):
    return json.loads(request.param.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_executed_in_order(nb):
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1))


def test_no_errors_or_stderr(nb):
    for i, c in enumerate(code_cells(nb), 1):
        for o in c["outputs"]:
            assert o["output_type"] != "error", f"cell {i} stores an error"
            assert o.get("name") != "stderr", f"cell {i} wrote to stderr: {''.join(o['text'])[:200]}"


def test_no_machine_paths(nb):
    text = json.dumps([c.get("outputs", []) for c in nb["cells"]])
    for pattern in (r"/root/", r"/home/", r"/tmp/", r"site-packages", r"[A-Z]:\\\\Users"):
        assert not re.search(pattern, text), f"an output holds a machine path ({pattern})"


def test_kernel_is_python3(nb):
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_opens_with_goals_and_ends_with_summary_and_exercises(path):
    nb = json.loads(path.read_text())
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert md[0].startswith(f"# {path.name[:2]} · "), "the first cell is the H1 title '# NN · …'"
    assert "What you will learn" in md[0]
    headings = [line for m in md for line in m.splitlines() if line.startswith("## ")]
    assert "## Summary" in headings and "## Exercises" in headings
    assert headings.index("## Summary") < headings.index("## Exercises"), "the summary comes before the exercises"


def measures(nb) -> tuple[int, int, int]:
    """(words of markdown, lines of code, lines of the longest code cell)."""
    words = sum(len("".join(c["source"]).split()) for c in nb["cells"] if c["cell_type"] == "markdown")
    lines = [len("".join(c["source"]).splitlines()) for c in code_cells(nb)]
    return words, sum(lines), max(lines, default=0)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_sitting(path, notebook_measures):
    words, code, longest = measures(json.loads(path.read_text()))
    notebook_measures.append(f"{path.name}: {words} words, {code} code lines, longest cell {longest} lines")  # printed at the end
    assert words <= MAX_WORDS, f"{words} words of prose (at most {MAX_WORDS})"
    assert code <= MAX_CODE_LINES, f"{code} lines of code (at most {MAX_CODE_LINES})"
    assert longest <= MAX_CELL_LINES, f"a code cell of {longest} lines (at most {MAX_CELL_LINES})"


def shown_text(nb) -> str:
    """Every text output a reader sees (and nbval compares)."""
    parts = []
    for c in code_cells(nb):
        for o in c["outputs"]:
            parts.append("".join(o.get("text", "")))
            for kind in ("text/plain", "text/html", "text/markdown", "text/latex"):
                parts.append("".join(o.get("data", {}).get(kind, "")))
    return "\n".join(parts)


NEGATIVE_ZERO = re.compile(r"(?<![\w.])[-−]0(?:\.0+)?(?![\d.eE])")


def test_negative_zero_pattern_is_right():
    assert NEGATIVE_ZERO.search("w = -0.000000") and NEGATIVE_ZERO.search("x = −0")
    for fine in ("-0.05", "1e-05", "-0.0001", "x-0.5", "10.0", "t = 0.0"):
        assert not NEGATIVE_ZERO.search(fine), fine


def test_no_negative_zero_is_shown(nb):
    hits = [m.group(0) for m in NEGATIVE_ZERO.finditer(shown_text(nb))]
    assert not hits, f"an output shows negative zero: {hits[:5]}"


def test_cross_references_name_existing_notebooks(nb):
    numbers = {int(p.name[:2]) for p in NOTEBOOKS}
    md = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for ref in re.findall(r"[Nn]otebooks? (\d\d)\b", md):
        assert int(ref) in numbers, f"prose refers to notebook {ref}, which does not exist"
    for link in re.findall(r"\(([^()]*?\.ipynb)[#)]", md):
        assert (NOTEBOOKS[0].parent / link).exists(), f"a link to {link}, which does not exist"


def test_sanitizing_masks_only_what_varies():
    # every rule nbval is told to apply must match some text it compares, and none may mask a number
    import configparser
    import shlex
    root = NOTEBOOKS[0].parent.parent
    opts = shlex.split(re.search(r'^addopts = "(.*)"$', (root / "pyproject.toml").read_text(), re.M).group(1))
    if "--nbval-sanitize-with" not in opts:
        return
    cfg = configparser.ConfigParser()
    cfg.read(root / opts[opts.index("--nbval-sanitize-with") + 1])
    text = "\n".join(shown_text(json.loads(p.read_text())) for p in NOTEBOOKS)
    for section in cfg.sections():
        regex = cfg[section]["regex"]
        assert re.search(regex, text), f"sanitize rule [{section}] matches nothing nbval compares"
        assert not re.fullmatch(regex, "0.5") and not re.fullmatch(regex, "12"), f"[{section}] masks numbers"
