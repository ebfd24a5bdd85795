# Shortcuts for the scripts in scripts/ (the README's two commands need only bash).
.PHONY: run test setup lock lock-upgrade bench bench-layout quality-layout bench-heldout bench-export bench-validate bench-sign bench-excel bench-studio golden clean

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh

lock:
	bash scripts/lock.sh

lock-upgrade:
	bash scripts/lock.sh --upgrade

bench: setup
	.venv/bin/python benchmarks/bench_render.py

bench-layout: setup
	.venv/bin/python benchmarks/bench_layout.py

quality-layout: setup
	.venv/bin/python benchmarks/quality_layout.py $(or $(SEED),5) $(or $(COUNT),400)

bench-heldout: setup
	.venv/bin/python benchmarks/bench_heldout.py

bench-export: setup
	.venv/bin/python benchmarks/bench_export.py

bench-validate: setup
	.venv/bin/python benchmarks/bench_validate.py

bench-sign: setup
	.venv/bin/python benchmarks/bench_sign.py

bench-excel: setup
	.venv/bin/python benchmarks/bench_excel.py

bench-studio: setup
	bash scripts/install-system.sh test
	.venv/bin/python benchmarks/bench_studio.py

golden: setup
	.venv/bin/python tests/update_golden.py

clean:
	rm -rf output .venv
