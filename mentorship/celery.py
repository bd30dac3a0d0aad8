"""Celery application.

With no broker configured (``REDIS_URL`` unset) the settings turn on
``task_always_eager`` so the app works on a laptop with no Redis.
"""

import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.local")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(**kwargs):
    """The worker and beat log through ``settings.LOGGING`` (whose filter keeps personal
    data out of every line) instead of installing Celery's own, unfiltered handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
