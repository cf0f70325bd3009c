# Two entry points: `make run` (solve every sample ICS into outputs/) and `make test`.
# Each creates the virtual environment in .venv and installs the project on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test samples bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The 42 sample ICSs: each ICS's plan and the national roll-up in outputs/, then the coupled national
# plan (models/national.toml) in outputs/coupled/.  Unchanged ICSs are reused on a second run.
run: $(STAMP)
	$(BIN)/workforce rollup inputs --out outputs
	$(BIN)/workforce rollup inputs --out outputs/coupled --national models/national.toml
	@echo "ICS plans and national workbooks written to outputs/ and outputs/coupled/"

test: $(STAMP)
	$(BIN)/python -m pytest -q

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py --out inputs

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_hostile.py
	$(BIN)/python benchmarks/bench_solve.py
	$(BIN)/python benchmarks/bench_rollup.py
	$(BIN)/python benchmarks/bench_futures.py
	$(BIN)/python benchmarks/bench_hedge.py
	$(BIN)/python benchmarks/bench_national.py

clean:
	rm -rf $(VENV) outputs/*.xlsx .pytest_cache
