# Décroché — two set-up commands: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
# --no-compile: modules are byte-compiled when first imported (only those the demo uses),
# which halves the install time of the application.
PIP := $(BIN)/pip install --disable-pip-version-check --no-compile -c constraints.txt
HOST ?= 127.0.0.1
PORT ?= 8000
MONTHS ?= 1

.PHONY: demo test install serve lint check clean-db

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version'
	$(PYTHON) -m venv $(VENV)

# What the application runs (the demo): no test tools, no Spark (the extra `[spark]`).
$(APP_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	@echo "Installation de l'application (sans les outils de test ni Spark)…"
	$(PIP) -e .
	touch $(APP_STAMP)

# What the tests and the quality gate need: the extras `[test]` and `[spark]` (the
# cross-engine test compares the distributed engine; CI runs it).
$(TEST_STAMP): $(APP_STAMP) pyproject.toml constraints.txt
	@echo "Installation des outils de test et de Spark (pytest, ruff, mypy, pyspark)…"
	$(PIP) -e '.[test,spark]'
	touch $(TEST_STAMP)

install: $(TEST_STAMP)

## make demo: install the application, create the SQLite database, load the demo data,
## serve on http://$(HOST):$(PORT) (HOST is the interface bound: 0.0.0.0 for all)
demo: $(APP_STAMP)
	@echo "Création de la base…"
	@DEBUG=1 $(BIN)/decroche migrate --noinput -v 0
	@echo "Chargement des données de démonstration ($(MONTHS) mois complet(s) et le mois en cours)…"
	@DEBUG=1 $(BIN)/decroche demo --months $(MONTHS) --host $(HOST) --port $(PORT)
	@echo "Démarrage du serveur sur $(HOST):$(PORT) (Ctrl-C pour l'arrêter)…"
	@DEBUG=1 $(BIN)/decroche runserver $(HOST):$(PORT) --noreload

## make test: install what the tests need and run the whole suite
test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## make serve (production-style, README "Production"): migrate, collect the static files,
## start the background worker, then gunicorn in the foreground on http://$(HOST):$(PORT).
## DATABASE_URL=postgres://… for PostgreSQL (default: the SQLite file in var/). DEBUG is
## off; plain HTTP on loopback needs SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 (the default
## here; set both to 1 behind TLS). The worker stops with gunicorn.
SERVE_ENV ?= DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 STATIC_MANIFEST=1
serve: $(APP_STAMP)
	@$(SERVE_ENV) $(BIN)/decroche migrate --noinput -v 0
	@$(SERVE_ENV) $(BIN)/decroche collectstatic --noinput -v 0
	@$(SERVE_ENV) $(BIN)/decroche jobs --fail-interrupted
	@echo "Travailleur en arrière-plan et serveur gunicorn sur $(HOST):$(PORT) (Ctrl-C pour arrêter)…"
	@$(SERVE_ENV) $(BIN)/decroche db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(SERVE_ENV) GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py decroche.wsgi:application

lint: $(TEST_STAMP)
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	$(BIN)/mypy
	$(BIN)/decroche check
	$(BIN)/decroche makemigrations --check --dry-run

clean-db:
	rm -f var/decroche.sqlite3 var/decroche.sqlite3-wal var/decroche.sqlite3-shm
