import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.production",
    "DJANGO_SECRET_KEY": "k3#Vq9@zL1!pW7$rT5^yU2&iO8*aS4(dF6)gH0_jK-lZ+xC=vB",
    "DJANGO_ALLOWED_HOSTS": "ogp.gwangju.example",
    "DATABASE_URL": "postgres://ogp@db.invalid:5432/ogp",
    "REDIS_URL": "redis://cache.invalid:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://ogp.gwangju.example",
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE", "TRUSTED_"))
    }
    clean.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_deploy_checks_with_zero_issues():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite_and_a_missing_broker():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "must" in result.stderr


def test_production_refuses_to_guess_how_to_find_the_client_address():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "TRUSTED_PROXY_COUNT"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
    behind_nginx = manage("check", env={**env, "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"})
    assert behind_nginx.returncode == 0, behind_nginx.stderr


def test_production_links_e_mails_over_https_only():
    result = manage("check", env={**PRODUCTION_ENV, "SITE_URL": "http://ogp.gwangju.example"})
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_production_never_runs_in_debug_even_when_asked():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        env={**PRODUCTION_ENV, "DJANGO_DEBUG": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_make_run_links_e_mails_to_the_port_it_serves():
    plan = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://127.0.0.1:8123 " in plan
    assert "runserver 127.0.0.1:8123" in plan
