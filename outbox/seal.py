"""Sealing the text of account e-mails while they wait in the outbox.

A confirmation, sign-in code or password-reset e-mail carries a secret that takes over the
account. Its text is stored encrypted (Fernet: AES-128-CBC with HMAC-SHA256) under a key derived
from `SECRET_KEY` (HKDF-SHA256, its own label), and erased once the message is sent or has
failed for good. Whoever reads the outbox table, in the admin or in a copy of the database,
finds no link. The key comes from `SECRET_KEY` on purpose: whoever holds `SECRET_KEY` can forge
reset links anyway, so a second secret would protect nothing more; the keys in
`SECRET_KEY_FALLBACKS` still open what was sealed before a rotation.
"""

import base64
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

LABEL = b"ogp-portal outbox seal"


def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(*, body: str, html_body: str) -> str:
    return seal_data([body, html_body])


def unseal(sealed: str) -> tuple[str, str]:
    """The text and HTML of a sealed message; a seal no key opens reads as empty."""
    body, html_body = unseal_data(sealed) or ("", "")
    return body, html_body


def seal_data(data) -> str:
    """JSON data sealed, with the time of sealing (URL-safe: links may carry it)."""
    return _keys().encrypt(json.dumps(data).encode()).decode()


def unseal_data(sealed: str, *, max_age: int | None = None):
    """The data, or None when no key opens the seal or it is older than `max_age` seconds."""
    try:
        return json.loads(_keys().decrypt(sealed.encode(), ttl=max_age))
    except (InvalidToken, ValueError):
        return None
