"""What the audit trail tracks: everything staff change in the admin, nothing of a ballot."""

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib import admin

# Models the admin shows that the trail leaves out, and why.
LEFT_OUT = {
    "audit.AuditEntry": "the trail itself, append-only",
    "audit.AccessRecord": "the access records, append-only like the trail",
    "audit.Pseudonymisation": "the ledger of pseudonymisations, written by their function only",
    "outbox.Message": "every e-mail sent; its admin action (send again) is recorded as an action",
    "socialaccount.SocialToken": "sign-in tokens are secrets, rewritten at every social sign-in",
    "verification.ResidentEntry": "keyed hashes only, replaced in bulk by each import of the list",
    "verification.SmsSend": "keyed hashes of each text message, written by sending, never by staff",
    "opinions.OpinionMapResult": "the grouping's result, computed again by beat every ten minutes",
}
# Models that must never be tracked: they would tie a person to a choice or a time of voting.
SECRET_BALLOT = [
    "consultations.Ballot",
    "consultations.BallotChoice",
    "consultations.Participation",
    "consultations.ParticipationKey",
]


def admin_models():
    for model, model_admin in admin.site._registry.items():
        yield model
        for inline in model_admin.inlines:
            yield inline.model


@pytest.mark.parametrize("model", sorted({m._meta.label for m in admin_models()}))
def test_every_model_of_the_admin_is_tracked_or_left_out_with_a_reason(model):
    tracked = auditlog.contains(apps.get_model(model))
    assert tracked != (model in LEFT_OUT), model


@pytest.mark.parametrize("model", SECRET_BALLOT)
def test_nothing_of_a_ballot_is_tracked(model):
    try:
        model_class = apps.get_model(model)
    except LookupError:
        return  # the ballot box may be stored otherwise; then there is nothing to track
    assert not auditlog.contains(model_class)


def test_no_model_of_the_ballot_app_but_polls_options_and_results_is_tracked():
    tracked = {
        m._meta.label
        for m in apps.get_app_config("consultations").get_models()
        if auditlog.contains(m)
    }
    # A booth's officers and its paper totals (entered once, for the whole booth) tie no one
    # to a choice.
    allowed = {"consultations.Poll", "consultations.Option", "consultations.Result"}
    assert tracked <= allowed | {"consultations.Booth"}
