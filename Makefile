# Two commands set up everything on a fresh machine with Python 3.11 and make:
#   make demo   create .venv, install, build the example ledger and print the weekly 台账
#   make test   create .venv, install, lint, type-check and run the whole test suite, then the command-line
#               contract tests again through a real wenzheng serve
#   make check  the quick loop: the tests but the slow ones (processes, signals, big files), no lint
#   make wheelhouse  dist/wenzheng-wheelhouse-<version>.zip: every wheel an office PC without internet needs
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The tests run in this many processes (pytest-xdist; 0 for one process); PYTEST_ARGS goes to pytest as is,
# e.g. make check PYTEST_ARGS='-k import'.
WORKERS     ?= 2
PYTEST_ARGS ?=
PYTEST      := $(PY) -m pytest -n $(WORKERS)

.PHONY: demo test check lint fmt bench clean venv wheelhouse

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,parquet,serve]'
	touch $(STAMP)

demo: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash examples/demo.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks examples
	$(VENV)/bin/ruff format --check src tests benchmarks examples
	$(VENV)/bin/mypy src tests
	$(PY) -m pytest -q -p no:cacheprovider tests/test_layers.py  # the layer table of README.md, as a contract

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests benchmarks examples
	$(VENV)/bin/ruff check --fix src tests benchmarks examples

# The command-line contract again through a real wenzheng serve (tests/support/remote.py; README, serve).
test: lint
	$(PYTEST) $(PYTEST_ARGS)
	$(PYTEST) --remote -m contract $(PYTEST_ARGS)

check: $(STAMP)
	$(PYTEST) -m 'not slow' $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Linux x86_64 and Windows x64, CPython 3.11-3.13, wenzheng[serve] (README, 没有外网的办公电脑). Downloads
# about 400 MB the first time; scripts/wheelhouse.py --help for one platform or Python, or the extra parquet.
wheelhouse: $(STAMP)
	$(PY) scripts/wheelhouse.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
