"""`safeguard documents make|list`: court documents from the command line.

    safeguard documents make --user norfolk-coordinator --order NOR-SPO-00012 \\
        --kind spo-application --recipients "Norwich Magistrates' Court" \\
        --purpose "SPO application" [--docx] [--out application.pdf]
    safeguard documents list --user norfolk-coordinator --order NOR-SPO-00012

The user's access applies as on the web: what they may not see, they may not put in a document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safeguard.access import audit
from safeguard.access.models import User
from safeguard.documents import selectors, services
from safeguard.documents.models import DocumentKind
from safeguard.orders.models import Order


class Command(BaseCommand):
    help = "Make a document for an order (stored, versioned, logged as a disclosure), or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["make", "list"])
        parser.add_argument("--user", required=True)
        parser.add_argument("--order", required=True, help="The order's reference")
        parser.add_argument("--kind", choices=DocumentKind.values)
        parser.add_argument("--recipients", default="")
        parser.add_argument("--purpose", default="")
        parser.add_argument("--notification", type=int)
        parser.add_argument("--docx", action="store_true")
        parser.add_argument("--out", help="Write the PDF here")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}")
        found = Order.objects.filter(reference=options["order"]).first()
        if found is None:
            raise CommandError(f"No order {options['order']!r}")
        order = selectors.order_for(user, found.pk)
        if options["action"] == "list":
            for d in selectors.documents_for(user, order):
                self.stdout.write(
                    f"{d.pk:>6}  {d.kind:<28} v{d.version:<3} {d.status:<7} "
                    f"{d.requested_at:%Y-%m-%d %H:%M}  {d.recipients}"
                )
            return
        if not options["kind"]:
            raise CommandError("Give --kind")
        kind = options["kind"]
        recipients, purpose = services.DEFAULTS[kind]
        with audit.acting_as(user, purpose="Document made from the command line"):
            try:
                document = services.generate(
                    user,
                    order.pk,
                    kind,
                    recipients=options["recipients"] or recipients,
                    purpose=options["purpose"] or purpose,
                    notification_id=options["notification"],
                    with_docx=options["docx"],
                )
            except services.InvalidRequest as exc:
                raise CommandError(str(exc)) from exc
        if document.error:
            raise CommandError(document.error)
        if options["out"]:
            Path(options["out"]).write_bytes(bytes(document.pdf or b""))
        self.stdout.write(
            f"{document.get_kind_display()} v{document.version} for {order.reference}: "
            f"{document.pages} pages, {document.redactions} withheld; document {document.pk}"
            + (f", written to {options['out']}" if options["out"] else "")
        )
