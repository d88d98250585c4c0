"""Every stored notebook was executed top to bottom by tools/execute_notebooks.py, cleanly."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found"
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(1, len(numbers) + 1)), f"notebooks are not numbered 01..n: {numbers}"


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


def test_opens_with_goals_and_ends_with_exercises(nb):
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert md[0].startswith("# "), "the first cell is an H1 title"
    assert "What you will learn" in md[0]
    assert any("## Exercises" in m for m in md)
    assert any("## Summary" in m for m in md)
