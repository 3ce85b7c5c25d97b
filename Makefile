# smartspec: the two commands of the README live here.
#   make run   -> set up .venv, build the results for the default data, print Lombardy's profile
#   make test  -> set up .venv with test tools (and Debian's chromium for browser tests), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test setup setup-test browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(STAMP)

setup-test: $(TEST_STAMP) browser

# Debian's chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

run: $(STAMP)
	$(BIN)/smartspec run

test: setup-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

# ApacheBench (Debian's apache2-utils) drives the web load test when present.
bench: $(TEST_STAMP)
	@command -v ab >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null) || true
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info
