"""gunicorn's settings for the app image (Dockerfile and docker-compose.yml run
``gunicorn mentorship.wsgi:application --config gunicorn.conf.py``).

The access log goes to stdout through ``mentorship.gunicorn_logging.RedactingLogger``: the
path with any secret link's key cut out, no query string, no cookies.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
logger_class = "mentorship.gunicorn_logging.RedactingLogger"
# Client, time, request line (redacted path), status, bytes, referrer (redacted), agent, ms.
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
