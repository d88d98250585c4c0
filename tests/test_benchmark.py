"""The widget benchmark runs end to end, has a row for every interactive figure, and ends with the
lines the README quotes (speed itself is measured by running it, not asserted here)."""
import re

from benchmarks import widgets

from scenes import all_scenes


def test_benchmark_runs_and_reports(capsys):
    assert widgets.main(["--per-control", "2", "--naive", "1", "--sharp", "2", "--no-notebooks"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"worst widget median: [\d.]+ ms; naive median: [\d.]+ ms; speed-up: [\d.]+ x", out[-1])
    assert re.fullmatch(r"sharp frame worst median: [\d.]+ ms", out[-2])
    rows = [line for line in out if re.search(r"\s\d+(\s+[\d.]+){4}\s+[\d.]+x$", line)]
    names = {s.title or s.__name__ for s in all_scenes()}
    assert len(rows) == len(names), "one row per registered figure"
    assert all(any(line.startswith(n[:53]) for line in rows) for n in names)
