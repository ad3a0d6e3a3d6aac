"""Golden files: the text of each rendered PDF, extracted with pypdf, against tests/documents/
golden/<name>.txt. Compared with runs of whitespace made one space, so a font's line breaks do
not matter but every word does. To accept a deliberate change: UPDATE_GOLDEN=1 pytest ..."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest

from safeguard.documents import render, services
from safeguard.documents.models import DocumentKind, DocumentStatus
from tests.documents.conftest import NOW

GOLDEN = Path(__file__).resolve().parent / "golden"


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(text.rstrip() + "\n")
        if not os.environ.get("UPDATE_GOLDEN"):
            pytest.fail(f"Golden file {path.name} was missing and has been written: check it")
    expected = path.read_text()
    if normalised(expected) != normalised(text):
        words = difflib.unified_diff(
            normalised(expected).split(" "), normalised(text).split(" "), lineterm="", n=8
        )
        pytest.fail(f"{path.name} differs (UPDATE_GOLDEN=1 to accept):\n" + " ".join(words))


CASES = [
    ("spo-application", "application", DocumentKind.SPO_APPLICATION, {}),
    ("interim-spo-application", "interim", DocumentKind.INTERIM_SPO_APPLICATION, {}),
    ("draft-order-applied", "application", DocumentKind.DRAFT_ORDER, {}),
    ("draft-order-granted", "spo", DocumentKind.DRAFT_ORDER, {}),
    ("notification-acknowledgment", "spo", DocumentKind.NOTIFICATION_ACKNOWLEDGMENT, {"ack": True}),
    ("dvpn-notice", "dvpn", DocumentKind.NOTICE, {}),
    ("dapn-notice", "dapn", DocumentKind.NOTICE, {}),
    ("marac-case-summary", "spo", DocumentKind.CASE_SUMMARY, {}),
]


@pytest.mark.parametrize(("name", "order_attr", "kind", "extra"), CASES, ids=[c[0] for c in CASES])
def test_document_text_matches_golden_file(world, name, order_attr, kind, extra):
    order = getattr(world, order_attr)
    kwargs = {"notification_id": world.notification.pk} if extra.get("ack") else {}
    recipients, purpose = services.DEFAULTS[kind]
    document = services.generate(
        world.officer, order.pk, kind, recipients=recipients, purpose=purpose, now=NOW, **kwargs
    )
    assert document.status == DocumentStatus.READY, document.error
    text = render.pdf_text(bytes(document.pdf))
    check_golden(name, text)
