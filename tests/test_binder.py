"""Binder builds the course: repo2docker's Dockerfile, and the same environment made by hand.

`jupyter-repo2docker --no-build` writes the Dockerfile Binder would build, without Docker. The
slow test then does what that Dockerfile does in a fresh virtual environment: install
binder/requirements.txt from the repository root, run binder/postBuild with the environment first
on PATH, and execute every notebook with it (on a copy: the stored notebooks are never touched).
Deselect the slow one with `-m "not slow"`. Without repo2docker the Dockerfile test is skipped,
except under CI=true, where that is a failure.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

REPO = Path(__file__).resolve().parent.parent
BADGE = re.compile(r"\[!\[Launch on Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]\((?P<url>[^)\s]+)\)")
IGNORE = shutil.ignore_patterns(".git", ".venv", "artifacts", "__pycache__", "*.egg-info", "build",
                                ".ipynb_checkpoints", ".hypothesis", ".pytest_cache")


def scrubbed_env(**extra: str) -> dict:
    """This process's environment without what would leak the test environment into another one."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "JUPYTER_PATH", "JUPYTER_CONFIG_PATH"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


def test_binder_badge_opens_jupyterlab_on_the_course_map():
    match = BADGE.search((REPO / "README.md").read_text())
    assert match, "README.md has no Binder badge"
    url = urlparse(match["url"])
    assert (url.scheme, url.netloc) == ("https", "mybinder.org")
    assert re.fullmatch(r"/v2/gh/[\w.-]+/[\w.-]+/[\w./-]+", url.path), url.path
    urlpath = parse_qs(url.query)["urlpath"]
    assert urlpath == ["lab/tree/notebooks/00_start_here.ipynb"], urlpath
    assert (REPO / urlpath[0].removeprefix("lab/tree/")).is_file()


def lower_bounds(lines) -> dict:
    out = {}
    for line in lines:
        m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([\d.]+)", line)
        if m:
            out[m[1].lower()] = m[2]
    return out


def test_package_and_binder_ask_for_the_same_lower_bounds():
    # pyproject's dependencies are never installed at their own lower bounds unless they agree with
    # binder/requirements.txt, the environment Binder and the tests actually build
    deps = re.search(r"^dependencies = \[(.*?)\]", (REPO / "pyproject.toml").read_text(), re.M | re.S)[1]
    package = lower_bounds(re.findall(r'"([^"]+)"', deps))
    binder = lower_bounds((REPO / "binder" / "requirements.txt").read_text().splitlines())
    assert package and all(binder.get(name) == bound for name, bound in package.items()), (package, binder)


def test_repo2docker_dockerfile_uses_python_311_and_binder_files():
    exe = Path(sys.executable).parent / "jupyter-repo2docker"
    if not exe.exists():
        exe = shutil.which("jupyter-repo2docker")
    if not exe:
        reason = "jupyter-repo2docker is not installed (pip install -r requirements.txt)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true requires the Binder tests to run", pytrace=False)
        pytest.skip(reason)
    run = subprocess.run([str(exe), "--no-build", "--debug", "--no-run", "."], cwd=REPO, env=scrubbed_env(),
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    dockerfile, log = run.stdout, run.stderr
    assert dockerfile.lstrip().startswith("FROM "), dockerfile[:500]
    assert "Building conda environment for python=3.11" in log, log[-2000:]
    # the environment it installs is the Python 3.11 one (build script files have escaped names)
    from escapism import unescape

    copied = [unescape(name, escape_char="-")  # each name ends in "-" and a short hash
              for name in re.findall(r"build_script_files/(\S+)-[0-9a-f]+\s", dockerfile)]
    assert any(re.search(r"environment\.py-3\.11-linux-64\.lock", name) for name in copied), copied
    assert re.search(r"^COPY .*src/binder/requirements\.txt \$\{REPO_DIR\}/binder/requirements\.txt$",
                     dockerfile, re.M), "binder/requirements.txt is not copied in"
    assert re.search(r'^RUN .*pip install .*-r "binder/requirements\.txt"', dockerfile, re.M)
    assert re.search(r"^RUN \./binder/postBuild$", dockerfile, re.M), "binder/postBuild is not run"
    assert "src/requirements.txt" not in dockerfile, "Binder must use binder/, not the root requirements"


RUNNER = textwrap.dedent('''\
    """Execute every notebook of a course copy in this interpreter's environment; print a JSON report."""
    import json, sys
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    report = {}
    for path in sorted(Path(sys.argv[1]).glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(
            "import sys, helpers; print(sys.prefix); print(helpers.__file__)"))
        NotebookClient(nb, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        problems = [f"{o.output_type} {o.get('name', '')}: {o.get('text', o.get('evalue', ''))[:300]}"
                    for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if o.output_type == "error" or o.get("name") == "stderr"]
        report[path.name] = {"problems": problems, "where": nb.cells[-1].outputs[0]["text"].splitlines()}
    print(json.dumps(report))
''')


@pytest.mark.slow
def test_binder_environment_runs_every_notebook(tmp_path):
    """What repo2docker does, in a fresh venv: install binder/requirements.txt, run postBuild, execute."""
    repo, venv = tmp_path / "repo", tmp_path / "venv"
    shutil.copytree(REPO, repo, ignore=IGNORE)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    jupyter_dirs = {f"JUPYTER_{d.upper()}_DIR": str(tmp_path / "jupyter" / d) for d in ("config", "data", "runtime")}
    env = scrubbed_env(PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]), VIRTUAL_ENV=str(venv),
                       **jupyter_dirs)

    def run(*cmd: str, timeout: int = 900) -> str:
        done = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        return done.stdout

    run(str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt")  # nothing else
    run("bash", "binder/postBuild")
    runner = tmp_path / "run_notebooks.py"
    runner.write_text(RUNNER)
    report = json.loads(run(str(bin_dir / "python"), str(runner), str(repo / "notebooks")))
    stored = sorted(p.name for p in (repo / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert stored and sorted(report) == stored
    for name, result in report.items():
        assert not result["problems"], f"{name} in the Binder environment: {result['problems']}"
        prefix, helpers_file = result["where"]
        assert Path(prefix).resolve() == venv.resolve(), f"{name} ran in {prefix}, not in the Binder environment"
        assert Path(helpers_file).resolve().is_relative_to(repo.resolve()), f"{name} imported helpers from {helpers_file}"
