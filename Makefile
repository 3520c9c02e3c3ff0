# Raqib: `make run` and `make test` work on a fresh machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench bench-quality bench-speed clean setup

$(STAMP): pyproject.toml constraints.txt setup.py src/raqib/matching/_bounds_kernel.pyx src/raqib/matching/_keys_kernel.pyx
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/raqib lists import --bundled
	$(BIN)/raqib lists show
	$(BIN)/raqib keys bootstrap
	$(BIN)/raqib serve

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: bench-quality bench-speed

bench-quality: $(STAMP)
	$(BIN)/python -m bench.quality

bench-speed: $(STAMP)
	$(BIN)/python -m bench.speed

clean:
	rm -rf $(VENV) .raqib .pytest_cache .mypy_cache .ruff_cache
