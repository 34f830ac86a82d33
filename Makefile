# Two commands matter on a fresh machine: `make demo` and `make test` (see README.md).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/maildaemon demo

lint: install
	$(BIN)/ruff check maildaemon tests bench
	$(BIN)/ruff format --check maildaemon tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/send.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/inbound.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) demo-state *.egg-info
