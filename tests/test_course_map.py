"""The course map (helpers.course, notebook 00, README) lists exactly the notebooks there are, in
order, each building only on earlier ones, with a time estimate measured from the notebook."""
import json
import re
from pathlib import Path

from helpers import course

REPO = Path(__file__).resolve().parent.parent
LESSON_FILES = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))


def test_map_lists_every_notebook_in_order():
    assert [l.file for l in course.COURSE] == LESSON_FILES


def test_each_notebook_builds_only_on_earlier_ones():
    seen = set()
    for lesson in course.COURSE:
        assert set(lesson.needs) <= seen, f"{lesson.number} needs {lesson.needs}, not all earlier"
        seen.add(lesson.number)


def test_time_estimate_follows_its_stated_rates(tmp_path):
    # 600 words (5 min at 120/min) + 40 code lines (5 min at 8/min) + 2 coding exercises (10 min) = 20 min
    cells = [{"cell_type": "markdown", "source": "word " * 600, "metadata": {}},
             {"cell_type": "code", "source": "\n".join(["x = 1"] * 38) + "\nexercises.grade('a', f)\nprint(1)",
              "metadata": {}, "outputs": []},
             {"cell_type": "code", "source": "exercises.grade('b', g)", "metadata": {}, "outputs": []}]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}))
    m = course.measure(path)
    assert m == {"words": 600, "code_lines": 41, "coding_exercises": 2}
    assert course.minutes({"words": 600, "code_lines": 40, "coding_exercises": 2}) == 20
    assert course.minutes({"words": 601, "code_lines": 40, "coding_exercises": 2}) == 25  # rounded up to 5


def test_readme_table_shows_the_course():
    readme = (REPO / "README.md").read_text()
    for lesson in course.COURSE:
        assert re.search(rf"^\| \[`{lesson.number}_[a-z_]+`\]\(notebooks/{re.escape(lesson.file)}\) \| {re.escape(lesson.idea)} \|",
                         readme, re.M), f"README's table has no row for {lesson.file} with its idea"
    assert "notebooks/00_start_here.ipynb" in readme
