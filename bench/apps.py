from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's data generator (`manage.py bench_data`), installed by the benchmark's
    settings and the tests' only."""

    name = "bench"
    label = "bench"
