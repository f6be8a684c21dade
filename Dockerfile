# syntax=docker/dockerfile:1
# One image for the web servers, the Celery workers and Celery beat (docs/deploy.md).
# Build stage: the Python packages of requirements-deploy.lock, each checked against its hash,
# into a virtual environment, and the static files collected. Runtime stage: that environment
# and the application, owned by root and run by the unprivileged user `ogp`, who may write
# only /app/media (uploads when no object store is configured) and /tmp.

# The front-end packages (KRDS) come from npm, pinned by package-lock.json; only the runtime ones.
FROM node:20-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
# Exactly the locked releases, as wheels whose hashes match; nothing resolved on build day.
COPY requirements-deploy.lock /tmp/requirements-deploy.lock
RUN pip install --require-hashes --no-deps --only-binary=:all: -r /tmp/requirements-deploy.lock
WORKDIR /app
# .dockerignore keeps tests, benchmarks, documentation and local data out.
COPY . .
COPY --from=frontend /app/node_modules node_modules
RUN DJANGO_SETTINGS_MODULE=ogp_portal.settings.production DJANGO_SECRET_KEY=build-only \
    DJANGO_ALLOWED_HOSTS=localhost SITE_URL=https://localhost TRUSTED_PROXY_COUNT=0 \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput \
 && python -m compileall -q /app

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=ogp_portal.settings.production GUNICORN_WORKER_TMP_DIR=/dev/shm
RUN useradd --system --uid 1000 --create-home --home-dir /home/ogp --shell /usr/sbin/nologin ogp
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
RUN install -d -o ogp -g ogp /app/media
WORKDIR /app
USER ogp
EXPOSE 8000
# The process answers (no dependency checked: /readyz is for the load balancer).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"]
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "ogp_portal.wsgi:application"]
