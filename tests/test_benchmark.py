"""The widget benchmark runs end to end and ends with the line the README quotes (speed itself
is measured by running it, not asserted here)."""
import re

from benchmarks import widgets


def test_benchmark_runs_and_reports(capsys):
    assert widgets.main(["--per-control", "3", "--naive", "1", "--no-notebooks"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"worst widget median: [\d.]+ ms; naive median: [\d.]+ ms; speed-up: [\d.]+ x", out[-1])
    assert sum(1 for line in out if line.endswith("x") and "ms" not in line) >= 6  # one row per figure
