"""Sessions stored so that a copy of the database opens none of them.

Django's database sessions keep the cookie's value as the row's key and the data signed but
readable: whoever reads `django_session` (a backup, an insider, a leaked replica) could send a
row's key as a cookie and be that person, staff who passed their second factor included, and
could read what a session holds for the sign-in under way (allauth keeps the code it mailed for
"sign in with a code" in the requester's session). Here the row is found by a hash of the
cookie's value (SHA-256: the value is 32 random characters, so no key is needed to keep it from
being guessed back), and the data is sealed as the outbox's account e-mails are (`outbox.seal`:
Fernet under a key derived from `SECRET_KEY`). The cookie alone opens its session.

Rows written before this store are not found by their hash: those sessions end, once.
"""

import hashlib

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from outbox.seal import seal_data, unseal_data


def stored_key(session_key: str) -> str:
    """The row's key for a cookie's value: 40 hex characters of its SHA-256 (the column's size)."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(db.SessionStore):
    def encode(self, session_dict) -> str:
        return seal_data(super().encode(session_dict))

    def decode(self, session_data: str) -> dict:
        opened = unseal_data(session_data)
        return super().decode(opened) if isinstance(opened, str) else {}

    def _get_session_from_db(self):
        try:
            return self.model.objects.get(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            )
        except (self.model.DoesNotExist, SuspiciousOperation):
            self._session_key = None

    def exists(self, session_key) -> bool:
        return self.model.objects.filter(session_key=stored_key(session_key)).exists()

    def create_model_instance(self, data):
        return self.model(
            session_key=stored_key(self._get_or_create_session_key()),
            session_data=self.encode(data),
            expire_date=self.get_expiry_date(),
        )

    def delete(self, session_key=None) -> None:
        session_key = session_key or self.session_key
        if session_key is None:
            return
        self.model.objects.filter(session_key=stored_key(session_key)).delete()
