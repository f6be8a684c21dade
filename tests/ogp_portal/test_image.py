"""The image: built from the hashed lock, without tests, run by gunicorn from its config file."""

import json
import logging
import re
import runpy
import subprocess
import sys
import tomllib
from datetime import timedelta
from importlib import metadata
from pathlib import Path

from gunicorn.config import Config
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            found[canonicalize_name(match[1])] = match[2]
    return found


def runtime_closure() -> set[str]:
    """Every package the project's runtime dependencies need here, extras and markers applied."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    todo = [Requirement(line) for line in project["dependencies"]]
    seen: set[str] = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(requirement.name) or []:
            needed = Requirement(line)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in requirement.extras or {""}
            ):
                todo.append(needed)
    return seen


def test_deploy_lock_holds_the_runtime_packages_of_the_lock_each_with_hashes():
    deploy = pins(ROOT / "requirements-deploy.lock")
    lock = pins(ROOT / "requirements.lock")
    assert {name: version for name, version in deploy.items() if lock.get(name) != version} == {}
    assert runtime_closure() - set(deploy) == set(), "run `make lock-deploy`"
    assert not {"pytest", "playwright", "ruff", "bandit"} & set(deploy), "test tools"
    text = (ROOT / "requirements-deploy.lock").read_text()
    for block in re.split(r"\n(?=\S)", text.strip()):
        if PIN.match(block):
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_dockerfile_installs_the_hashed_lock_and_runs_unprivileged_with_a_healthcheck():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes --no-deps" in dockerfile
    assert "requirements-deploy.lock" in dockerfile
    stages = re.findall(r"^FROM \S+ AS (\w+)", dockerfile, re.MULTILINE)
    assert stages[-2:] == ["build", "runtime"]
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert "pip install" not in runtime
    assert re.search(r"^USER ogp$", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime and "/healthz" in runtime
    assert '"--config", "deploy/gunicorn.conf.py"' in runtime
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"tests", "bench", ".venv", ".git", "media"} <= set(ignored)


def test_gunicorn_config_takes_its_numbers_from_the_environment():
    printed = subprocess.run(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--print-config",
            "ogp_portal.wsgi:application",
        ],
        env={"PATH": "/usr/bin:/bin", "WEB_CONCURRENCY": "5", "GUNICORN_MAX_REQUESTS": "700"},
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    settings = dict(
        line.split("=", 1)
        for line in (row.replace(" ", "") for row in printed.splitlines())
        if "=" in line
    )
    assert settings["workers"] == "5"
    assert settings["max_requests"] == "700"
    assert settings["max_requests_jitter"] == "100"
    assert settings["graceful_timeout"] == "30"
    assert settings["timeout"] == "30"
    assert "JsonLogger" in settings["logger_class"]


def test_access_log_lines_are_json_without_query_string(caplog):
    config = Config()
    config.set("accesslog", "-")
    logger = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["JsonLogger"](config)
    logger.access_log.propagate = True
    response = type("Response", (), {"status_code": 200, "sent": 512})()
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/notifications/unsubscribe/",
        "QUERY_STRING": "token=secret-token",
        "HTTP_X_REQUEST_ID": "abc123",
    }
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        logger.access(response, None, environ, timedelta(milliseconds=12))
    line = json.loads(caplog.records[-1].getMessage())
    assert line["path"] == "/notifications/unsubscribe/"
    assert line["status"] == 200 and line["request_id"] == "abc123"
    assert "secret-token" not in caplog.text
