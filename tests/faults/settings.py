"""Settings of the site and workers that fault tests start as processes of their own.

The test settings, with a real broker and a real mail server taken from the environment.
"""

import os

from ogp_portal.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEBUG = False
