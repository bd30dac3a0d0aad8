"""The test suite: PostgreSQL and Redis on this machine unless told otherwise."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/mentorship"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# One test database per test process, so parallel runs on one machine never collide.
DATABASES["default"]["TEST"] = {
    "NAME": env("TEST_DATABASE_NAME", default=f"test_mentorship_{os.getpid()}")
}

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Tests run tasks in-process unless a test starts a real worker (tests/applications/
# test_dossier.py): that worker runs with CELERY_EAGER=0.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_EAGER", default=True)
# A queue of this test process's own, so a worker started by one test run never takes the
# tasks of another run on the same Redis (the worker is told the name through CELERY_QUEUE).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default=f"test-{os.getpid()}")

# A test with a real worker gives it a file-based backend (the worker's locmem is out of reach).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / "test-mail"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Tests change rows with update() and read the pages at once: the workspace cache is off here
# and turned on by its own tests (tests/organisations/test_freshness.py).
WORKSPACE_CACHE_SECONDS = env.int("WORKSPACE_CACHE_SECONDS", default=0)
# The browser tests run WebAuthn (a virtual authenticator) against http://localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# The tests' identity providers run on 127.0.0.1 over plain http (tests/identity/).
IDENTITY_ALLOW_LOCAL_HTTP = True
