import datetime as dt

import pytest

from verification import services

RESIDENTS_CSV = (
    "name,birth_date,district\n"
    "김민지,1990-03-01,북구\n"
    "이서준,2012-07-15,gwangsan\n"
    "박지훈,1975-11-30,남구\n"
).encode()

KIM = {"name": "김민지", "birth_date": dt.date(1990, 3, 1), "district": "buk"}
LEE = {"name": "이서준", "birth_date": dt.date(2012, 7, 15), "district": "gwangsan"}


@pytest.fixture
def residents(db):
    return services.residents_import(data=RESIDENTS_CSV)


class SentMessages:
    """An SMS backend that keeps what it would send (settings.SMS_BACKEND points here)."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append((to, text))


@pytest.fixture
def sms(settings):
    settings.SMS_BACKEND = "tests.verification.conftest.SentMessages"
    SentMessages.outbox = []
    return SentMessages.outbox


def code_in(text: str) -> str:
    return next(
        word for word in text.replace(".", " ").split() if word.isdigit() and len(word) == 6
    )
