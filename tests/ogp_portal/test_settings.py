import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ogp_portal.settings.production",
    "DJANGO_SECRET_KEY": "k3#Vq9@zL1!pW7$rT5^yU2&iO8*aS4(dF6)gH0_jK-lZ+xC=vB",
    "DJANGO_ALLOWED_HOSTS": "ogp.gwangju.example",
    "DATABASE_URL": "postgres://ogp@db.invalid:5432/ogp",
    "REDIS_URL": "redis://cache.invalid:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
    "SITE_URL": "https://ogp.gwangju.example",
    "SMS_BACKEND": "verification.sms.HttpGateway",
    "VERIFICATION_HASH_KEY": "Xq3-verification-hash-key-kept-apart-from-the-secret",
    "AUDIT_PSEUDONYM_KEY": "Xq3-audit-pseudonym-key-kept-apart-from-the-secret",
    "DEFAULT_FROM_EMAIL": "광주광역시 OGP <ogp@gwangju.example>",
    "METRICS_TOKEN": "p8Yc2mQv7ZrK4tLw9NbX3sJd6HfA1eGu",
}


# The settings of production, left out of the environment a production test starts from.
PRODUCTION_PREFIXES = (
    "DJANGO_",
    "DATABASE",
    "TRUSTED_",
    "SMS_",
    "VERIFICATION_",
    "METRICS_",
    "STAFF_",
    "AUDIT_",
)


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(PRODUCTION_PREFIXES)}
    clean.pop("DEFAULT_FROM_EMAIL", None)
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


def production_env_without(*names: str) -> dict:
    return {k: v for k, v in PRODUCTION_ENV.items() if k not in names}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        pytest.param(
            production_env_without("DJANGO_SECRET_KEY"), "DJANGO_SECRET_KEY", id="no-secret-key"
        ),
        pytest.param(
            production_env_without("DATABASE_URL", "REDIS_URL"), "must", id="sqlite-and-no-broker"
        ),
        pytest.param(
            production_env_without("TRUSTED_PROXY_COUNT"),
            "TRUSTED_PROXY_COUNT",
            id="guessing-the-client-address",
        ),
        pytest.param(
            {**PRODUCTION_ENV, "SITE_URL": "http://ogp.gwangju.example"},
            "SITE_URL",
            id="e-mail-links-over-http",
        ),
        pytest.param(
            {**PRODUCTION_ENV, "SMS_BACKEND": "verification.sms.ConsoleGateway"},
            "SMS_BACKEND",
            id="codes-printed-to-the-console",
        ),
        pytest.param(
            production_env_without("SMS_BACKEND"), "SMS_BACKEND", id="sms-left-at-the-console"
        ),
        pytest.param(
            production_env_without("VERIFICATION_HASH_KEY"),
            "VERIFICATION_HASH_KEY",
            id="identity-keys-derived-from-the-secret-key",
        ),
        pytest.param(
            production_env_without("DEFAULT_FROM_EMAIL"),
            "DEFAULT_FROM_EMAIL",
            id="no-sender-address",
        ),
        pytest.param(
            {**PRODUCTION_ENV, "DEFAULT_FROM_EMAIL": "광주광역시 OGP <ogp@localhost>"},
            "DEFAULT_FROM_EMAIL",
            id="sender-at-localhost",
        ),
        pytest.param(
            production_env_without("AUDIT_PSEUDONYM_KEY"),
            "AUDIT_PSEUDONYM_KEY",
            id="pseudonyms-derived-from-the-secret-key",
        ),
        pytest.param(
            production_env_without("METRICS_TOKEN"), "METRICS_TOKEN", id="metrics-open-to-all"
        ),
        pytest.param(
            {**PRODUCTION_ENV, "STAFF_MFA_REQUIRED": "false"},
            "STAFF_MFA_REQUIRED",
            id="staff-without-second-factor",
        ),
    ],
)
def test_production_refuses_to_start_and_names_what_is_wrong(env, named):
    result = manage("check", env=env)
    assert result.returncode != 0
    assert named in result.stderr


def test_production_forces_the_staff_second_factor_when_its_setting_is_left_out():
    script = "from django.conf import settings; print(settings.STAFF_MFA_REQUIRED)"
    result = manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr


def test_production_behind_nginx_finds_the_client_address_in_its_header():
    env = {**production_env_without("TRUSTED_PROXY_COUNT"), "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    behind_nginx = manage("check", env=env)
    assert behind_nginx.returncode == 0, behind_nginx.stderr


def test_the_benchmark_runs_the_production_settings():
    """`make bench` serves the site with production settings on its own database and Redis."""
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "bench.settings"})
    assert result.returncode == 0, result.stderr


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


def test_production_refuses_an_object_store_without_its_keys():
    env = {**PRODUCTION_ENV, "S3_BUCKET": "ogp-media", "S3_ACCESS_KEY_ID": "key"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "S3_SECRET_ACCESS_KEY" in result.stderr
    env["S3_SECRET_ACCESS_KEY"] = "secret"
    assert manage("check", env=env).returncode == 0
