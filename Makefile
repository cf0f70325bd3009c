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

run: $(STAMP)
	@mkdir -p outputs
	@for workbook in inputs/Q*.xlsx; do \
		$(BIN)/workforce solve "$$workbook" || exit 1; \
	done
	@echo "Plans written to outputs/"

test: $(STAMP)
	$(BIN)/python -m pytest -q

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py --out inputs

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_solve.py

clean:
	rm -rf $(VENV) outputs/*.xlsx .pytest_cache
