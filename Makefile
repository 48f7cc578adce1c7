# Wijksignalen: `make run` starts the app on SQLite with the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip compiles the installed files to bytecode. Keep that: with PYTHONDONTWRITEBYTECODE set
# (as on the CI machine) nothing would write them later, and every app server, CLI child and
# xdist worker the tests start would compile its imports again.
PIP_INSTALL := $(BIN)/pip install --quiet

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# requirements-dev.txt includes requirements.txt, so one pip run installs both.
$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.runtime $@

run: $(VENV)/.runtime
	$(BIN)/python -m signals init
	$(BIN)/python -m signals demo --if-empty
	$(BIN)/streamlit run server.py --server.port $(PORT)

# One pytest worker per CPU core; a browser-test module stays on one worker (loadgroup).
PYTEST_ARGS ?= -n auto --dist loadgroup

test: $(VENV)/.dev
	bash scripts/ensure-test-tools.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .

clean-db:
	rm -f data/wijksignalen.db data/wijksignalen.db-wal data/wijksignalen.db-shm
