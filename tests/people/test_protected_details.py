"""Protected details are encrypted at rest with their own key, and the key can be rotated."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from safeguard.access import crypto
from safeguard.people.models import ProtectedDetail

CANARY = "17 Canary Wharf Close, Norwich"


@pytest.fixture
def key_dir(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SAFEGUARD_FIELD_KEYS", raising=False)
    settings.VAR_DIR = tmp_path
    crypto._fernet.cache_clear()
    yield tmp_path
    crypto._fernet.cache_clear()


def stored(detail: ProtectedDetail) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT value, postcode FROM people_protecteddetail WHERE id = %s", [detail.pk]
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_values_are_encrypted_in_the_database(key_dir, victim):
    detail = ProtectedDetail.objects.create(
        person=victim, kind="home_address", value=CANARY, postcode="NR1 1AA"
    )
    raw_value, raw_postcode = stored(detail)
    assert CANARY not in raw_value
    assert "NR1" not in raw_postcode
    assert ProtectedDetail.objects.get(pk=detail.pk).value == CANARY
    assert crypto.key_file().exists()  # a key of its own, not SECRET_KEY


@pytest.mark.django_db
def test_encrypted_values_cannot_be_searched(key_dir, victim):
    with pytest.raises(TypeError, match="cannot be searched"):
        ProtectedDetail.objects.filter(value__icontains="Canary").count()


@pytest.mark.django_db
def test_key_rotation_re_encrypts_every_row(key_dir, victim, capsys):
    details = [
        ProtectedDetail.objects.create(person=victim, kind="phone", value=f"07700 90000{i}")
        for i in range(3)
    ]
    before = [stored(d)[0] for d in details]
    old_key = crypto.configured_keys()[0]
    call_command("rotate_field_key", "--new-key", "--retire-old")
    assert "3 protected details re-encrypted" in capsys.readouterr().out
    assert crypto.configured_keys() != [old_key]
    assert len(crypto.configured_keys()) == 1
    after = [stored(d)[0] for d in details]
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert [ProtectedDetail.objects.get(pk=d.pk).value for d in details] == [
        "07700 900000",
        "07700 900001",
        "07700 900002",
    ]


@pytest.mark.django_db
def test_a_retired_key_gives_a_clear_error_without_the_value(key_dir, victim, monkeypatch):
    detail = ProtectedDetail.objects.create(person=victim, kind="email", value="v@example.org")
    from cryptography.fernet import Fernet

    monkeypatch.setenv("SAFEGUARD_FIELD_KEYS", Fernet.generate_key().decode())
    crypto._fernet.cache_clear()
    with pytest.raises(crypto.KeyError_, match="rotate_field_key") as error:
        ProtectedDetail.objects.get(pk=detail.pk)
    assert "example.org" not in str(error.value)
