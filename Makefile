# The two README commands: `make run` (opportunity report for the demo council) and `make test`.
# Both create or reuse a virtual environment in .venv inside the clone; nothing is installed globally.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CODE := src tests $(wildcard benchmarks)

.PHONY: run test lint typecheck unit bench clean format web-assets bench-web bench-web-load bench-web-crash fuzz-api

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/careflow report --baseline demo --out out --force

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)

typecheck: $(STAMP)
	$(BIN)/mypy src

# One worker per core; --dist loadscope keeps a module's tests (and its module-scoped server) on one worker.
unit: $(STAMP)
	$(BIN)/pytest -n auto --dist loadscope

test: lint typecheck unit

# GOV.UK Frontend for the web app's pages, from npm into build/ (never copied into the repository).
GOVUK_FRONTEND := build/web-assets/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css
$(GOVUK_FRONTEND):
	mkdir -p build/web-assets
	cd build/web-assets && npm install --no-audit --no-fund --silent govuk-frontend@5

web-assets: $(GOVUK_FRONTEND)

bench-web: $(STAMP)
	$(BIN)/python benchmarks/web.py

bench-web-load: $(STAMP)
	$(BIN)/python benchmarks/web_load.py

bench-web-crash: $(STAMP)
	$(BIN)/python benchmarks/web_crash.py

fuzz-api: $(STAMP)
	$(BIN)/python benchmarks/fuzz_api.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) out

format: $(STAMP)
	$(BIN)/ruff format $(CODE)
	$(BIN)/ruff check --fix $(CODE)
