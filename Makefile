# Lianxing developer commands. Every target creates .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench lint clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Write a year of a demo seller's files, import them through the real importers, print profit.
demo: $(STAMP)
	$(BIN)/lianxing demo demo --force

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

# Part 1: one 1M-row settlement, and one a quarter its size to show peak RSS stays flat
# (bench/results.md); part 2: a year of every format at demo scale 20
# (bench/results-year.md); part 3: the KPI engine on 2,000 SKUs × 3 stores × 365 days
# against hand-written SQL (bench/results-kpi.md); part 4: costing — FIFO COGS, fee
# estimates and the fee audit (bench/results-costing.md); part 5: memory on hostile
# files — a gzip bomb, a 300 MB non-report — against a valid file (bench/results-bounds.md).
bench: $(STAMP)
	$(BIN)/python bench/run.py --scaling
	$(BIN)/python bench/year.py
	$(BIN)/python bench/kpi.py
	$(BIN)/python bench/costing.py
	$(BIN)/python bench/bounds.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/lianxing

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
