"""Shared test settings: hypothesis runs a fixed, derandomized number of examples; the notebooks' measures are printed at the end."""
import pytest
from hypothesis import settings

settings.register_profile("course", derandomize=True, deadline=None, max_examples=60)
settings.load_profile("course")

MEASURES: list[str] = []  # each notebook's size, filled by test_notebook_hygiene


@pytest.fixture(scope="session")
def notebook_measures() -> list[str]:
    """Where the hygiene test puts each notebook's measures, printed in the terminal summary."""
    return MEASURES


def pytest_terminal_summary(terminalreporter):
    """Print every notebook's measures (words of prose, lines of code, longest cell)."""
    if MEASURES:
        terminalreporter.section("notebook measures (at most 1,500 words, 150 code lines, 20-line cells)")
        for line in MEASURES:
            terminalreporter.write_line(line)
