"""Settings shared by every environment.

Values come from environment variables (django-environ). With nothing set the
app runs on an SQLite file, runs Celery tasks in-process and prints mail to the
console, so a newcomer needs no services at all.
"""

import warnings
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django admin with its sign-in through allauth (two-factor step, rate limits).
    "mentorship.admin_config.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_scopes",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Sign-in with the organisation's own account: providers per tenant (identity app).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "mentorship",
    "organisations",
    "programmes",
    "applications",
    "matching",
    "pairs",
    "bank",
    "choosing",
    "evaluation",
    "reporting",
    "messaging",
    "privacy",
    "identity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mentorship.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "organisations.middleware.TenantMiddleware",
]

# Only the site's own files: no inline scripts or styles, no frames, forms post here only.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}
# No page uses a device or a browser feature beyond forms and links: all turned off, except
# security keys and passkeys (WebAuthn) for this site's own pages.
PERMISSIONS_POLICY = {
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
} | {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organisations.context_processors.tenant",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisations.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"

# django-allauth: e-mail is the login, no usernames, verified addresses.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# organisations' adapter (closed sign-up, languages) with identity's rule on top: an address
# whose domain a tenant signs in only through its own provider gets no password sign-in.
ACCOUNT_ADAPTER = "identity.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "organisations.forms.SignupForm"
ACCOUNT_FORMS = {"login": "organisations.login.LoginForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_SESSION_REMEMBER = None
# Confirming the address signs the person in and takes them back to where they started (an application).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The set-password link in the mail of a person HR or a coordinator added signs them in when
# the password is chosen ("you sign in on the way"), instead of ending on "password changed".
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Identity providers (identity app): every provider is a SocialApp in the database, made by a
# coordinator for their tenant; none in settings. No tokens are kept; an address the provider
# says is verified counts as verified; the adapter decides who may sign in and be created.
SOCIALACCOUNT_ADAPTER = "identity.adapters.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {}
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
# Provider sign-in starts with a POST from the tenant's sign-in page (CSRF-protected).
SOCIALACCOUNT_LOGIN_ON_GET = False
# Seconds to wait for a provider's discovery document or metadata.
IDENTITY_FETCH_TIMEOUT = env.int("IDENTITY_FETCH_TIMEOUT", default=10)
# Provider addresses must be https; plain http only to this machine, where this allows it
# (tests, and local development with a provider on the laptop).
IDENTITY_ALLOW_LOCAL_HTTP = env.bool("IDENTITY_ALLOW_LOCAL_HTTP", default=False)
# Second factors: an authenticator app, security keys and passkeys (WebAuthn), recovery codes.
# A passkey also signs in on its own (the sign-in page's "Sign in with a passkey").
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
# WebAuthn needs https; only the browser tests on http://127.0.0.1 turn this on.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=False)
# Rate limits (failed logins, password resets) count per client address. Behind a reverse
# proxy every request comes from the proxy's address, so the limits would lock out everyone at
# once: name how many proxies of ours add to X-Forwarded-For (the client is the address the
# outermost of them added), or a header the proxy sets to the client's address instead.
# No proxy by default (local, tests); production's default is one.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_TOTP_ISSUER = "Mentorprogram"

# Internationalisation: Swedish first, English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "mentorship_language"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
# One family of date formats in both languages (mentorship/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["mentorship.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Outside production whitenoise serves straight from the app directories (no collectstatic).
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")

MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

# Mail: console unless EMAIL_URL says otherwise.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Mentorprogram <no-reply@mentorprogram.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The site's address for links in mails sent by background jobs (reminders), where no
# request tells it.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

# Celery: eager without a broker.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Publishing a task does not retry: with Redis down, a page that queues a mail answers at once
# (the outbox keeps the mail and drain_outbox sends it later) instead of hanging ~6 s.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "max_retries": 0}
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # The outbox: mails whose task was lost (Redis down) or whose retry is due.
    "drain-outbox": {
        "task": "organisations.tasks.drain_outbox",
        "schedule": 60,
    },
    # Sent mails keep their text (links, names) OUTBOX_BODY_RETENTION_DAYS; then it is removed.
    "purge-sent-mail-bodies": {
        "task": "organisations.tasks.purge_sent_bodies",
        "schedule": 24 * 60 * 60,
    },
    # Reminders (deadlines, shared days, quiet pairs, surveys): each recorded once, by key.
    "send-reminders": {
        "task": "organisations.tasks.send_reminders",
        "schedule": 15 * 60,
    },
    # Once a year each mentor of a standing mentor bank is asked "are you still available?"
    # (bank.services.ask_availability: those whose last answer is over 12 months old).
    "bank-ask-availability": {
        "task": "bank.tasks.ask_availability",
        "schedule": 24 * 60 * 60,
    },
    # Export jobs (the dossier, the round report) whose task was lost (Redis down) or whose
    # worker died are handed to a worker again (organisations.jobs).
    "drain-export-jobs": {
        "task": "organisations.tasks.drain_export_jobs",
        "schedule": 60,
    },
    # Exported files (the matching dossier, the round report) are kept 24 hours; then the
    # file is deleted.
    "purge-expired-exports": {
        "task": "organisations.tasks.purge_expired_exports",
        "schedule": 60 * 60,
    },
    # Coordinators and HR contacts: the day's new applications, one mail each (or none).
    "application-digests": {
        "task": "applications.tasks.send_application_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Personal data in applications is anonymised after each tenant's retention period.
    # Cohorts from the round's end, continuous programmes from each pair's end (privacy).
    "anonymise-expired-applications": {
        "task": "privacy.tasks.apply_retention",
        "schedule": 24 * 60 * 60,
    },
}

INVITATION_MAX_AGE_DAYS = 14
# Days a delivered mail keeps its subject and text in the outbox (its row stays).
OUTBOX_BODY_RETENTION_DAYS = env.int("OUTBOX_BODY_RETENTION_DAYS", default=7)

# Export jobs (organisations.jobs): a running job whose progress has not moved for this many
# minutes has lost its worker and is tried again; after this many attempts it has failed.
EXPORT_JOB_TIMEOUT_MINUTES = env.int("EXPORT_JOB_TIMEOUT_MINUTES", default=10)
EXPORT_JOB_MAX_ATTEMPTS = env.int("EXPORT_JOB_MAX_ATTEMPTS", default=3)
# The header's own links and the "Att göra" lists are cached per tenant until its data
# changes (organisations/freshness.py), at most this long; 0 turns the cache off.
WORKSPACE_CACHE_SECONDS = env.int("WORKSPACE_CACHE_SECONDS", default=300)

# The load test (benchmarks/load.py, `make bench-load`) sets BENCH_BASELINE=1 for its own
# servers: it adds one staff URL, /<tenant>/manage/bench-baseline/, a view doing only what every
# page must (session, user, tenant, membership, one query). Off everywhere else.
BENCH_BASELINE = env.bool("BENCH_BASELINE", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler gets the filter: no e-mail address, no refused database row in a log line.
    "filters": {"redact_personal_data": {"()": "mentorship.log_filters.RedactPersonalData"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (console when DEBUG, mail to ADMINS, runserver's request
        # lines) have no filter: its records go through the filtered console instead.
        "django": {"level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
