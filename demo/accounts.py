"""Demo accounts: one per role, with verified e-mail addresses and consents, marked as demo."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from privacy.models import Consent
from privacy.services import consents_record

CREDENTIALS = {
    "secretariat (staff)": ("secretariat@ogp-demo.example", "ogp-secretariat-2021"),
    "working-group lead": ("lead@ogp-demo.example", "ogp-lead-2021"),
    "citizen": ("citizen@ogp-demo.example", "ogp-citizen-2021"),
}


def _account(*, email: str, password: str, first_name: str, is_staff: bool = False):
    user, created = get_user_model().objects.get_or_create(
        username=email.split("@")[0],
        defaults={
            "email": email,
            "first_name": first_name,
            "display_name": first_name,
            "is_staff": is_staff,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    # Made-up people: recorded as having agreed, as a real person does when signing up.
    consents_record(user=user, kinds=[Consent.Kind.TERMS, Consent.Kind.PRIVACY])
    return user


def load() -> dict:
    """Creates the three demo accounts (once) and returns them by role."""
    staff_email, staff_password = CREDENTIALS["secretariat (staff)"]
    lead_email, lead_password = CREDENTIALS["working-group lead"]
    citizen_email, citizen_password = CREDENTIALS["citizen"]
    secretariat = _account(
        email=staff_email, password=staff_password, first_name="사무국(데모)", is_staff=True
    )
    if not secretariat.is_superuser:
        secretariat.is_superuser = True
        secretariat.save(update_fields=["is_superuser"])
    return {
        "secretariat": secretariat,
        "lead": _account(email=lead_email, password=lead_password, first_name="김종필(데모)"),
        "citizen": _account(
            email=citizen_email, password=citizen_password, first_name="시민(데모)"
        ),
    }
