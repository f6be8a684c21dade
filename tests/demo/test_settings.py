"""The demo data and the benchmark's generator are commands of apps that production never
installs: a live site cannot load demo accounts or benchmark data."""

from django.conf import settings

from tests.ogp_portal.test_settings import PRODUCTION_ENV, manage


def test_production_has_no_demo_and_no_benchmark_command():
    for command in ["load_demo", "bench_data"]:
        result = manage(command, env=PRODUCTION_ENV)
        assert result.returncode != 0
        assert f"Unknown command: '{command}'" in result.stderr


def test_local_development_loads_the_demo():
    local = {"DJANGO_SETTINGS_MODULE": "ogp_portal.settings.local"}
    result = manage("help", "load_demo", env=local)
    assert result.returncode == 0, result.stderr


def test_the_tests_install_both():
    assert {"demo", "bench"} <= set(settings.INSTALLED_APPS)
