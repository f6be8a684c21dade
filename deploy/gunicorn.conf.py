"""Gunicorn for the portal's web servers (the image, compose and the cluster test use it).

Every number can be changed from the environment; the defaults suit one container on a
two-core machine. Access lines are JSON, one request a line, without the query string (links
in e-mails carry tokens there), with the tokens some paths carry masked, and without the
client's address (the proxy logs it).
"""

import json
import os
import time

from gunicorn.glogging import Logger

from ogp_portal.logs import mask

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threaded workers (gthread): WEB_CONCURRENCY processes of WEB_THREADS threads each. A request
# holds a database connection for as long as it runs (on a slow database, seconds), so each
# process's connection pool is as large as its threads (DATABASE_POOL_MIN/MAX default to
# WEB_THREADS in the settings, which refuse a smaller pool in production): no request waits for
# a connection another thread of its process holds. PostgreSQL needs WEB_CONCURRENCY ×
# WEB_THREADS connections for the site, plus the workers' and beat's. PROCESS_KIND=web (set by
# ogp_portal.wsgi) gives the site's connections their short statement and lock timeouts.
wsgi_app = "ogp_portal.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "8"))
# A request running longer than this is killed, its worker replaced; longer than the web
# statement timeout, so a slow statement ends as a 503, not a killed worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deployment, a scale-down) requests in progress have this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Shorter than the load balancer's idle timeout, so that the balancer closes first.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (give or take the jitter, so that workers
# do not all restart at once): whatever a long-lived process accumulates is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# Where workers write their heartbeat; the image sets memory (/dev/shm), not a disk that may stall.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None
# The site is loaded once, in the master, before the workers fork from it: the Korean analyser's
# model (ogp_portal.wsgi; seconds of CPU and about 700 MB) is shared by every worker, and a
# worker replaced after max_requests serves at once instead of loading it again while its
# siblings, recycled at about the same count, do the same. Loading opens no connection (a test
# holds that); each worker opens its own on its first request.
preload_app = True
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


class JsonLogger(Logger):
    """Access lines as JSON objects: time, method, path, status, bytes, duration, request id."""

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        line = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "type": "access",
            "method": environ.get("REQUEST_METHOD"),
            # Masked by the site (ogp_portal.logs.LOG_PATH): allauth's reset and confirmation
            # keys and the site's tokens stand in the path itself.
            "path": environ.get("portal.log_path") or mask(environ.get("PATH_INFO") or ""),
            "status": resp.status_code,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": environ.get("HTTP_X_REQUEST_ID"),
            "pid": os.getpid(),
        }
        self.access_log.info(json.dumps(line))


logger_class = JsonLogger
