"""Protected details stay out of documents unless included with a recorded reason; every
generation is a logged disclosure; versions are kept; access follows the permission table."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from docx import Document as Docx

from safeguard.access.models import AuditEvent, AuditKind
from safeguard.documents import render, services
from safeguard.documents.models import Document, DocumentKind, DocumentStatus
from tests.documents.conftest import (
    DEFENDANT_ADDRESS,
    NOW,
    VICTIM_ADDRESS,
    VICTIM_PHONE,
    VICTIM_POSTCODE,
)

KINDS_FOR = {
    "application": [
        DocumentKind.SPO_APPLICATION,
        DocumentKind.DRAFT_ORDER,
        DocumentKind.CASE_SUMMARY,
    ],
    "dvpn": [DocumentKind.NOTICE],
    "spo": [DocumentKind.DRAFT_ORDER, DocumentKind.CASE_SUMMARY],
}


def make(world, order, kind, user=None, **kwargs):
    recipients, purpose = services.DEFAULTS[kind]
    kwargs.setdefault("recipients", recipients)
    kwargs.setdefault("purpose", purpose)
    return services.generate(user or world.officer, order.pk, kind, now=NOW, **kwargs)


def text_of(document: Document) -> str:
    return " ".join(render.pdf_text(bytes(document.pdf)).split())


def docx_text(document: Document) -> str:
    doc = Docx(io.BytesIO(bytes(document.docx)))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize("attr", list(KINDS_FOR))
def test_no_protected_detail_reaches_any_document_by_default(world, attr):
    order = getattr(world, attr)
    for kind in KINDS_FOR[attr]:
        document = make(world, order, kind, with_docx=kind in (DocumentKind.SPO_APPLICATION,))
        text = text_of(document)
        for secret in (VICTIM_ADDRESS, VICTIM_POSTCODE, VICTIM_PHONE, DEFENDANT_ADDRESS):
            assert secret not in text, (kind, secret)
            if document.docx:
                assert secret not in docx_text(document)


def test_an_address_typed_into_a_narrative_is_withheld_and_counted(world):
    document = make(world, world.application, DocumentKind.SPO_APPLICATION)
    text = text_of(document)
    assert "He waited outside her home at [protected detail withheld] for two hours" in text
    assert document.redactions == 2  # the address and its postcode
    event = AuditEvent.objects.get(pk=document.disclosure_event_id)
    assert event.changes["withheld_from_free_text"] == 2


def test_included_with_a_reason_it_appears_and_the_reveal_is_logged(world):
    document = make(
        world,
        world.dvpn,
        DocumentKind.NOTICE,
        include_protected=[world.victim.pk],
        protected_reason="The notice must name the premises he must keep away from",
    )
    text = text_of(document)
    assert VICTIM_ADDRESS in text
    assert VICTIM_PHONE in text
    assert DEFENDANT_ADDRESS not in text  # only the person chosen
    reveals = AuditEvent.objects.filter(kind=AuditKind.REVEAL, actor_id=world.officer.pk)
    assert reveals.count() == 2  # the victim's home address and phone number
    assert all("premises" in e.purpose for e in reveals)


def test_including_needs_a_reason_and_the_reveal_right(world):
    with pytest.raises(services.InvalidRequest, match="reason") as caught:
        make(world, world.dvpn, DocumentKind.NOTICE, include_protected=[world.victim.pk])
    assert caught.value.field == "protected_reason"
    # Legal advisers may make an application, never with a victim's contact details.
    with pytest.raises(PermissionDenied):
        make(
            world,
            world.application,
            DocumentKind.SPO_APPLICATION,
            user=world.legal,
            include_protected=[world.victim.pk],
            protected_reason="For the court",
        )
    assert make(
        world, world.application, DocumentKind.SPO_APPLICATION, user=world.legal
    ).status == (DocumentStatus.READY)


def test_each_generation_is_a_disclosure_with_recipients_and_purpose_and_a_new_version(world):
    first = make(world, world.application, DocumentKind.SPO_APPLICATION)
    second = make(
        world,
        world.application,
        DocumentKind.SPO_APPLICATION,
        recipients="Norwich Magistrates' Court",
        purpose="Amended after the legal review",
    )
    assert (first.version, second.version) == (1, 2)
    assert first.sha256
    assert first.pages >= 2
    event = AuditEvent.objects.get(pk=second.disclosure_event_id)
    assert event.kind == AuditKind.DISCLOSE
    assert event.recipients == "Norwich Magistrates' Court"
    assert event.purpose == "Amended after the legal review"
    assert event.table_name == "orders_order"
    assert event.object_id == str(world.application.pk)
    assert event.changes["version"] == 2
    with pytest.raises(services.InvalidRequest, match="who the document is for"):
        make(world, world.application, DocumentKind.SPO_APPLICATION, recipients=" ")


def test_the_docx_says_what_the_pdf_says(world):
    document = make(world, world.application, DocumentKind.SPO_APPLICATION, with_docx=True)
    words = docx_text(document)
    for phrase in (
        "Application for a stalking protection order",
        "Daniel Reeve",
        "Why it is necessary: He contacted her 140 times after being told to stop.",
        "Supports the application; asked for the exclusion zone to include her workplace.",
    ):
        assert phrase in words
        assert phrase in text_of(document)
    with pytest.raises(services.InvalidRequest):
        make(world, world.dvpn, DocumentKind.NOTICE, with_docx=True)


def test_acknowledging_records_the_written_acknowledgment(world):
    assert world.notification.acknowledged_at is None
    make(
        world,
        world.spo,
        DocumentKind.NOTIFICATION_ACKNOWLEDGMENT,
        notification_id=world.notification.pk,
    )
    world.notification.refresh_from_db()
    assert world.notification.acknowledged_at == NOW


def test_roles_without_the_fields_or_the_order_cannot_make_documents(world, make_user, other_force):
    # A victim advocate sees linked orders for safety planning only: no evidence, no documents.
    with pytest.raises(Http404):
        make(world, world.application, DocumentKind.CASE_SUMMARY, user=world.advocate)
    outsider = make_user("coordinator", other_force)
    with pytest.raises(Http404):
        make(world, world.application, DocumentKind.CASE_SUMMARY, user=outsider)
    with pytest.raises(services.InvalidRequest, match="cannot be made"):
        make(world, world.dvpn, DocumentKind.SPO_APPLICATION)


def test_a_user_who_loses_the_case_before_rendering_gets_a_failed_document(world, settings):
    settings.SAFEGUARD_JOBS_EAGER = False
    recipients, purpose = services.DEFAULTS[DocumentKind.CASE_SUMMARY]
    document = services.request_document(
        world.officer,
        world.spo.pk,
        DocumentKind.CASE_SUMMARY,
        recipients=recipients,
        purpose=purpose,
    )
    assert document.status == DocumentStatus.QUEUED
    world.officer.team = None
    world.officer.save()
    type(world.spo).objects.filter(pk=world.spo.pk).update(officer=None)
    assert services.render_queued(document.pk) is True
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert not document.pdf
    assert services.render_queued(document.pk) is False  # nothing left to do


# --- Pages -------------------------------------------------------------------------------------


def test_pages_make_list_and_download_a_document(
    world, sign_in, django_capture_on_commit_callbacks
):
    client = Client()
    sign_in(client, world.officer)
    page = client.get(f"/documents/orders/{world.application.pk}/")
    assert page.status_code == 200
    assert b"Application for a stalking protection order" in page.content
    choose = client.get(f"/documents/orders/{world.application.pk}/new/")
    assert b"Which document do you need?" in choose.content
    url = f"/documents/orders/{world.application.pk}/new/?kind=spo-application"
    form = client.get(url)
    assert form.status_code == 200
    assert b"Include protected details" in form.content
    missing = client.post(url, {"recipients": "", "purpose": "x"})
    assert b"Enter who the document is for" in missing.content
    with django_capture_on_commit_callbacks(execute=True):  # the queued job, run inline
        done = client.post(
            url,
            {
                "recipients": "Norwich Magistrates' Court",
                "purpose": "SPO application",
                "with_docx": "on",
            },
        )
    assert done.status_code == 302
    document = Document.objects.get(order=world.application)
    detail = client.get(done["Location"])
    assert b"Download the PDF" in detail.content
    assert b"withheld" in detail.content
    pdf = client.get(f"/documents/{document.pk}/download.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].endswith('NOR-SPO-00042-spo-application-v1.pdf"')
    assert pdf.content.startswith(b"%PDF")
    assert client.get(f"/documents/{document.pk}/download.docx").status_code == 200
    views = AuditEvent.objects.filter(kind=AuditKind.VIEW, actor_id=world.officer.pk)
    assert {e.changes.get("format") for e in views if e.changes} >= {"pdf", "docx"}


def test_an_advocate_cannot_open_another_roles_documents(world, sign_in):
    document = make(world, world.application, DocumentKind.SPO_APPLICATION)
    client = Client()
    sign_in(client, world.advocate)
    assert client.get(f"/documents/{document.pk}/").status_code == 404
    assert client.get(f"/documents/{document.pk}/download.pdf").status_code == 404
    assert client.get(f"/documents/orders/{world.application.pk}/new/").status_code == 404
