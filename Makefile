# Every routine command has a target here, so the README stays short.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed

.PHONY: help run install test test-fast lint format migrations-check messages compilemessages \
        makemessages constraints bench bench-load services worker beat reminders migrate seed shell clean check-deploy compose-check

help:
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/' | sort

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt ".[dev]"
	@touch $(STAMP)

install: $(STAMP) ## Install the app and its tools into .venv

run: $(STAMP) compilemessages ## Run the app with demo data at http://127.0.0.1:8000 (SQLite, in-process tasks, console mail)
	@mkdir -p var
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver 127.0.0.1:8000

test: ## Run the whole suite (lint, migrations, messages, unit, integration, browser) on PostgreSQL + Redis
	bash scripts/test.sh

test-fast: $(STAMP) ## Unit and integration tests only, no browser
	$(VENV)/bin/pytest -m "not e2e" -q

lint: $(STAMP) ## ruff and djlint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: $(STAMP) ## Format Python and templates
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

migrations-check: $(STAMP) ## Fail on a model change without a migration
	$(MANAGE) makemigrations --check --dry-run

makemessages: $(STAMP) ## Collect translatable strings into locale/sv
	$(MANAGE) makemessages -l sv --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles
	$(MANAGE) makemessages -d djangojs -l sv --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles

compilemessages: $(STAMP) ## Compile the message catalogues (pure Python, no gettext needed)
	$(PY) scripts/compile_messages.py

messages: makemessages compilemessages

migrate: $(STAMP)
	$(MANAGE) migrate

seed: $(STAMP) ## Create or update the demo tenants
	$(MANAGE) seed_demo

services: ## Start PostgreSQL and Redis on this machine if they are not running
	bash scripts/services.sh

worker: $(STAMP) ## A Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A mentorship worker -l info

beat: $(STAMP) ## Celery beat for periodic reminders (needs REDIS_URL)
	$(VENV)/bin/celery -A mentorship beat -l info

reminders: $(STAMP) ## Queue the reminders that are due now (without Celery beat)
	$(MANAGE) send_reminders

bench: $(STAMP) compilemessages ## Benchmarks: print the figures (the load test last)
	bash scripts/ensure-system.sh wrk
	DJANGO_SETTINGS_MODULE=mentorship.settings.test $(PY) -m benchmarks

bench-load: $(STAMP) compilemessages ## The load test alone (production stack + wrk); LOAD_ARGS="--seconds 2 --size 100"
	bash scripts/ensure-system.sh wrk
	DJANGO_SETTINGS_MODULE=mentorship.settings.test $(PY) -m benchmarks load $(LOAD_ARGS)

check-deploy: $(STAMP) ## Django's deployment checks with production settings
	DJANGO_SETTINGS_MODULE=mentorship.settings.production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdef \
	  DATABASE_URL=postgres://localhost/x REDIS_URL=redis://localhost:6379/0 ALLOWED_HOSTS=example.org \
	  EMAIL_URL=smtp+tls://user:password@smtp.example.org:587 \
	  $(MANAGE) check --deploy

COMPOSE_ENV := SECRET_KEY=x POSTGRES_PASSWORD=x ALLOWED_HOSTS=x EMAIL_URL=smtp://x DEFAULT_FROM_EMAIL=x SITE_URL=https://x

compose-check: ## Validate docker-compose.yml with `docker compose` (or docker-compose); installs nothing
	@if docker compose version >/dev/null 2>&1; then $(COMPOSE_ENV) docker compose config -q; \
	elif command -v docker-compose >/dev/null 2>&1; then $(COMPOSE_ENV) docker-compose config -q; \
	else echo "Neither 'docker compose' nor 'docker-compose' is installed: install Docker with the Compose plugin (or Debian's docker-compose) to validate docker-compose.yml." >&2; exit 1; fi
	@echo "docker-compose.yml is valid."

constraints: $(STAMP) ## Pin every installed package's version into constraints.txt
	$(PIP) freeze --exclude-editable | grep -v -i '^mentorship' > constraints.txt

shell: $(STAMP)
	$(MANAGE) shell

clean: ## Remove the virtual environment, local database and caches
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
