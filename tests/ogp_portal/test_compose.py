"""docker-compose.yml and .env.example: the stack compose runs, and every setting named."""

import ast
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "ogp_portal" / "settings"
REQUIRED = {
    "POSTGRES_PASSWORD": "example",
    "POSTGRES_APP_PASSWORD": "example-app",
    "METRICS_TOKEN": "example-metrics-token-of-32-characters",
    "DJANGO_SECRET_KEY": "example",
    "DJANGO_ALLOWED_HOSTS": "ogp.example",
    "SITE_URL": "https://ogp.example",
    "DEFAULT_FROM_EMAIL": "ogp@ogp.example",
    "PRIVACY_OFFICER_CONTACT": "privacy@ogp.example",
    "VERIFICATION_HASH_KEY": "example-hash-key",
    "AUDIT_PSEUDONYM_KEY": "example-pseudonym-key",
    "S3_ACCESS_KEY_ID": "example-key",
    "S3_SECRET_ACCESS_KEY": "example-secret",
}
LONG_RUNNING = ("proxy", "db", "redis", "objects", "web", "worker", "beat")


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    return None


def compose_config(tmp_path, environment: dict) -> subprocess.CompletedProcess:
    command = compose_command()
    require(command is not None, "docker compose")
    (tmp_path / ".env").write_text("")
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(
        [
            *command,
            "--project-directory",
            str(ROOT),
            "--env-file",
            str(tmp_path / ".env"),
            "-f",
            str(ROOT / "docker-compose.yml"),
            "config",
        ],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def config(tmp_path) -> dict:
    result = compose_config(tmp_path, REQUIRED)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_runs_one_image_for_web_worker_and_beat(config):
    services = config["services"]
    assert {"proxy", "web", "worker", "beat", "db", "redis", "objects", "migrate"} <= set(services)
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["image"] == "ogp-portal:latest"
    assert "gunicorn" in services["web"]["command"]
    assert "deploy/gunicorn.conf.py" in services["web"]["command"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "ogp_portal", "worker"]


def test_redis_is_bounded_and_drops_only_keys_that_expire(config):
    """Cached pages are kept per address (any search's words): unbounded, requests could fill
    the server's memory; the queue and beat's schedule expire never, so they are never dropped."""
    command = config["services"]["redis"]["command"]
    assert command[command.index("--maxmemory") + 1] == "1gb"
    assert command[command.index("--maxmemory-policy") + 1] == "volatile-lru"


def test_a_tls_proxy_stands_before_the_web_server_which_trusts_exactly_it(config):
    services = config["services"]
    assert services["proxy"]["image"].startswith("caddy:")
    assert "ports" not in services["web"]  # reached only through the proxy
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "reverse_proxy web:8000" in caddyfile and "health_uri /readyz" in caddyfile
    environment = services["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "true"
    assert environment["SITE_URL"].startswith("https://")


def test_every_long_running_service_has_a_health_check(config):
    for name in LONG_RUNNING:
        assert config["services"][name].get("healthcheck", {}).get("test"), name
    assert "/healthz" in " ".join(config["services"]["web"]["healthcheck"]["test"])


def test_beat_holds_redbeats_lock_and_uploads_go_to_the_object_store(config):
    services = config["services"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "ogp_portal", "beat"]
    assert "redbeat::lock" in " ".join(services["beat"]["healthcheck"]["test"])
    assert services["objects"]["image"].startswith("chrislusf/seaweedfs:")
    environment = services["web"]["environment"]
    assert environment["S3_ENDPOINT_URL"] == "http://objects:8333"
    assert environment["S3_BUCKET"]
    base = (SETTINGS / "base.py").read_text()
    assert 'CELERY_BEAT_SCHEDULER = "redbeat.RedBeatScheduler"' in base


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_compose_stops_with_a_message_when_a_required_value_is_missing(tmp_path, missing):
    result = compose_config(tmp_path, {k: v for k, v in REQUIRED.items() if k != missing})
    assert result.returncode != 0
    assert missing in result.stderr


def settings_names() -> set[str]:
    """Every name the settings read with `env(...)`, `env.int(...)` and the like."""
    names = set()
    # What production reads: base and production (local and test serve developers only).
    for path in [SETTINGS / "base.py", SETTINGS / "production.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            function = node.func
            is_env = (isinstance(function, ast.Name) and function.id == "env") or (
                isinstance(function, ast.Attribute)
                and isinstance(function.value, ast.Name)
                and function.value.id == "env"
            )
            if is_env and isinstance(node.args[0], ast.Constant):
                names.add(node.args[0].value)
    return names


def gunicorn_names() -> set[str]:
    text = (ROOT / "deploy" / "gunicorn.conf.py").read_text()
    return set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', text))


def example_names() -> set[str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0] for line in lines if re.match(r"^[A-Z_0-9]+=", line)}


def test_env_example_names_every_setting_and_compose_passes_each():
    # PROCESS_KIND is set by the process itself (ogp_portal.wsgi), never by the operator.
    read = (settings_names() | gunicorn_names()) - {"PROCESS_KIND"}
    assert len(settings_names()) > 40
    assert read - example_names() == set(), "missing from .env.example"
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    passed = set(compose["x-app"]["environment"])
    assert read - passed == set(), "not passed by docker-compose.yml"
    # And nothing in .env.example that nobody reads.
    compose_only = {
        "POSTGRES_PASSWORD",
        "POSTGRES_APP_PASSWORD",
        "MIGRATION_LOCK_TIMEOUT",
        "SITE_DOMAIN",
        "FILES_DOMAIN",
        "REDIS_MAXMEMORY",
    }
    assert example_names() - read - compose_only == set()
