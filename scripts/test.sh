#!/usr/bin/env bash
# The whole test suite, as CI runs it: `make test`.
# Installs what it needs (virtual environment, pip packages, Debian packages when root),
# starts PostgreSQL and Redis when they are not running, then runs lint, the migrations
# check, message compilation, the unit/integration tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=mentorship.settings.test
export DJANGO_ALLOW_ASYNC_UNSAFE=true

step() { printf '\n==> %s\n' "$*"; }

step "Python environment"
make --no-print-directory install

step "System packages (gettext, chromium, poppler-utils)"
bash scripts/ensure-system.sh gettext chromium poppler-utils

step "PostgreSQL and Redis"
bash scripts/services.sh

step "Lint"
make --no-print-directory lint

step "Migrations are complete"
.venv/bin/python manage.py makemigrations --check --dry-run

step "Message catalogues compile"
.venv/bin/python manage.py compilemessages --ignore=.venv -v0

step "Tests"
started=$(date +%s)
status=0
.venv/bin/pytest -p xdist -n "${TEST_WORKERS:-2}" --dist worksteal "$@" || status=$?
elapsed=$(( $(date +%s) - started ))
printf '\n==> pytest took %d min %02d s (the budget is 10 min)\n' $((elapsed / 60)) $((elapsed % 60))
if [ "$elapsed" -gt 600 ]; then
  echo "pytest ran past its 10-minute budget" >&2
fi
exit "$status"
