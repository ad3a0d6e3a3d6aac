"""The audit trail: complete (every write path recorded), tamper-evident, append-only."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.contrib.admin.sites import site
from django.core.management import call_command
from django.db import connection, transaction
from django.test import RequestFactory

from safeguard.access import audit
from safeguard.access.models import AuditEvent, AuditKind
from safeguard.people.models import Person, ProtectedDetail


def events_since(last_id: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=last_id).order_by("id"))


def head_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.django_db
def test_every_write_path_is_recorded(force, make_user):
    admin_user = make_user("force_admin", force, is_staff=True, is_superuser=True)
    start = head_id()
    writes = 0
    with audit.acting_as(admin_user, purpose="test"):
        p = Person.objects.create(force=force, given_name="Ann", surname="Lee")  # ORM save
        writes += 1
        p.surname = "Leigh"
        p.save()
        writes += 1
        Person.objects.filter(pk=p.pk).update(given_name="Anne")  # update()
        writes += 1
        people = Person.objects.bulk_create(
            [Person(force=force, given_name=f"B{i}", surname="Bulk") for i in range(5)]
        )
        writes += 5
        for person in people:
            person.surname = "Bulkley"
        Person.objects.bulk_update(people, ["surname"])
        writes += 5
        with connection.cursor() as cursor:  # raw SQL
            cursor.execute(
                "UPDATE people_person SET middle_names = 'Raw' WHERE surname = 'Bulkley'"
            )
        writes += 5
        # An admin action: the admin's bulk "delete selected".
        request = RequestFactory().post("/admin/people/person/", {"post": "yes"})
        request.user = admin_user
        request._dont_enforce_csrf_checks = True
        from django.contrib.messages.storage.fallback import FallbackStorage

        request.session = {}
        request._messages = FallbackStorage(request)
        model_admin = site._registry[Person]
        model_admin.delete_queryset(request, Person.objects.filter(surname="Bulkley"))
        writes += 5
        Person.objects.filter(pk=p.pk).delete()
        writes += 1
    recorded = events_since(start)
    print(f"\naudit completeness: writes performed={writes}, events recorded={len(recorded)}")
    assert len(recorded) == writes
    assert all(e.actor_id == admin_user.pk and e.purpose == "test" for e in recorded)
    update = recorded[1]
    assert update.kind == AuditKind.UPDATE
    assert update.changes["before"]["surname"] == "Lee"
    assert update.changes["after"]["surname"] == "Leigh"
    assert "given_name" not in update.changes["after"]  # only what changed
    assert update.object_id == str(p.pk)  # the row is named even when its id did not change


@pytest.mark.django_db
def test_protected_values_never_enter_the_trail(force):
    person = Person.objects.create(force=force, given_name="Vic", surname="Tim")
    start = head_id()
    ProtectedDetail.objects.create(
        person=person, kind="home_address", value="1 Canary Lane, Norwich", postcode="NR1 9ZZ"
    )
    (event,) = events_since(start)
    text = json.dumps(event.changes)
    assert "Canary" not in text
    assert "NR1 9ZZ" not in text
    assert event.changes["after"]["value"].startswith("[protected ")


@pytest.mark.django_db
def test_reads_and_disclosures_need_reasons(force, make_user):
    user = make_user("coordinator", force)
    with pytest.raises(ValueError, match="reason"):
        audit.record(AuditKind.REVEAL, user=user, table_name="people_protecteddetail", object_id=1)
    with pytest.raises(ValueError, match="recipients"):
        audit.record(AuditKind.DISCLOSE, user=user, purpose="Court bundle")
    event = audit.record(
        AuditKind.DISCLOSE, user=user, purpose="Court bundle", recipients="CPS Norfolk"
    )
    event.refresh_from_db()
    assert len(event.hash) == 64
    assert audit.verify().ok


@pytest.mark.django_db
def test_the_application_role_cannot_change_the_trail(force):
    Person.objects.create(force=force, given_name="A", surname="B")
    audit.grant_app_role("safeguard_app_test")
    attempts = {
        "update": "UPDATE access_auditevent SET purpose = 'x'",
        "delete": "DELETE FROM access_auditevent",
        "truncate": "TRUNCATE access_auditevent",
    }
    for sql in attempts.values():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE safeguard_app_test")
            with (
                pytest.raises(Exception, match=r"permission denied|append-only"),
                transaction.atomic(),
            ):
                cursor.execute(sql)
    # Inserting (recording a consultation) is still allowed for the app role.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ROLE safeguard_app_test")
        cursor.execute("INSERT INTO access_auditevent (kind, purpose) VALUES ('view', 'triage')")


@pytest.mark.django_db
def test_triggers_refuse_even_the_owner(force):
    Person.objects.create(force=force, given_name="A", surname="B")
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().update(purpose="rewritten")


def _tamper(sql: str, *params: object) -> None:
    """As a superuser who switches the triggers off: what an insider with full rights could do."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["edit", "delete", "reorder"])
