"""Production: fails closed. Every secret and host comes from the environment."""

from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, env

DEBUG = False
if not REDIS_URL:
    raise RuntimeError("REDIS_URL must be set in production (Celery broker and cache).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("DATABASE_URL must point at PostgreSQL in production.")
# Rate limits count per client address, which only the deployment knows how to find: the
# header a proxy of ours sets (TRUSTED_CLIENT_IP_HEADER) or how many of our proxies append to
# X-Forwarded-For (TRUSTED_PROXY_COUNT, 0 when clients reach gunicorn directly). A guess either
# way is wrong somewhere: too low behind a proxy locks everyone out together, too high lets
# clients pick their own address. See base.py and the README.
if "TRUSTED_PROXY_COUNT" not in env.ENVIRON and "TRUSTED_CLIENT_IP_HEADER" not in env.ENVIRON:
    raise RuntimeError(
        "Set TRUSTED_PROXY_COUNT (0 when nothing stands before gunicorn) or "
        "TRUSTED_CLIENT_IP_HEADER in production: rate limits count per client address."
    )

# Staff powers need a second factor in production, whatever the environment says.
if not env.bool("STAFF_MFA_REQUIRED", default=True):
    raise RuntimeError("STAFF_MFA_REQUIRED cannot be turned off in production.")
STAFF_MFA_REQUIRED = True

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in e-mails, and their one-click unsubscribe, which RFC 8058 wants over https.
SITE_URL = env("SITE_URL", default="")
if not SITE_URL.startswith("https://"):
    raise RuntimeError("SITE_URL must be the site's https:// address in production.")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
