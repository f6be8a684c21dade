"""Production: fails closed. Every secret and host comes from the environment."""

from email.utils import parseaddr

from .base import *  # noqa: F403
from .base import DATABASES, PROCESS_KIND, REDIS_URL, SMS_BACKEND, SMS_SOLAPI, WEB_THREADS, env

DEBUG = False
if not REDIS_URL:
    raise RuntimeError("REDIS_URL must be set in production (Celery broker and cache).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise RuntimeError("DATABASE_URL must point at PostgreSQL in production.")
# A web process's threads each hold a connection while their request runs: a smaller pool makes
# requests queue for connections and answer 503 as soon as the database slows down.
_pool = DATABASES["default"]["OPTIONS"].get("pool")
if PROCESS_KIND == "web" and _pool and _pool["max_size"] < WEB_THREADS:
    raise RuntimeError(
        f"DATABASE_POOL_MAX ({_pool['max_size']}) must be at least WEB_THREADS ({WEB_THREADS})."
    )
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
# Text messages through SOLAPI need its key, secret, registered sender and KakaoTalk channel.
if env("SMS_BACKEND", default="") == "verification.sms.SolapiGateway":
    missing = [key for key in ("api_key", "api_secret", "sender", "pf_id") if not SMS_SOLAPI[key]]
    if missing:
        raise RuntimeError(f"SMS_BACKEND is SOLAPI but SMS_SOLAPI lacks: {', '.join(missing)}.")
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

# No development fallback stands in for a setting production needs; each refusal names it.
if SMS_BACKEND == "verification.sms.ConsoleGateway":
    raise RuntimeError(
        "SMS_BACKEND must be a gateway that sends (verification.sms.HttpGateway with SMS_HTTP_*) "
        "in production: the console backend would write phone numbers and codes to the log."
    )
# base.py derives a development key from the secret key; here it must be set on its own, since
# rotating the secret key would otherwise change every verification's identity key.
if not env("VERIFICATION_HASH_KEY", default=""):
    raise RuntimeError(
        "VERIFICATION_HASH_KEY must be set in production, apart from DJANGO_SECRET_KEY "
        "(generate it once and keep it with the backups' keys)."
    )
if not env("AUDIT_PSEUDONYM_KEY", default=""):
    raise RuntimeError(
        "AUDIT_PSEUDONYM_KEY must be set in production, apart from DJANGO_SECRET_KEY: deleted "
        "people stay in the audit trail as keyed hashes under it (keep it with the backups' keys)."
    )
_sender_domain = parseaddr(env("DEFAULT_FROM_EMAIL", default=""))[1].rpartition("@")[2]
if _sender_domain in {"", "localhost", "localhost.localdomain"} or _sender_domain[:4] == "127.":
    raise RuntimeError(
        "DEFAULT_FROM_EMAIL must be the site's sender address (e.g. "
        '"광주광역시 OGP <ogp@gwangju.go.kr>") in production, not a localhost address.'
    )
if len(env("METRICS_TOKEN", default="")) < 32:
    raise RuntimeError(
        "METRICS_TOKEN must be set in production (32 characters or more): Prometheus sends it "
        "as a bearer token to read /metrics, which is closed to everyone else."
    )
# Uploads on an object store need its keys; without S3_BUCKET they stay on this machine's disk.
if env("S3_BUCKET", default="") and not (
    env("S3_ACCESS_KEY_ID", default="") and env("S3_SECRET_ACCESS_KEY", default="")
):
    raise RuntimeError("S3_BUCKET is set: set S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY too.")
