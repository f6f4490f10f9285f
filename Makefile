# The two commands: `make run` sets up and starts the bot, `make test` sets up and runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint check bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.x)")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "Installing dependencies into $(VENV) ..."
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

run: $(STAMP)  ## Start the bot: Telegram if a token is configured, else the terminal chat.
	@$(PY) -m bot start

test: $(STAMP)  ## Lint, validate the knowledge base and run the whole test suite.
	$(PY) -m ruff check .
	$(PY) -m bot check
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

check: $(STAMP)
	$(PY) -m bot check

bench: $(STAMP)  ## Matching and Telegram benchmarks (minutes; not part of the tests).
	$(PY) -m bench.matching
	$(PY) -m bench.bot_load

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
