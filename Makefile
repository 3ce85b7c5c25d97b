# smartspec: the two commands of the README live here.
#   make run   -> set up .venv, build the results for the default data, print Lombardy's profile
#   make test  -> set up .venv with test tools (and Debian's chromium for browser tests), run the suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# pandas 2 beside the project's pandas 3, for tests/test_pandas_versions.py: one wheel (and pytz,
# which pandas 2 still imports) in its own folder, without dependencies (numpy etc. are the venv's).
PANDAS2_VERSION := 2.3.3
PANDAS2 := $(VENV)/pandas2
PANDAS2_STAMP := $(VENV)/.installed-pandas2-$(PANDAS2_VERSION)

.PHONY: run test setup setup-test browser bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

$(PANDAS2_STAMP): $(STAMP)
	rm -rf $(PANDAS2) $(VENV)/.installed-pandas2-*
	$(BIN)/pip install --quiet --no-deps --target $(PANDAS2) "pandas==$(PANDAS2_VERSION)" "pytz==2026.6"
	PYTHONPATH=$(PANDAS2) $(BIN)/python -c "import pandas; assert pandas.__version__ == '$(PANDAS2_VERSION)', pandas.__version__"
	touch $@

setup: $(STAMP)

setup-test: $(TEST_STAMP) $(PANDAS2_STAMP) browser

# Debian's chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

run: $(STAMP)
	$(BIN)/smartspec run

test: setup-test
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

# ApacheBench (Debian's apache2-utils) and wrk drive the web load tests when present.
bench: $(TEST_STAMP)
	@{ command -v ab && command -v wrk; } >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils wrk >/dev/null) || true
	$(BIN)/python benchmarks/run_all.py

# The API reference from the docstrings (pdoc) and the transcripts of README.md and docs/ rerun.
docs: $(TEST_STAMP)
	$(BIN)/python docs/build_api.py build/api
	$(BIN)/python docs/transcripts.py

clean:
	rm -rf $(VENV) build *.egg-info
