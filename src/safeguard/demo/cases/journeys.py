"""The work before an order (issue 4): SPO applications prepared with the application builder and
reviewed by the force's legal adviser, and officers' referrals to the SPO coordinator.

Everything goes through the services the pages use (orders/services/applications.py for the
builder and the review, reports/services.py for referrals), at the demo's own times, so the
coordinator's work queue, the adviser's review queue and a report's referral history read as
they would on a real force's data:

* builder drafts (catalogue.SPO_CASES, opts `builder` or `review`): one with only the three
  tests' evidence written; two complete and waiting for the adviser; one sent back with
  comments; one approved, and so made to the court, with its hearing listed;
* referrals by the demo officer (`<force>-officer`) of their own open reports: a few waiting,
  one accepted (the coordinator then starts an application from it: test 1 and the victim's
  views written), one declined with the reason.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from safeguard.demo.cases.common import LONDON, at
from safeguard.orders import services
from safeguard.orders.models import Order, ReviewDecision
from safeguard.orders.services import applications
from safeguard.reports import services as report_services
from safeguard.reports.models import Referral, Report, ReportParty, ReportStatus

if TYPE_CHECKING:
    from safeguard.demo.cases.build import CaseBuilder
    from safeguard.demo.cases.common import Case

EVIDENCE = (
    "Repeated unwanted contact after being told to stop: calls, messages from new accounts, and "
    "waiting outside the victim's home, each recorded in the reports below.",
    "The victim describes fear of violence; the S-DASH answers and the escalation across the "
    "reports show a risk of harm from stalking.",
    "Words of advice and an earlier warning have not stopped the conduct; an order with "
    "prohibitions is needed to protect the victim.",
)
REVIEW_NOTE = "Ready for review. The victim supports the application."
CHANGES = (
    "Test 2: set out the dates of the visits to the victim's workplace, with the report for each. "
    "The exclusion zone needs a map, and its necessity should say why it covers the workplace."
)
REFERRAL_NOTES = (
    "Third report against the same suspect in two months; he keeps turning up at her work. "
    "Please consider an SPO.",
    "Fixated and escalating: messages from new accounts every time he is blocked. The victim is "
    "frightened to leave the house.",
    "Suspect continues to loiter near the victim's home despite words of advice. Referring for "
    "an SPO.",
    "Victim reports being followed from the school gates; S-DASH high. Please review for an SPO.",
    "Ex-partner monitoring her location and contacting her family. Referring for consideration.",
)
DECLINE_REASON = (
    "A single incident between neighbours, resolved by words of advice; no pattern of stalking "
    "behaviour yet. Refer again if it continues."
)
ACCEPT_NOTE = "Accepted: I will start an application and speak to the victim."


def _evidence(builder: CaseBuilder, order: Order, references: list[str], tests: int) -> Order:
    coordinator = builder.staff.coordinator
    for number in range(1, tests + 1):
        cited = references[-4:] if number == 1 else references[-2:]
        order = applications.save_evidence(
            builder.fresh(order),
            number,
            EVIDENCE[number - 1],
            cited,
            expected_version=None,
            by=coordinator,
        )
    return order


def _victim_views(builder: CaseBuilder, order: Order) -> Order:
    views = builder.rng.choice(
        (
            "Supports the application; wants no contact of any kind, including through family.",
            "Supports the application and asked for the exclusion zone to include her workplace.",
            "Anxious about his reaction, but supports the order.",
        )
    )
    return applications.save_victim_views(
        builder.fresh(order), views, expected_version=None, by=builder.staff.coordinator
    )


def _started(order: Order, when: dt.datetime) -> None:
    """When the coordinator started the draft, on the demo's clock (created_at is set by the
    database when the row is written, which is the wall clock)."""
    Order.objects.filter(pk=order.pk).update(created_at=when)


def build_application(builder: CaseBuilder, case: Case) -> Order:
    """One SPO application through the builder's tasks and, for `review`, the legal review."""
    t, opts = case.t, case.opts
    coordinator = builder.staff.coordinator
    defendant, protected, _ = builder._people(case)
    reports = [r for r in case.linked_reports() if r.reported_at <= t["created"]]
    officer = builder._officer(case)
    order = services.create_order(
        force=builder.force,
        order_type="spo",
        defendant=defendant,
        protected_persons=protected,
        by=coordinator,
        reports=[r.report for r in reports],
        officer=officer,
        team=officer.team,
    )
    case.order = order
    _started(order, t["created"])
    order = _evidence(builder, order, [r.reference for r in reports], 3)
    review = opts.get("review")
    if review is None:
        return order  # the tests written; views, conditions and court still to do
    order = _victim_views(builder, order)
    codes = ["no-contact", *builder.rng.sample(["exclusion-zone", "no-approach"], 1)]
    for proposed in builder.conditions(case, codes):
        applications.add_condition(
            builder.fresh(order),
            proposed.code,
            necessity=proposed.necessity,
            wording=proposed.wording,
            locality=proposed.locality,
            expected_version=None,
            by=coordinator,
        )
    order = applications.save_court(
        builder.fresh(order),
        builder._court(officer),
        t.get("hearing"),
        expected_version=None,
        by=coordinator,
    )
    applications.request_review(
        builder.fresh(order),
        REVIEW_NOTE,
        expected_version=None,
        by=coordinator,
        at=t["review_requested"],
    )
    if review == "pending":
        return builder.fresh(order)
    decision = ReviewDecision.APPROVED if review == "approved" else ReviewDecision.CHANGES_REQUESTED
    applications.decide_review(
        builder.fresh(order),
        decision,
        "" if review == "approved" else CHANGES,
        expected_version=None,
        by=builder.staff.user("legal"),
        at=t["review_decided"],
    )
    return builder.fresh(order)


