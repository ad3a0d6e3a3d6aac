"""The demo data (issue 2, item 7): deterministic, every role, every state, linkage-ready."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from safeguard.access.models import Role
from safeguard.compliance.models import Notification, NotificationStatus
from safeguard.demo import generate as generate_module
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


def test_rows_do_not_depend_on_how_many_reports_are_written_at_a_time(
    demo, demo_force, monkeypatch
):
    # The fixture writes its 300 reports in one chunk; in chunks of 37, the people, reports,
    # parties and the orders built on them must come out the same, in the same order.
    first = table_digests(demo_force)
    monkeypatch.setattr(generate_module, "CHUNK", 37)
    args = ["--force", "Norfolk", "--seed", str(SEED), "--reports", str(REPORTS), "--replace"]
    call_command("demo", *args, stdout=io.StringIO())
    assert table_digests(demo_force) == first


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


def test_applications_reviews_and_referrals_fill_the_work_queues(demo, demo_force):
    # Issue 4's journeys before an order: the builder's drafts in several states, the legal
    # adviser's queue, and officers' referrals (demo/cases/journeys.py), on the demo's clock.
    from collections import Counter

    from safeguard.orders.models import LegalReview
    from safeguard.orders.services.applications import missing_tasks
    from safeguard.reports.models import Referral

    reviews = LegalReview.objects.filter(order__force=demo_force)
    assert Counter(reviews.values_list("decision", flat=True)) == {
        "pending": 2,
        "changes_requested": 1,
        "approved": 1,
    }
    assert reviews.get(decision="changes_requested").comments
    approved = reviews.get(decision="approved").order
    assert approved.state == State.APPLIED
    assert approved.hearings.filter(outcome="pending", scheduled_for__gt=demo.now).exists()
    drafts = Order.objects.filter(force=demo_force, order_type="spo", state=State.DRAFT)
    to_do = {len(missing_tasks(order)) for order in drafts}
    assert 0 in to_do  # complete ones...
    assert max(to_do) >= 3  # ...and one barely started

    referrals = Referral.objects.filter(report__force=demo_force)
    statuses = Counter(referrals.values_list("status", flat=True))
    assert statuses["open"] >= 2
    assert statuses["accepted"] >= 1
    assert statuses["declined"] == 1  # the demo officer's, with the coordinator's reason
    assert referrals.get(status="declined").decision_note
    own = referrals.filter(referred_by__username="norfolk-officer")
    assert {"open", "accepted", "declined"} <= set(own.values_list("status", flat=True))
    # Every report the generator marked referred has the referral that says so.
    referred = Report.objects.filter(force=demo_force, status="referred")
    assert referred.exists()
    assert not referred.filter(referrals__isnull=True).exists()
    for row in [*reviews, *referrals]:
        for when in (getattr(row, f, None) for f in ("requested_at", "referred_at", "decided_at")):
            assert when is None or when <= demo.now


def test_replace_works_after_screening_has_run(demo, demo_force):
    # Screening's candidates name the demo's reports and people: --replace must clear them first
    # (it used to fail on the candidates' foreign key to the reports).
    from django.utils import timezone

    from safeguard.screening.models import Candidate

    report = Report.objects.filter(force=demo_force).order_by("pk").first()
    parties = {p.role: p.person for p in report.report_parties.select_related("person")}
    candidate = Candidate.objects.create(
        force=demo_force,
        suspect_key="s",
        victim_key="v",
        suspect=parties["suspect"],
        victim=parties["victim"],
        score=1.0,
        summary="Flagged",
        last_report_at=report.reported_at,
        first_flagged_at=timezone.now(),
        updated_at=timezone.now(),
    )
    candidate.reports.add(report)
    first = table_digests(demo_force)
    args = ["--force", "Norfolk", "--seed", str(SEED), "--reports", str(REPORTS), "--replace"]
    call_command("demo", *args, stdout=io.StringIO())
    assert not Candidate.objects.filter(force=demo_force).exists()
    assert table_digests(demo_force) == first


def test_the_demo_year_can_end_at_a_given_time():
    from safeguard.demo.generate import DemoError, demo_clock

    london = demo_clock(dt.datetime(2026, 11, 28, 9, 30, 45))  # naive: London's time
    assert london.isoformat() == "2026-11-28T09:30:00+00:00"
    summer = demo_clock(dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC))
    assert summer.isoformat() == "2026-07-01T09:00:00+01:00"
    with pytest.raises(DemoError, match="on or after 30 September 2022"):
        demo_clock(dt.datetime(2021, 1, 1))


def test_the_command_takes_the_demo_today(demo_force):
    out = io.StringIO()
    args = ["--force", "Norfolk", "--seed", str(SEED), "--reports", str(REPORTS), "--replace"]
    call_command("demo", *args, "--now", "2026-11-28T09:30+00:00", stdout=out)
    assert "the demo's today is 28 November 2026 09:30" in out.getvalue()
    latest = Report.objects.filter(force=demo_force).latest("reported_at").reported_at
    assert latest <= dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)
    assert latest >= dt.datetime(2026, 10, 28, tzinfo=dt.UTC)  # the year runs up to that day
    # Back to the module's demo for the tests that follow.
    call_command("demo", *args, stdout=io.StringIO())
