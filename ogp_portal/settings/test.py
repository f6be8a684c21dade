"""Tests: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, SQLite otherwise."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "*")
os.environ.setdefault("DATABASE_POOL", "true")
# The race tests send 200 requests at once through one process and its 10-connection pool: they
# queue for longer than production's 2 s (which would answer them 503), and on a machine busy
# with other work for longer than 10 s. tests/ogp_portal/test_errors.py runs a server with a
# 1 s timeout for the outage itself.
os.environ.setdefault("DATABASE_POOL_TIMEOUT", "30")

from .base import *  # noqa: F403
from .base import CACHES

# The demo data and the benchmark's generator are tested; production installs neither.
INSTALLED_APPS = [*INSTALLED_APPS, "demo", "bench"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tasks run in the caller unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CACHES["default"]["KEY_PREFIX"] = f"ogp-test-{os.getpid()}"
STAFF_MFA_REQUIRED = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
