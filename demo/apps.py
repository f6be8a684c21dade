from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: the council of the 2021 source document and one account per role, loaded by
    `manage.py load_demo`. Installed by the local and test settings only, never in production."""

    name = "demo"
    label = "demo"
