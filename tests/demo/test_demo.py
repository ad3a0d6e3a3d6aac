"""The demo data (issue 2, item 7): deterministic, every role, every state, linkage-ready."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from safeguard.access.models import Role
from safeguard.compliance.models import Notification, NotificationStatus
from safeguard.demo.digest import table_digests
from safeguard.demo.generate import delete_demo_data, demo_now, demo_year
from safeguard.demo.population import GROUND_TRUTH_PREFIX
from safeguard.demo.reports import OFFENCE_MIX
from safeguard.demo.staff import DEMO_PASSWORD, demo_users
from safeguard.orders.models import Order
from safeguard.people.models import Identifier, Person
from safeguard.reports.models import Report, ReportParty
from safeguard.rules.orders import TRANSITIONS, State, spec
from tests.demo.conftest import REPORTS, SEED

pytestmark = pytest.mark.django_db


def reachable_states(order_type: str) -> set[str]:
    """Every state an order of this type can be in, from its spec's lawful actions."""
    return {State.DRAFT.value} | {TRANSITIONS[a][1].value for a in spec(order_type).actions}


def test_same_seed_gives_identical_rows(demo, demo_force):
    first = table_digests(demo_force)
    # Again over the top (--replace), then into an empty force (--if-empty): the same rows.
    args = ["--force", "Norfolk", "--seed", str(SEED), "--reports", str(REPORTS)]
    call_command("demo", *args, "--replace", stdout=io.StringIO())
    assert table_digests(demo_force) == first
    delete_demo_data(demo_force)
    out = io.StringIO()
    call_command("demo", *args, "--if-empty", stdout=out)
    assert "Generated in" in out.getvalue()
    assert table_digests(demo_force) == first
    # The digest does see a change.
    person = Person.objects.filter(force=demo_force).order_by("pk").first()
    Person.objects.filter(pk=person.pk).update(given_name=person.given_name + "x")
    assert table_digests(demo_force)["people"] != first["people"]


def test_the_year_has_the_requested_reports_in_the_offence_mix(demo, demo_force):
    assert sum(demo.offences.values()) == REPORTS
    for code, share in OFFENCE_MIX.items():
        assert abs(demo.offences[code] - share * REPORTS) <= 1
    window_start = demo.now - dt.timedelta(days=365)
    in_year = Report.objects.filter(
        force=demo_force, reported_at__gt=window_start, reported_at__lte=demo.now
    )
    assert in_year.count() >= REPORTS
    assert Report.objects.filter(force=demo_force, reported_at__gt=demo.now).count() == 0
    assert ReportParty.objects.filter(
        report__force=demo_force, role="suspect", relationship_to_victim="ex_partner"
    ).exists()
    assert Report.objects.filter(force=demo_force).exclude(sdash_answers={}).exists()


def test_every_role_has_a_demo_user_with_the_published_password(demo, demo_force):
    users = list(demo_users())
    assert {u.role for u in users} == {r.value for r in Role}
    national = next(u for u in users if u.role == Role.NATIONAL_ADMIN)
    assert national.force is None
    ranks = {u.rank for u in users if u.force_id == demo_force.pk}
    assert {"inspector", "superintendent", "constable"} <= ranks
    assert all(u.check_password(DEMO_PASSWORD) for u in users[:2])
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    for role in Role:
        assert role.label in text
    assert DEMO_PASSWORD in text


def test_spo_orders_exist_in_every_state(demo, demo_force):
    states = set(
        Order.objects.filter(force=demo_force, order_type="spo").values_list("state", flat=True)
    )
    assert states == reachable_states("spo")


