# newsframe: `make reports` runs the main job, `make test` runs every test. Both build .venv first if needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NEWSFRAME := $(VENV)/bin/newsframe
STAMP := $(VENV)/.installed
DEMO_RAW := data/raw/demo
DEMO_CORPUS := data/processed/demo.parquet

.DEFAULT_GOAL := help
.PHONY: help setup reports demo-corpus test browser lab lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("newsframe needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name newsframe --display-name "Python (newsframe)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## create .venv, install newsframe and register its Jupyter kernel

demo-corpus: $(STAMP) ## write the synthetic demo corpus and ingest it
	$(NEWSFRAME) demo --out $(DEMO_RAW)
	$(NEWSFRAME) ingest $(DEMO_RAW) --out $(DEMO_CORPUS)

reports: demo-corpus ## main job: demo corpus -> Parquet -> HTML reports in reports/ (the jobs of reports.yml)
	$(NEWSFRAME) report --config reports.yml
	@echo "open reports/index.html in a browser"

browser: ## install Debian's chromium for the browser tests (needs root; skipped otherwise)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  echo "chromium is not installed; the browser tests will be skipped (sudo apt-get install chromium)"

test: $(STAMP) browser ## check style (ruff, code and notebooks), then run the whole test suite
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: $(STAMP) ## check code and notebooks with ruff
	$(VENV)/bin/ruff check .

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project kernel
	$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP) ## run the benchmarks (minutes; figures go to the terminal)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/ingest.py
	$(PY) bench/incremental.py
	$(PY) bench/timeline.py
	$(PY) bench/topics.py
	$(PY) bench/reports.py
	$(PY) bench/exports.py
	$(PY) bench/near_duplicates.py
	$(PY) bench/charts.py

clean: ## remove generated data and reports (never data/raw except the demo)
	rm -rf data/processed/*.parquet data/processed/*.json reports/*.html reports/executed reports/*_data \
	  reports/.newsframe-state.json $(DEMO_RAW)
