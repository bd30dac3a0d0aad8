#!/bin/sh
# Container entrypoint. The web service (gunicorn) applies database migrations before it starts;
# the Celery worker and beat do not, so two containers never migrate at once.
set -eu

case "${1:-}" in
  gunicorn)
    python manage.py migrate --noinput
    ;;
esac

exec "$@"
