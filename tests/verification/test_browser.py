"""Verifying a mobile phone by SMS code (console backend), in Korean and in English."""

import pytest

from tests.verification.conftest import code_in
from verification.models import Method, Verification

TEXTS = {
    "ko": {
        "prefix": "",
        "phone": "휴대전화로 (문자 인증번호)",
        "number": "휴대전화 번호",
        "send": "인증번호 보내기",
        "code": "문자 메시지의 인증번호",
        "verify": "확인",
        "done": "휴대전화 본인 확인을 마쳤습니다.",
        "held": "휴대전화 (문자 인증번호)",
    },
    "en": {
        "prefix": "/en",
        "phone": "By mobile phone (a code by text message)",
        "number": "Mobile number",
        "send": "Send a code",
        "code": "Code from the text message",
        "verify": "Verify",
        "done": "Your mobile phone is verified.",
        "held": "A mobile phone (SMS code)",
    },
}


@pytest.mark.browser
@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_citizen_verifies_a_phone_by_sms_code(
    page, demo_site, sign_in, screenshot, capsys, settings, language
):
    settings.SMS_BACKEND = "verification.sms.ConsoleGateway"
    text = TEXTS[language]
    sign_in(page, "citizen@ogp-demo.example", "ogp-citizen-2021")
    page.goto(f"{text['prefix']}/verify/")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_role("link", name=text["phone"]).click()
    page.get_by_label(text["number"]).fill("010-4321-8765")
    capsys.readouterr()
    page.get_by_role("button", name=text["send"]).click()
    code = code_in(capsys.readouterr().out)
    page.get_by_label(text["code"]).fill(code)
    page.get_by_label(text["code"]).focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_url(f"**{text['prefix']}/verify/")
    assert text["done"] in page.locator("main").inner_text() or text["done"] in page.content()
    assert text["held"] in page.locator("#held").inner_text()
    screenshot(page, f"verify-phone-{language}")
    assert Verification.objects.get(user__username="citizen").method == Method.PHONE
