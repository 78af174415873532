# Décroché — two set-up commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
MONTHS ?= 3

.PHONY: demo test install serve lint check clean-db

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## make demo: install, create the SQLite database, load demo data, serve on http://$(HOST):$(PORT)
demo: $(STAMP)
	DEBUG=1 $(BIN)/decroche migrate --noinput
	DEBUG=1 $(BIN)/decroche demo --months $(MONTHS)
	DEBUG=1 $(BIN)/decroche runserver $(HOST):$(PORT) --noreload

## make test: install what the tests need and run the whole suite
test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy
	$(BIN)/decroche check
	$(BIN)/decroche makemigrations --check --dry-run

clean-db:
	rm -f var/decroche.sqlite3 var/decroche.sqlite3-wal var/decroche.sqlite3-shm
