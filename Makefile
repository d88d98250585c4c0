# Two commands from a fresh machine:  `make lab` (learn)  and  `make test` (check everything).
PYTHON   ?= python3
VENV     ?= .venv
PY       := $(VENV)/bin/python
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told; on a container or cloud VM where you are root, say so once.
ROOT_FLAG = $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: lab test check notebooks bench clean site

$(VENV)/.installed: requirements.txt binder/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

lab: $(VENV)/.installed        ## set up, then open JupyterLab on the course map
	@if [ -n "$(ROOT_FLAG)" ]; then echo "make lab: running as root, so JupyterLab is started with --allow-root"; fi
	$(VENV)/bin/jupyter lab $(ROOT_FLAG) $(LAB_ARGS) notebooks/00_start_here.ipynb

test: $(VENV)/.installed       ## set up, then run every test: helpers, stored outputs (nbval), browser, Binder
	$(PY) -m pytest

check: $(VENV)/.installed      ## the fast part while working on the course: unit tests and nbval, no browser or Binder build
	$(PY) -m pytest --ignore=tests/e2e -m "not slow"

notebooks: $(VENV)/.installed  ## re-execute every notebook in a fresh kernel, saving outputs in place
	$(PY) tools/execute_notebooks.py

bench: $(VENV)/.installed      ## time every slider's redraw against the naive re-plot
	$(PY) -m benchmarks.widgets

site: $(VENV)/.installed        ## build site/: the course as static pages whose sliders still move (open site/index.html)
	$(PY) tools/build_site.py

clean:
	rm -rf $(VENV)
