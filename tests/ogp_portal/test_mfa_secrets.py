"""Second factors' secrets are stored sealed (`ogp_portal.adapters.MfaAdapter`): a copy of the
database and a stolen password do not pass the second factor."""

import importlib
import json

import pytest
from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    generate_totp_secret,
)
from django.apps import apps

from ogp_portal.adapters import UnsealedSecret
from tests.factories import UserFactory
from tests.totp import current_code


def stored(user, kind: str) -> str:
    return json.dumps(Authenticator.objects.get(user=user, type=kind).data)


def test_the_totp_key_is_stored_sealed_and_still_checks_codes(db):
    user = UserFactory(is_staff=True)
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret)
    assert secret not in stored(user, Authenticator.Type.TOTP)
    assert '"sealed:' in stored(user, Authenticator.Type.TOTP)
    assert totp.validate_code(current_code(secret))
    assert not TOTP(totp.instance).validate_code(
        "000000" if current_code(secret) != "000000" else "111111"
    )


def test_the_recovery_codes_seed_is_stored_sealed_and_the_codes_still_work(db):
    user = UserFactory(is_staff=True)
    codes = RecoveryCodes.activate(user)
    data = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).data
    assert data["seed"].startswith("sealed:")
    first = codes.generate_codes()[0]
    assert first not in json.dumps(data)
    assert RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).validate_code(first)


def test_the_migration_seals_a_secret_stored_before_sealing(db):
    user = UserFactory(is_staff=True)
    secret = generate_totp_secret()
    legacy = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    with pytest.raises(UnsealedSecret):  # unsealed, it passes nothing
        TOTP(legacy).validate_code(current_code(secret))
    migration = importlib.import_module("ogp_portal.migrations.0010_seal_second_factors")
    migration.seal_every_secret(apps, None)
    legacy.refresh_from_db()
    assert legacy.data["secret"].startswith("sealed:") and secret not in legacy.data["secret"]
    assert get_adapter().decrypt(legacy.data["secret"]) == secret
    migration.seal_every_secret(apps, None)  # sealed once only
    again = Authenticator.objects.get(pk=legacy.pk)
    assert again.data == legacy.data
    assert TOTP(again).validate_code(current_code(secret))
