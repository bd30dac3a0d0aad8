"""Celery application.

With no broker configured (``REDIS_URL`` unset) the settings turn on
``task_always_eager`` so the app works on a laptop with no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings.local")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