def test_every_order_type_has_orders_in_most_of_its_states(demo, demo_force):
    by_type: dict[str, set[str]] = defaultdict(set)
    for order_type, state in Order.objects.filter(force=demo_force).values_list(
        "order_type", "state"
    ):
        by_type[order_type].add(state)
    assert {"in_force", "ended"} <= by_type["interim-spo"]
    assert {"ended", "lapsed", "in_force", "draft", "withdrawn"} <= by_type["dvpn"]
    assert {"ended", "lapsed", "in_force", "draft", "withdrawn"} <= by_type["dapn"]
    assert {"in_force", "expired", "refused", "applied", "withdrawn"} <= by_type["dvpo"]
    assert {"in_force", "expired", "refused", "applied", "discharged"} <= by_type["dapo"]
    assert {"in_force", "expired", "discharged"} <= by_type["ro-conviction"]
    assert "quashed" in by_type["ro-acquittal"]
    for order_type, states in by_type.items():
        assert states <= reachable_states(order_type), order_type


def test_notifications_on_time_late_due_and_overdue(demo, demo_force):
    statuses = {n.status(demo.now) for n in Notification.objects.filter(order__force=demo_force)}
    assert {
        NotificationStatus.ON_TIME,
        NotificationStatus.LATE,
        NotificationStatus.OVERDUE,
        NotificationStatus.DUE,
    } <= statuses


def test_nothing_happens_after_the_demos_today(demo, demo_force):
    orders = Order.objects.filter(force=demo_force)
    assert not orders.filter(applied_at__gt=demo.now).exists()
    assert not orders.filter(made_on__gt=demo.now.date()).exists()
    assert not orders.filter(ended_on__gt=demo.now.date()).exists()
    assert not orders.filter(state_changes__at__gt=demo.now).exists()


def test_repeat_suspects_are_spelled_differently_but_share_the_ground_truth(demo, demo_force):
    records: dict[str, list] = defaultdict(list)
    for ident in Identifier.objects.filter(
        person__force=demo_force,
        scheme="local",
        person__report_parties__role="suspect",
    ).select_related("person"):
        assert ident.value.startswith(GROUND_TRUTH_PREFIX)
        records[ident.value].append(ident.person)
    repeated = {k: v for k, v in records.items() if len(v) >= 2}
    assert len(repeated) >= 10
    varied = [
        k
        for k, people in repeated.items()
        if len({(p.given_name, p.surname, p.date_of_birth) for p in people}) > 1
    ]
    assert len(varied) == len(repeated)  # every repeat suspect is recorded inconsistently
    assert any(len({(p.given_name, p.surname) for p in people}) > 1 for people in repeated.values())
    # Hard negatives: different people recorded with exactly the same name.
    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for value, people in records.items():
        for p in people:
            by_name[(p.given_name.lower(), p.surname.lower())].add(value)
    assert any(len(values) > 1 for values in by_name.values())


def test_if_empty_leaves_existing_data_alone(demo, demo_force):
    before = Report.objects.filter(force=demo_force).count()
    out = io.StringIO()
    call_command("demo", "--force", "Norfolk", "--seed", "99", "--if-empty", stdout=out)
    assert "already has reports" in out.getvalue()
    assert Report.objects.filter(force=demo_force).count() == before


def test_without_a_flag_it_refuses_and_names_the_flags(demo, demo_force):
    with pytest.raises(CommandError) as refusal:
        call_command("demo", "--force", "Norfolk", "--seed", "99", stdout=io.StringIO())
    assert "--replace" in str(refusal.value)
    assert "--if-empty" in str(refusal.value)


def test_replace_will_not_delete_real_records(demo, demo_force):
    Report.objects.create(
        force=demo_force,
        reference="36/12345/22",
        offence_code="8Q",
        reported_at=demo.now,
        occurred_from=demo.now.date(),
    )
    with pytest.raises(CommandError, match="did not create"):
        call_command("demo", "--force", "Norfolk", "--seed", "1", "--replace", stdout=io.StringIO())


def test_production_refuses(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("demo", "--force", "Norfolk", "--seed", "1", stdout=io.StringIO())


def test_unknown_force_is_named():
    with pytest.raises(CommandError, match="No demo geography"):
        call_command("demo", "--force", "Atlantis", "--seed", "1", stdout=io.StringIO())


def test_the_seed_picks_the_demo_year():
    assert demo_year(2024) == 2024
    assert demo_year(7) == 2022
    assert demo_now(2024).isoformat() == "2024-09-30T16:00:00+01:00"
