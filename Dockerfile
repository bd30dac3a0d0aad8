# The app image: gunicorn (web), Celery worker and Celery beat all run from it.
# Build and run it with docker-compose (see README, "Deploying with docker-compose").
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=mentorship.settings.production \
    MEDIA_ROOT=/app/var/media

# WeasyPrint's system libraries and a local font (no remote fonts). The message catalogues
# are compiled with polib (scripts/compile_messages.py), so gettext is not needed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libcairo2 libgdk-pixbuf-2.0-0 \
      shared-mime-info fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. pyproject.toml declares no
# packages of its own: `pip install .` installs the dependencies and the code runs from /app.
# constraints.txt pins every version (`make constraints` writes it from the tested venv).
COPY pyproject.toml constraints.txt README.md* ./
RUN pip install -c constraints.txt . && rm -rf build ./*.egg-info

COPY . .

# Message catalogues and static files are built into the image. Production settings insist on
# these variables; the values below exist for this one build step only and are not kept in the
# image's environment.
RUN chmod 0755 scripts/docker-entrypoint.sh \
 && export SECRET_KEY=build-only-not-a-secret \
           DATABASE_URL=postgres://build:build@localhost:5432/build \
           REDIS_URL=redis://localhost:6379/0 \
 && python scripts/compile_messages.py \
 && python manage.py collectstatic --noinput -v0

# Run as an unprivileged user; only var/ (generated files, the media volume) is writable.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app \
      --shell /usr/sbin/nologin app \
 && mkdir -p /app/var/media \
 && chown -R app:app /app/var
USER app

EXPOSE 8000
ENTRYPOINT ["/app/scripts/docker-entrypoint.sh"]
# gunicorn.conf.py: bind, workers, and an access log with no secret keys and no query strings.
CMD ["gunicorn", "mentorship.wsgi:application", "--config", "gunicorn.conf.py"]
