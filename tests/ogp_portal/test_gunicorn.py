"""The web servers' gunicorn (deploy/gunicorn.conf.py) loads the site in its master, before the
workers fork: what the master holds then, every worker inherits."""

import importlib.util
import json
import os
import subprocess
import sys

from tests.conftest import require
from tests.ogp_portal.test_settings import PRODUCTION_ENV, PRODUCTION_PREFIXES, ROOT

# Run in the master's place: the site as gunicorn loads it (wsgi_app), then what it holds.
LOAD_THE_SITE = """
import json, os
from ogp_portal import wsgi
from ogp_portal import morphemes

links = [f"/proc/self/fd/{fd}" for fd in os.listdir("/proc/self/fd")]
targets = [os.readlink(link) for link in links if os.path.exists(link)]
sockets = [target for target in targets if target.startswith("socket:")]
print(json.dumps({"sockets": sockets, "analyser": morphemes._kiwi.cache_info().currsize}))
"""


def gunicorn_conf():
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", ROOT / "deploy" / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf


def test_the_master_loads_the_site_and_its_analyser_without_opening_a_connection():
    """The master forks every worker, and again whenever one is replaced (max_requests): a
    connection it opened would be shared by all of them. It loads the Korean analyser's model
    once, so a replaced worker does not spend seconds of CPU loading it again under load (the
    cluster test saw both workers of a server recycled at once, and the server out of rotation)."""
    database, redis = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    # Real services: a connection made while loading would succeed and be seen as a socket.
    require(database.startswith("postgres") and redis, "PostgreSQL and Redis (DATABASE_URL)")
    conf = gunicorn_conf()
    assert conf.preload_app is True
    assert conf.wsgi_app == "ogp_portal.wsgi:application"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PRODUCTION_PREFIXES)}
    result = subprocess.run(
        [sys.executable, "-c", LOAD_THE_SITE],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "DATABASE_URL": database, "REDIS_URL": redis},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    held = json.loads(result.stdout.strip().splitlines()[-1])
    assert held == {"sockets": [], "analyser": 1}, held
