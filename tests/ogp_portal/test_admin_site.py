"""The admin's front page as staff meet it: the council's work first, every name in Korean."""

from django.urls import reverse


def test_the_council_apps_come_first_and_every_model_has_a_korean_name(staff_client):
    apps = staff_client.get(reverse("admin:index")).context["app_list"]
    labels = [app["app_label"] for app in apps]
    assert labels[:4] == ["councils", "proposals", "consultations", "outbox"]
    names = {model["object_name"]: str(model["name"]) for app in apps for model in app["models"]}
    assert names["Authenticator"] == "2단계 인증 수단"
    # No model is listed under a name that is English only.
    assert [name for name in names.values() if name.isascii()] == []
