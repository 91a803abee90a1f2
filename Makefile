# s400lab — two commands for a fresh machine:
#   make lab    set up, then open the workbook in JupyterLab (token authentication on)
#   make test   set up, then run every test (unit, data, notebooks, real browser)
# Everything installs into ./.venv; nothing outside the repository is touched except
# Debian's chromium package (installed with apt for the browser tests).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.s400lab-installed
PORT   ?= 8888
DASH_PORT ?= 8866
# Tools started by tests (jupyter, voila) come from the venv.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
ROOT_FLAG := $(shell [ "$$(id -u)" = "0" ] && echo --allow-root)

.PHONY: help setup lab test test-fast lint bench bench-ema validate dashboard brief clean browser \
	classroom classroom-setup classroom-prespawn classroom-remove-users bench-classroom

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	bash scripts/make_venv.sh $(PYTHON) $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint]"
	rm -rf src/*.egg-info  # by-product of the editable build; the metadata lives in .venv
	@touch $(STAMP)

setup: $(STAMP)  ## create .venv and install s400lab with its test tools

AXE := $(VENV)/axe/node_modules/axe-core/axe.min.js

browser:  ## install Debian's chromium (apt) and vendor axe-core (npm) for the browser tests
	@bash scripts/ensure_chromium.sh
	@if [ ! -f $(AXE) ]; then \
	  if command -v npm >/dev/null; then \
	    npm install --no-audit --no-fund --silent --prefix $(VENV)/axe axe-core@4.11; \
	  else echo "npm not found: the accessibility (axe-core) browser test will be skipped"; fi; \
	fi

lab: setup  ## open the workbook in JupyterLab on 127.0.0.1 (token auth kept)
	$(BIN)/python -m s400lab validate
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) $(ROOT_FLAG) \
	  --ServerApp.root_dir=$(CURDIR) notebooks/00_start_here.ipynb

# The dashboard is configured in one place, s400lab.ui.dashboard (python -m s400lab dashboard):
# Voila on 127.0.0.1 with a token; a closed page shuts its kernel down (the _xsrf cookie its
# shutdown request needs), idle kernels with no page are culled after 10 min; VIEWERS kernels
# are kept preheated (the notebook already run, ~140 MB each), so a class of VIEWERS opening
# the page at once each gets a ready kernel; a waiting page says only "Starting the explorer...".
#   make dashboard VIEWERS=30   a class of 30 arriving together (default 1: one presenter)
VIEWERS ?= 1
dashboard: setup  ## serve the scenario explorer as a Voila dashboard on 127.0.0.1 (VIEWERS=N kernels kept ready)
	$(BIN)/python -m s400lab validate
	$(BIN)/python -m s400lab dashboard --viewers $(VIEWERS) --port $(DASH_PORT)

test: setup lint browser classroom-setup  ## lint + type check, then the whole test suite (what CI runs)
	$(BIN)/python -m pytest

lint: setup  ## ruff (lint + format check) and mypy on src/ (documented in CONTRIBUTING.md)
	$(BIN)/ruff check src tests benchmarks scripts classroom
	$(BIN)/ruff format --check src tests benchmarks scripts classroom
	$(BIN)/mypy

test-fast: setup  ## unit tests only (no notebooks, no browser)
	$(BIN)/python -m pytest tests -p no:nbmake -m "not browser" -o addopts="-ra --import-mode=importlib"

validate: setup  ## validate data/ against data/datapackage.json
	$(BIN)/python -m s400lab validate data

bench: setup browser  ## print speed figures (model, ensembles, Sobol, explorer in kernel and browser)
	$(BIN)/python -m s400lab validate
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/explorer_bench.py

BENCH_VENV  := .venv-bench
BENCH_STAMP := $(BENCH_VENV)/.s400lab-bench-installed

$(BENCH_STAMP): pyproject.toml
	bash scripts/make_venv.sh $(PYTHON) $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet -e ".[bench]"
	@touch $(BENCH_STAMP)

bench-ema: $(BENCH_STAMP)  ## ensemble speed against the EMA Workbench on the same model (own venv)
	$(BENCH_VENV)/bin/python benchmarks/ema_compare.py

# --- classroom hub (docs/classroom.md) -------------------------------------------------------
HUB_PORT ?= 8000
PROXY_STAMP := classroom/node_modules/.s400lab-installed
# The hub's venv: students' servers run as their own Unix users, so the interpreter must be one
# every user can execute (Debian's /usr/bin/python3; not a pyenv build under /root).
CLASSROOM_PYTHON ?= $(shell [ -x /usr/bin/python3 ] && echo /usr/bin/python3 || echo $(PYTHON))
CLASSROOM_VENV  := .venv-classroom
CLASSROOM_STAMP := $(CLASSROOM_VENV)/.s400lab-installed

$(CLASSROOM_STAMP): pyproject.toml
	bash scripts/make_venv.sh $(CLASSROOM_PYTHON) $(CLASSROOM_VENV)
	$(CLASSROOM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CLASSROOM_VENV)/bin/python -m pip install --quiet -e ".[classroom]"
	rm -rf src/*.egg-info  # by-product of the editable build; the metadata lives in the venv
	@touch $(CLASSROOM_STAMP)

$(PROXY_STAMP): classroom/package.json classroom/package-lock.json
	bash classroom/ensure_proxy.sh

classroom-setup: setup $(CLASSROOM_STAMP) $(PROXY_STAMP)  ## install the hub (.venv-classroom) and its proxy (npm)

classroom: classroom-setup  ## JupyterHub for a seminar on 127.0.0.1:$(HUB_PORT): roster users, passwords (root)
	$(CLASSROOM_VENV)/bin/python classroom/hubctl.py start --port $(HUB_PORT)

classroom-prespawn:  ## start every student's server on the running hub before the class arrives (root)
	$(CLASSROOM_VENV)/bin/python classroom/hubctl.py prespawn --port $(HUB_PORT)

classroom-remove-users:  ## delete the Unix accounts that `make classroom` created for the roster
	$(CLASSROOM_VENV)/bin/python classroom/hubctl.py remove-users

K ?= 5,10,20,30
bench-classroom: classroom-setup browser  ## load test: K=5,10,20,30 students (each round arriving within a minute)
	@[ -x /usr/bin/chromium-headless-shell ] || bash scripts/apt_install.sh "Chromium's headless shell" \
	  "the load test uses chromium instead" "the load test's lighter browser" chromium-headless-shell || true
	$(BIN)/python classroom/bench.py --ks $(K)

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) $(BENCH_VENV) $(CLASSROOM_VENV) .pytest_cache .hypothesis test-artifacts classroom/node_modules
