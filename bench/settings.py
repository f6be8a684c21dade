"""Production settings for the load benchmark: the site as deployed, on a bench database.

The database and Redis come from BENCH_DATABASE_URL / BENCH_REDIS_URL, never from DATABASE_URL
or REDIS_URL, so that a benchmark cannot land on the database of the tests or of a live site.
"""

import os
from pathlib import Path

os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ogp_bench"
)
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("CACHE_KEY_PREFIX", "ogp-bench")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("TRUSTED_PROXY_COUNT", "0")  # wrk talks to gunicorn directly
os.environ.setdefault("SITE_URL", "https://ogp-bench.example")  # links in e-mails only
os.environ.setdefault("DEFAULT_FROM_EMAIL", "ogp@ogp-bench.example")
os.environ.setdefault("VERIFICATION_HASH_KEY", "bench-only-not-secret")
os.environ.setdefault("AUDIT_PSEUDONYM_KEY", "bench-only-not-secret-pseudonyms")
os.environ.setdefault("METRICS_TOKEN", "bench-only-not-secret-metrics-token")
os.environ.setdefault("SMS_BACKEND", "verification.sms.HttpGateway")  # the bench sends no SMS

from ogp_portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  the data generator, bench_data

# load.py measures each page with the anonymous page cache, then without it (the cold path).
if os.environ.get("BENCH_PAGE_CACHE", "on") == "off":
    PAGE_CACHE_SECONDS = {}
STATIC_ROOT = Path(__file__).resolve().parent / "staticfiles"
# wrk casts the ballots of thousands of citizens from one address: the per-person limit stays
# (and is measured), the per-address one would refuse all but the first 60 a minute.
PORTAL_RATE_LIMITS = {**PORTAL_RATE_LIMITS, "vote": "10/m/user,1000000/m/ip"}  # noqa: F405
# The journeys and the sign-ins come from one address too: the per-address limits of signing in
# would refuse all but 30 a minute; the per-account ones stay.
ACCOUNT_RATE_LIMITS = {
    **ACCOUNT_RATE_LIMITS,  # noqa: F405
    "login": "1000000/m/ip",
    "login_failed": "5/5m/key,1000000/5m/ip",
}