def test_verify_detects_every_tampered_event(force, how):
    for i in range(30):
        Person.objects.create(force=force, given_name=f"P{i}", surname="Chain")
    assert audit.verify().ok
    ids = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:30])[::-1]
    targets = [ids[3], ids[11], ids[19], ids[25]]  # K = 4, none adjacent
    if how == "edit":
        for t in targets:
            _tamper("UPDATE access_auditevent SET purpose = 'covered up' WHERE id = %s", t)
    elif how == "delete":
        for t in targets:
            _tamper("DELETE FROM access_auditevent WHERE id = %s", t)
    else:  # swap each target with its successor: same rows, different order
        for t in targets:
            _tamper("UPDATE access_auditevent SET id = -1 WHERE id = %s", t)
            _tamper("UPDATE access_auditevent SET id = %s WHERE id = %s", t, t + 1)
            _tamper("UPDATE access_auditevent SET id = %s WHERE id = -1", t + 1)
    result = audit.verify()
    detected = {int(msg.split()[1]) for msg in result.broken}
    near = [t for t in targets if {t, t + 1} & detected]
    print(f"\naudit tamper ({how}): K={len(targets)} tampered, detected={len(near)}")
    assert len(near) == len(targets)
    assert str(targets[0]) in result.broken[0] or str(targets[0] + 1) in result.broken[0]


@pytest.mark.django_db
def test_signed_checkpoint_detects_a_truncated_tail(force, tmp_path, capsys):
    for i in range(5):
        Person.objects.create(force=force, given_name=f"P{i}", surname="Tail")
    call_command("audit", "checkpoint")
    saved = tmp_path / "checkpoint.json"
    saved.write_text(capsys.readouterr().out)
    call_command("audit", "verify", "--checkpoint", str(saved))
    assert "matches the checkpoint" in capsys.readouterr().out
    head = json.loads(saved.read_text())["id"]
    _tamper("DELETE FROM access_auditevent WHERE id >= %s", head - 1)
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--checkpoint", str(saved))
    assert "is missing" in capsys.readouterr().err
    forged = json.loads(saved.read_text()) | {"signature": "0" * 64}
    assert not audit.checkpoint_signature_ok(forged)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(force):
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                with transaction.atomic():
                    Person.objects.create(force_id=force.pk, given_name=f"T{n}-{i}", surname="C")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    result = audit.verify()
    assert result.ok, result.broken[:3]
    assert AuditEvent.objects.filter(table_name="people_person", kind="insert").count() >= 60


@pytest.mark.django_db
def test_order_services_writes_are_attributed_to_the_acting_user(
    force, coordinator, defendant, victim
):
    from safeguard.orders.services import ProposedCondition, create_order

    start = head_id()
    with audit.acting_as(coordinator):
        create_order(
            force=force,
            order_type="spo",
            defendant=defendant,
            protected_persons=[victim],
            by=coordinator,
            conditions=[ProposedCondition("no-contact", necessity="x")],
        )
    tables = {e.table_name for e in events_since(start)}
    assert {"orders_order", "orders_condition", "orders_order_protected_persons"} <= tables
    assert {e.actor_label for e in events_since(start)} == {coordinator.username}
    assert dt.datetime.now(dt.UTC) - events_since(start)[0].occurred_at < dt.timedelta(minutes=1)
