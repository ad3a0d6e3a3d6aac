"""Rotate the key that encrypts protected details (docs/admin.md, Keys)."""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safeguard.access import crypto
from safeguard.people.models import ProtectedDetail


class Command(BaseCommand):
    help = (
        "Re-encrypt every protected detail under the newest field key. With --new-key (developer "
        "key file only) a key is generated first; --retire-old then drops the older keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new-key", action="store_true", help="Generate and add a new key")
        parser.add_argument(
            "--retire-old", action="store_true", help="Remove older keys once re-encrypted"
        )

    def handle(self, *args: Any, new_key: bool, retire_old: bool, **options: Any) -> None:
        from_env = bool(crypto.os.environ.get("SAFEGUARD_FIELD_KEYS"))
        if (new_key or retire_old) and from_env:
            raise CommandError(
                "Keys come from SAFEGUARD_FIELD_KEYS: put the new key first in that variable, "
                "run this command without flags, then remove the old key from the variable."
            )
        keys = crypto.configured_keys()
        if new_key:
            keys = [Fernet.generate_key().decode(), *keys]
            crypto.key_file().write_text("\n".join(keys) + "\n")
            crypto._fernet.cache_clear()
        rotated = 0
        with transaction.atomic():
            rows = ProtectedDetail.objects.select_for_update().values_list(
                "pk", "value", "postcode"
            )
            for pk, value, postcode in rows.iterator(chunk_size=2000):
                # Saving re-encrypts with the first (newest) key.
                ProtectedDetail.objects.filter(pk=pk).update(value=value, postcode=postcode)
                rotated += 1
        if retire_old and len(keys) > 1:
            crypto.key_file().write_text(keys[0] + "\n")
            crypto._fernet.cache_clear()
        self.stdout.write(f"{rotated} protected details re-encrypted under the newest key")
