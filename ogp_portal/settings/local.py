"""Local development: SQLite, eager Celery, e-mail printed to the console."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("STAFF_MFA_REQUIRED", "false")
os.environ.setdefault("LOG_FORMAT", "text")

from .base import *  # noqa: F403

# Demo data (`manage.py load_demo`); production settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
