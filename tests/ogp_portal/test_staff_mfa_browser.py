"""Staff set up their second factor in Chromium, in plain Korean and English, start to finish,
with a way back to the admin; every state audited (`tests.accessibility.Journey`)."""

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from ogp_portal import enrolment
from tests.accessibility import Journey
from tests.factories import UserFactory
from tests.totp import current_code

pytestmark = pytest.mark.browser

PASSWORD = "a-long-staff-password-7"
# Latin words a Korean page may hold: names of apps and standards.
ALLOWED_LATIN = {
    "OGP",
    "QR",
    "Google",
    "Microsoft",
    "Authenticator",
    "Password",
    "KRDS",
}  # 1Password


def latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN


# Done when: the staff 2FA path in Chromium has no mixed-language label.


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ko", "en"])
def test_staff_set_up_the_second_factor_in_one_language_and_return_to_the_admin(
    page, transactional_db, screenshot, sign_in, prefix
):
    staff = UserFactory(username="new-staff", is_staff=True, is_superuser=True)
    staff.set_password(PASSWORD)
    staff.save(update_fields=["password"])
    journey = Journey(page, f"staff-mfa{prefix.replace('/', '-')}", screenshot)
    sign_in(page, staff.email, PASSWORD)
    # The invitation's link, as the secretariat sends it: without it no set-up opens.
    link = enrolment.staff_invitation_send(user=staff, by=staff)
    page.goto(prefix + urlsplit(link).path)
    page.locator("main form [type=submit]").click()

    page.goto(prefix + reverse("admin:index"))
    # straight to the set-up: no second password prompt right after signing in
    page.wait_for_url(f"**{prefix}{reverse('mfa_activate_totp')}*")
    journey.check("mfa-set-up")
    main = page.locator("main").inner_text()
    if prefix:
        assert not re.search(r"[가-힣]", main)
    else:
        assert latin_words(main) == set(), latin_words(main)
    assert page.get_by_role("link", name=re.compile("Not now|나중에")).is_visible()

    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", "000000")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    journey.check("mfa-wrong-code")

    page.fill("input[name=code]", current_code(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{prefix}{reverse('mfa_view_recovery_codes')}")
    journey.check("mfa-recovery-codes")
    main = page.locator("main").inner_text()
    if prefix:
        assert not re.search(r"[가-힣]", main)
        assert "10 of your 10 recovery codes are still unused" in main
    else:
        assert latin_words(main) == set(), latin_words(main)
        assert "복구 코드 10개 중 10개가 아직" in main and "계정 중" not in main
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()

    page.get_by_role("link", name=re.compile("admin|관리")).last.click()
    page.wait_for_url(f"**{prefix}{reverse('admin:index')}")
    journey.check("admin-after-mfa")
    journey.finish()