HOUR = dt.timedelta(hours=1)
# How many of the demo officer's open reports are referred: the first two (oldest) are decided.
REFERRALS = 5


def refer_reports(builder: CaseBuilder) -> list[Referral]:
    """The demo officer refers a few of their recent open reports (those naming a suspect) to
    the SPO coordinator, who accepts one, starting an application from it, and declines one."""
    rng, now = builder.rng, builder.now
    officer, coordinator = builder.staff.user("officer"), builder.staff.coordinator
    candidates = list(
        Report.objects.filter(
            force=builder.force,
            officer=officer,
            status=ReportStatus.OPEN,
            reported_at__lte=now - 6 * HOUR,
            report_parties__role="suspect",
        )
        .distinct()
        .order_by("-reported_at", "reference")[: REFERRALS * 3]
    )
    chosen = sorted(
        rng.sample(candidates, min(REFERRALS, len(candidates))),
        key=lambda r: (r.reported_at, r.reference),
    )
    referrals = []
    for n, report in enumerate(chosen):
        day = report.reported_at.astimezone(LONDON).date() + dt.timedelta(days=rng.randint(0, 2))
        referred_at = min(
            max(at(day, rng.randint(8, 20), rng.randint(0, 59)), report.reported_at + HOUR),
            now - 3 * HOUR,
        )
        referral = report_services.refer_report(
            report=report, by=officer, note=REFERRAL_NOTES[n % len(REFERRAL_NOTES)], now=referred_at
        )
        if n < 2:
            day = referred_at.astimezone(LONDON).date() + dt.timedelta(days=rng.randint(1, 3))
            decided_at = min(at(day, rng.randint(9, 16), rng.randint(0, 59)), now - HOUR)
            accept = n == 0
            referral = report_services.decide_referral(
                referral=referral,
                by=coordinator,
                accept=accept,
                note=ACCEPT_NOTE if accept else DECLINE_REASON,
                now=decided_at,
            )
            if accept:
                _application_from(builder, report, decided_at)
        referrals.append(referral)
    return referrals


def _application_from(builder: CaseBuilder, report: Report, accepted_at: dt.datetime) -> Order:
    """The application the coordinator starts on accepting a referral: test 1 and the victim's
    views written, the rest to do."""
    parties = ReportParty.objects.filter(report=report).select_related("person")
    defendant = next(p.person for p in parties if p.role == "suspect")
    victims = [p.person for p in parties if p.role == "victim"]
    order = services.create_order(
        force=builder.force,
        order_type="spo",
        defendant=defendant,
        protected_persons=victims,
        by=builder.staff.coordinator,
        reports=[report],
        officer=report.officer,
        team=report.team,
    )
    _started(order, min(accepted_at + dt.timedelta(minutes=40), builder.now))
    order = _evidence(builder, order, [report.reference], 1)
    return _victim_views(builder, order)
