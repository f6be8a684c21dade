"""Second factors' secrets stored before they were sealed (`adapters.MfaAdapter`) are sealed.

The seal is written here as `outbox.seal` makes it today (Fernet under a key derived from
SECRET_KEY by HKDF-SHA256 with the outbox's label), so that this migration does not change when
that code does. Staff accounts only hold second factors: a few rows.
"""

import base64
import json

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations

PREFIX = "sealed:"
SECRETS = {"totp": "secret", "recovery_codes": "seed"}


def _fernet() -> Fernet:
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ogp-portal outbox seal"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal_every_secret(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    fernet = _fernet()
    for authenticator in Authenticator.objects.filter(type__in=SECRETS):
        field = SECRETS[authenticator.type]
        value = authenticator.data.get(field)
        if isinstance(value, str) and not value.startswith(PREFIX):
            sealed = fernet.encrypt(json.dumps(value).encode()).decode()
            authenticator.data = {**authenticator.data, field: PREFIX + sealed}
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("mfa", "0003_authenticator_type_uniq"),
        ("ogp_portal", "0009_public_name"),
    ]

    operations = [
        migrations.RunPython(seal_every_secret, migrations.RunPython.noop, elidable=True),
    ]
