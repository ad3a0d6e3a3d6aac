"""`safeguard audit verify [--checkpoint FILE]`, `safeguard audit checkpoint`,
`safeguard audit grant-app-role ROLE`, `safeguard audit install-triggers`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access import audit


class Command(BaseCommand):
    help = "Verify, checkpoint and secure the hash-chained audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute the whole chain; name the first break")
        verify.add_argument(
            "--checkpoint",
            type=Path,
            help="A file holding the JSON printed by `audit checkpoint` earlier",
        )
        sub.add_parser("checkpoint", help="Print the signed head of the chain, to store offline")
        grant = sub.add_parser(
            "grant-app-role", help="Grant a database role the app's rights (no audit edits)"
        )
        grant.add_argument("role")
        sub.add_parser("install-triggers", help="(Re)attach the audit trigger to every table")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify(options.get("checkpoint"))
        elif action == "checkpoint":
            try:
                self.stdout.write(json.dumps(audit.checkpoint(), indent=2))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        elif action == "grant-app-role":
            audit.grant_app_role(options["role"])
            self.stdout.write(
                f"Role {options['role']} may read and insert audit events, never change them"
            )
        elif action == "install-triggers":
            self.stdout.write(f"Audit trigger on {audit.install_triggers()} tables")

    def _verify(self, checkpoint_file: Path | None) -> None:
        checkpoint = None
        if checkpoint_file is not None:
            try:
                checkpoint = audit.load_checkpoint(checkpoint_file.read_text())
            except OSError as exc:
                raise CommandError(f"Cannot read {checkpoint_file}: {exc.strerror}") from exc
            except ValueError as exc:
                raise CommandError(f"{checkpoint_file}: {exc}") from exc
        result = audit.verify(checkpoint=checkpoint)
        if result.ok:
            against = (
                f", and matches the checkpoint at event {checkpoint['id']}" if checkpoint else ""
            )
            self.stdout.write(
                f"Audit trail intact: {result.events} events, head #{result.head_id} "
                f"{result.head_hash[:16]}…{against}"
            )
            return
        self.stderr.write(f"Audit trail BROKEN after checking {result.events} events.")
        self.stderr.write(f"First broken link: {result.broken[0]}")
        for problem in result.broken[1:]:
            self.stderr.write(f"  also: {problem}")
        raise SystemExit(1)
