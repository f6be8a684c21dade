import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):
        return ["docker", "compose"]
    return None


def test_compose_file_is_valid_and_runs_one_image_for_web_worker_and_beat(tmp_path):
    command = compose_command()
    require(command is not None, "docker compose")
    (tmp_path / ".env").write_text("")
    result = subprocess.run(
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
        env={
            **os.environ,
            "POSTGRES_PASSWORD": "example",
            "DJANGO_SECRET_KEY": "example",
            "DJANGO_ALLOWED_HOSTS": "ogp.example",
            "SITE_URL": "https://ogp.example",
        },
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ("web:", "worker:", "beat:", "db:", "redis:"):
        assert f"\n  {service}" in config
    assert config.count("image: ogp-portal:latest") >= 3
    assert "celery" in config and "gunicorn" in config
