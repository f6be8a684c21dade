# The two commands of the README: `make run` and `make test`. Everything else is set up by them.
# `make bench` measures the portal under load (see "Benchmarks" in the README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails lead to the site as `make run` serves it.
SITE_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installed
# Front-end packages (KRDS, and the accessibility checkers of the tests) come from npm.
NODE_STAMP := node_modules/.installed

BENCH_SCALE ?= 0.01

# The periodic jobs of `make run`: a Celery worker with its beat, on a broker kept in files
# under JOBS_DIR (or on Redis when REDIS_URL is set), as production runs worker and beat.
JOBS_DIR ?= .run
JOBS = mkdir -p $(JOBS_DIR)/queue $(JOBS_DIR)/control && LOCAL_BROKER_DIR=$(JOBS_DIR) exec \
  $(BIN)/celery -A ogp_portal worker --beat --schedule $(JOBS_DIR)/beat-schedule --pool solo \
  --without-gossip --without-mingle --without-heartbeat --loglevel INFO

.PHONY: run jobs test test-faults test-cluster install browser lint bench lock lock-deploy

# requirements.lock pins every package `make install` puts into .venv (Linux, CPython 3.11);
# pip-audit checks it in CI. `make lock` refreshes it from the newest releases allowed by
# pyproject.toml, in a scratch environment.
$(STAMP): pyproject.toml build-constraints.txt requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.3"
	$(BIN)/python -m pip install --quiet --build-constraint build-constraints.txt \
	  --constraint requirements.lock -e ".[test]"
	touch $(STAMP)

lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade "pip>=25.3"
	.venv-lock/bin/python -m pip install --quiet --build-constraint build-constraints.txt -e ".[test]"
	.venv-lock/bin/python -m pip freeze --exclude-editable > requirements.lock
	rm -rf .venv-lock
	$(MAKE) lock-deploy

# requirements-deploy.lock: the runtime packages of requirements.lock (no test tools), each with
# the sha256 of every file PyPI has for it; the image installs it with --require-hashes.
# Run after any change to requirements.lock (tests/ogp_portal/test_image.py checks they agree).
UV_VERSION := 0.13.9
lock-deploy:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet "uv==$(UV_VERSION)"
	.venv-lock/bin/uv pip compile pyproject.toml --constraint requirements.lock --generate-hashes \
	  --python-version 3.11.7 --python-platform x86_64-manylinux_2_28 --no-header --no-annotate \
	  --quiet -o requirements-deploy.lock
	rm -rf .venv-lock

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js 20 or newer with npm is needed for the front-end packages (KRDS): install Node.js (e.g. the Debian packages nodejs and npm), then run make again."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

run: $(STAMP) $(NODE_STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Serving http://127.0.0.1:$(PORT), periodic jobs running beside it (make jobs)"
	( $(JOBS) ) & jobs=$$!; trap 'kill $$jobs 2>/dev/null; wait $$jobs' EXIT INT TERM; \
	  LOCAL_BROKER_DIR=$(JOBS_DIR) SITE_URL=$(SITE_URL) \
	  $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The worker and beat of `make run` alone (to run them beside a site started another way).
jobs: $(STAMP)
	$(JOBS)

# Browser tests drive Debian's Chromium; install it (as root) when it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" || \
	  { if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; \
	    else echo "Install the Debian packages chromium and fonts-noto-cjk for the browser tests."; fi; }

test: $(STAMP) $(NODE_STAMP) browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Fault tests start and kill their own Redis, SMTP sinks, site and workers (PostgreSQL needed).
test-faults: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -m faults $(PYTEST_ARGS)

# The cluster test: network-namespace hosts behind HAProxy (installed with apt when run as root).
test-cluster: $(STAMP) $(NODE_STAMP)
	@command -v haproxy >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy; \
	    else echo "Install the Debian package haproxy, and run the cluster test as root."; exit 1; fi; }
	$(BIN)/python -m pytest -m cluster tests/cluster $(PYTEST_ARGS)

# ruff, and the layers of docs/architecture.md as import-linter's contracts (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Load benchmark against PostgreSQL and Redis with wrk (installed with apt when run as root).
# Quick by default; `make bench BENCH_SCALE=1` is the full size and writes bench/RESULTS.md.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	    else echo "Install the Debian package wrk."; exit 1; fi; }
	$(BIN)/python bench/load.py --scale $(BENCH_SCALE) $(BENCH_ARGS)
	$(BIN)/python bench/opinions.py
	$(BIN)/python bench/search.py --scale $(BENCH_SCALE)
	$(BIN)/python bench/freeze.py --scale $(BENCH_SCALE)
