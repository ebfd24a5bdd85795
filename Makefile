# sopdoc: two commands on a fresh Debian machine.
#   make run    installs everything, checks definitions/ and renders every SOP into output/
#   make test   runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test setup system bench bench-validate golden clean

run: setup
	$(BIN)/sopdoc validate definitions --strict
	$(BIN)/sopdoc render definitions --out output

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

bench: setup
	$(BIN)/python benchmarks/bench_render.py

bench-validate: setup
	$(BIN)/python benchmarks/bench_validate.py

golden: setup
	$(BIN)/python tests/update_golden.py
