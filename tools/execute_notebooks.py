"""Re-execute the course notebooks top to bottom in a fresh kernel and save them in place.

    python tools/execute_notebooks.py                  # every notebook in notebooks/
    python tools/execute_notebooks.py notebooks/01_*.ipynb

This is the only way stored outputs are made: nbval later proves they are what the code
produces. Each notebook runs with notebooks/ as its working directory; execution timing
metadata is dropped so that executing twice gives the same file apart from widget ids.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def execute(path: Path, timeout: int = 600) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False, store_widget_state=True)
    client.execute()
    seconds = time.perf_counter() - start
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    if not nb.metadata.get("widgets"):
        nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = {"name": "python"}  # no interpreter version: same file on every machine
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks into one output: how a kernel splits a cell's
    printing into messages depends on timing, and the stored file should not."""
    merged = []
    for out in outputs:
        if (out.output_type == "stream" and merged and merged[-1].output_type == "stream"
                and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path.resolve())
        total += seconds
        print(f"{path.name}: executed in {seconds:.1f} s")
    print(f"all {len(paths)} notebooks: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
