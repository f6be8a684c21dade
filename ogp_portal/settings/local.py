"""Local development: SQLite, eager Celery, e-mail printed to the console."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "local-development-only-not-secret")
os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("STAFF_MFA_REQUIRED", "false")
os.environ.setdefault("LOG_FORMAT", "text")

from .base import *  # noqa: F403
from .base import REDIS_URL, env

# `make run` runs a Celery worker with its beat beside the site, as production runs them
# (`make jobs`). Without Redis the site and the worker share a broker kept in files under
# LOCAL_BROKER_DIR: nothing else to install. Without LOCAL_BROKER_DIR (a bare `runserver`,
# a management command) tasks run in the caller, as before.
LOCAL_BROKER_DIR = env("LOCAL_BROKER_DIR", default="")
if LOCAL_BROKER_DIR and not REDIS_URL:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": f"{LOCAL_BROKER_DIR}/queue",
        "data_folder_out": f"{LOCAL_BROKER_DIR}/queue",
        "control_folder": f"{LOCAL_BROKER_DIR}/control",
    }
    CELERY_TASK_ALWAYS_EAGER = False
    # One beat, beside the site, with its schedule in a file: RedBeat's lock needs Redis.
    CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"

# Demo data (`manage.py load_demo`); production settings never install it.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
