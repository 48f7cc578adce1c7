# Wijksignalen: `make run` starts the app on SQLite with the demo; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

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
