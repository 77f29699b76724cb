# Two commands on a fresh machine: `make app` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: app test lint ingest eval bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# torch==2.13.0 is pinned in pyproject.toml: an unpinned torch pulls a multi-GB CUDA build.
$(VENV)/.stamp-app: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[st]'
	touch $@

$(VENV)/.stamp-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.stamp-app

app: $(VENV)/.stamp-app
	$(BIN)/reportbot ingest
	$(BIN)/reportbot serve --host $(HOST) --port $(PORT)

ingest: $(VENV)/.stamp-app
	$(BIN)/reportbot ingest

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check src tests app.py
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q -ra

eval: $(VENV)/.stamp-app
	$(BIN)/reportbot eval

bench: $(VENV)/.stamp-app
	$(BIN)/reportbot bench

# Only what `reportbot ingest` rebuilds (the index) and test artifacts: accounts, feedback
# and the audit log live in .reportbot-state/ and are never deleted here.
clean:
	rm -rf .reportbot artifacts
