"""Every coding exercise in the notebooks (found by pattern): its hidden solution passes its
grader, its stored check output shows the stub unanswered or not yet, and every lesson
notebook 01–14 has at least two coding exercises (issue 14)."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import exercises

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
GRADE = re.compile(r"""exercises\.grade\(\s*["']([^"']+)["']\s*,\s*([A-Za-z_]\w*)\s*\)""")
SOLUTION = re.compile(r"```python\n(.*?)```", re.S)


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(_source({"source": out.get("text", "")}))
        for key in ("text/plain", "text/html"):
            if key in out.get("data", {}):
                parts.append(_source({"source": out["data"][key]}))
    return "\n".join(parts)


def _exercises(path):
    """(cell index, exercise id, function name, solution code or None, stored output, earlier code)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        for eid, name in GRADE.findall(_source(cell)):
            solution = None
            for later in cells[i + 1:]:
                text = _source(later)
                if later["cell_type"] == "markdown" and "<details>" in text:
                    block = SOLUTION.search(text)
                    solution = block.group(1) if block else None
                    break
            earlier = "\n".join(_source(c) for c in cells[:i + 1] if c["cell_type"] == "code")  # and this cell
            found.append((i, eid, name, solution, _output_text(cell), earlier))
    return found


ALL = [(nb, ex) for nb in NOTEBOOKS for ex in _exercises(nb)]
IDS = [f"{nb.stem}:{ex[1]}@cell{ex[0]}" for nb, ex in ALL]


@pytest.mark.parametrize("nb, ex", ALL, ids=IDS)
def test_hidden_solution_passes_its_grader(nb, ex):
    index, eid, name, solution, _, _ = ex
    assert eid in exercises.EXERCISES, f"{nb.name} cell {index}: no grader registered for {eid!r}"
    assert solution is not None, f"{nb.name} cell {index}: no <details> markdown cell with a ```python block after it"
    ns = {"np": np}
    exec(compile(solution, f"{nb.name}:solution-of-{eid}", "exec"), ns)
    assert name in ns, f"the solution of {eid} in {nb.name} does not define {name}"
    fb = exercises.grade(eid, ns[name])
    assert fb.correct, f"{nb.name}, {eid}: the hidden solution is not accepted: {fb!r}"


@pytest.mark.parametrize("nb, ex", ALL, ids=IDS)
def test_stored_check_output_shows_the_stub_unanswered(nb, ex):
    index, eid, name, _, output, earlier = ex
    assert re.search(rf"def\s+{re.escape(name)}\s*\(", earlier) or \
        re.search(rf"^{re.escape(name)}\s*=\s*\.\.\.", earlier, re.M), \
        f"{nb.name} cell {index}: no stub `def {name}(...)` (or `{name} = ...`) before the check of {eid}"
    assert "No answer yet" in output or "Not yet" in output, \
        f"{nb.name} cell {index}: the stored output of the check of {eid} is not unanswered/not yet: {output[:200]!r}"


LESSONS = [nb for nb in NOTEBOOKS if 1 <= int(nb.name[:2]) <= 14]


@pytest.mark.parametrize("nb", LESSONS, ids=[nb.stem for nb in LESSONS])
def test_every_lesson_has_at_least_two_coding_exercises(nb):
    """A coding exercise: the learner writes a function (a `def NAME(...)` stub), not a number."""
    ids = {ex[1] for ex in _exercises(nb) if re.search(rf"def\s+{re.escape(ex[2])}\s*\(", ex[5])}
    assert len(ids) >= 2, f"{nb.name} has {len(ids)} coding exercise(s) checked by exercises.grade: {sorted(ids)}"


def test_the_pattern_finds_an_exercise_and_its_solution(tmp_path):
    """The finder itself can go red: a made-up notebook with one exercise is read correctly."""
    cells = [
        {"cell_type": "code", "source": "def f(x):\n    ...", "outputs": []},
        {"cell_type": "code", "source": 'exercises.grade("slope.central_difference", f)',
         "outputs": [{"output_type": "execute_result", "data": {"text/plain": "… No answer yet. ..."}}]},
        {"cell_type": "markdown", "source": "<details><summary>Show a solution</summary>\n\n```python\n"
                                             "def f(g, x, h):\n    return (g(x + h) - g(x - h)) / (2 * h)\n```\n</details>"},
    ]
    path = tmp_path / "99_fake.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    (found,) = _exercises(path)
    assert found[1:3] == ("slope.central_difference", "f") and "return" in found[3]
    ns = {}
    exec(found[3], ns)
    assert exercises.grade(found[1], ns["f"]).correct
