# Two entry points for a fresh machine: `make report` and `make test`.
# Each creates the virtual environment and installs roicli on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp
# The bundled sample data runs to October 2026; `make report AS_OF=...` to change.
AS_OF ?= 2026-10-31

.PHONY: report test lint install clean

# `make report` installs roicli alone; `make test` adds the dev tools (linters, test drivers,
# database dialects) once.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

install: $(DEV_STAMP)

report: $(STAMP)  ## the bundled example: dashboard in the terminal, workbook in reports/
	$(BIN)/roicli report -c configs/roicli.yaml --as-of $(AS_OF) -o reports/roi-report.xlsx -o reports/roi-report.html

lint: $(DEV_STAMP)
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	MYPYPATH=. $(BIN)/mypy --explicit-package-bases -p benchmarks
	$(BIN)/mypy --explicit-package-bases tests

test: lint  ## lint, type check, then the whole suite
	$(BIN)/pytest

clean:
	rm -rf $(VENV) reports .pytest_cache .mypy_cache .ruff_cache
