# Two commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Re-install when the project's dependencies change.
STAMP  := $(VENV)/.installed

.PHONY: demo test install bench clean

demo: $(STAMP)
	$(BIN)/policyterms count seeds/ --format table

test: $(STAMP)
	$(BIN)/python -m pytest

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml setup.py policyterms/_speedups.c | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,dask,fonts]'
	touch $@

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/matcher_choice.py
	$(BIN)/python benchmarks/batch_throughput.py --sizes 50 200 --naive-mb 10 --pss-jobs 16 --analyses-mb 6
	$(BIN)/python benchmarks/steps.py  # per step, over the 10 MB corpus the line above builds
	$(BIN)/python benchmarks/documents/fill.py || true  # the labelled real texts, where their repositories can be had
	$(BIN)/python benchmarks/documents/evaluate.py  # articles, titles and dates against the truth
	$(BIN)/python benchmarks/suggest/run.py  # vocab suggest: held-out terms back in the top 50, precision at 50

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache policyterms/_speedups.*.so
