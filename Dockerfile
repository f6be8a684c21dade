# One image for the web server, the Celery worker and Celery beat.
# The front-end packages (KRDS) come from npm, pinned by package-lock.json; only the runtime ones.
FROM node:20-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=ogp_portal.settings.production
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml build-constraints.txt README.md ./
COPY ogp_portal ogp_portal
COPY councils councils
COPY proposals proposals
COPY consultations consultations
COPY outbox outbox
COPY verification verification
COPY privacy privacy
COPY audit audit
COPY public_site public_site
RUN pip install --no-cache-dir --upgrade "pip>=25.3" \
 && pip install --no-cache-dir --build-constraint build-constraints.txt .
COPY . .
COPY --from=frontend /app/node_modules node_modules
RUN DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost SITE_URL=https://localhost TRUSTED_PROXY_COUNT=0 \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 ogp && mkdir -p /app/media && chown ogp /app/media
USER ogp
EXPOSE 8000
CMD ["gunicorn", "--config", "python:ogp_portal.gunicorn_conf"]
