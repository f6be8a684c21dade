"""gunicorn's worker model for the image: `gunicorn -c python:ogp_portal.gunicorn_conf`.

Threaded workers (gthread): `WEB_WORKERS` processes of `WEB_THREADS` threads each. A request
holds a database connection for as long as it runs (on a slow database, seconds), so each
process's connection pool is as large as its threads (`DATABASE_POOL_MIN`/`MAX` default to
`WEB_THREADS` in the settings, which refuse a smaller pool in production): no request waits for
a connection another thread of its process holds. PostgreSQL needs `WEB_WORKERS × WEB_THREADS`
connections for the site, plus the workers' and beat's. `PROCESS_KIND=web` (set by
`ogp_portal.wsgi`) gives the site's connections their short statement and lock timeouts.
"""

import os

wsgi_app = "ogp_portal.wsgi:application"
bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "3"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# Longer than the web statement timeout, so a slow statement ends as a 503, not a killed worker.
timeout = 30
graceful_timeout = 30
