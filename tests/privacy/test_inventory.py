"""The inventory covers every model field that holds personal data, and only real fields."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from privacy.inventory import AUDIENCES, inventory

# Types that hold personal data wherever they appear.
PERSONAL_TYPES = (models.EmailField, models.GenericIPAddressField, models.FileField)
# Fields that hold it without saying so by their type.
ALSO_PERSONAL = {
    "sessions.Session.session_data",
    "socialaccount.SocialAccount.uid",
    "socialaccount.SocialAccount.extra_data",
    "mfa.Authenticator.data",
    "outbox.Message.subject",
    "outbox.Message.body",
    "outbox.Message.html_body",
    "proposals.Proposal.contact",
    "councils.MinutesComment.body",
    "councils.CommitteeMember.name",
}


def field_name(model, field) -> str:
    return f"{model._meta.app_label}.{model.__name__}.{field.name}"


def personal_fields() -> set[str]:
    """Every field of the account model, every link to it, every field of a personal type."""
    user = get_user_model()
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # the other side of a relation, listed where it is declared
            if (
                (model is user and not field.primary_key)
                or (field.is_relation and field.related_model is user)
                or isinstance(field, PERSONAL_TYPES)
            ):
                found.add(field_name(model, field))
    return found | ALSO_PERSONAL


def test_every_personal_field_has_an_entry():
    missing = personal_fields() - inventory().fields
    assert not missing, f"add these fields to privacy/inventory.toml: {sorted(missing)}"


def test_a_new_link_to_the_account_needs_an_entry():
    """The check catches a field nobody listed: the test above is not vacuous."""
    assert "proposals.Proposal.author" in personal_fields()
    assert "consultations.Participation.user" in personal_fields()
    assert "ogp_portal.User.first_name" in personal_fields()


@pytest.mark.parametrize("name", sorted(inventory().fields))
def test_every_listed_field_exists(name):
    app_label, model_name, field = name.split(".")
    model = apps.get_model(app_label, model_name)
    try:
        model._meta.get_field(field)
    except FieldDoesNotExist:
        pytest.fail(f"{name} is in the inventory but not in the models")


def test_entries_are_complete_in_both_languages():
    data = inventory()
    assert data.version
    keys = [item.key for item in data.items]
    assert len(keys) == len(set(keys))
    for item in data.items:
        assert item.name.ko and item.name.en and item.purpose.ko and item.purpose.en
        assert item.basis.ko.startswith("제15조") and item.basis.en.startswith("Art. 15")
        assert str(item.retention)
        assert item.audience in AUDIENCES
        assert item.fields, item.key


def test_the_retention_job_reads_its_periods_from_the_inventory():
    retention = inventory().retention
    assert {key for key, r in retention.items() if r.days} == {
        "unverified",
        "session",
        "form",
        "outbox",
        "access_log",
    }
