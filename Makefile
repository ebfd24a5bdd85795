# sopdoc: two commands on a fresh Debian machine.
#   make run    installs everything, then renders every example in definitions/
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup system bench bench-validate clean

run: setup
	$(BIN)/sopdoc validate definitions --strict

test: setup
	$(BIN)/python -m pytest -q

setup: system $(VENV)/.installed

system:
	bash scripts/install-system.sh

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf output $(VENV)

bench-validate: setup
	$(BIN)/python benchmarks/bench_validate.py
