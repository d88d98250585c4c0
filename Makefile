# Two commands from a fresh machine:  `make lab` (learn)  and  `make test` (check everything).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: lab test notebooks bench clean

$(VENV)/.installed: requirements.txt binder/requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

lab: $(VENV)/.installed        ## set up, then open JupyterLab on notebook 01
	$(VENV)/bin/jupyter lab notebooks/01_slope_of_a_function.ipynb

test: $(VENV)/.installed       ## set up, then run every test: helpers, stored notebook outputs (nbval), browser
	$(PY) -m pytest

notebooks: $(VENV)/.installed  ## re-execute every notebook in a fresh kernel, saving outputs in place
	$(PY) tools/execute_notebooks.py

bench: $(VENV)/.installed      ## time every slider's redraw against the naive re-plot
	$(PY) -m benchmarks.widgets

clean:
	rm -rf $(VENV)
