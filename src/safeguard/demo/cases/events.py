"""What happens to an order once made: notifications, changes, variations, renewals,
breaches, appeals and discharges, in time order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safeguard.compliance import services as compliance
from safeguard.compliance.models import Breach, BreachOutcome, NotificationKind
from safeguard.demo.cases.common import Case, at
from safeguard.orders import services
from safeguard.orders.models import (
    Appellant,
    Applicant,
    ApplicationKind,
    Order,
    Outcome,
)

if TYPE_CHECKING:
    from safeguard.demo.cases.build import CaseBuilder


def apply_events(builder: CaseBuilder, case: Case, order: Order) -> Order:
    """Apply the case's events to its order, earliest first, while the order is in force."""
    rng = builder.rng
    for event in sorted(case.events, key=lambda e: e.at):
        data = event.data
        by = builder.staff.coordinator
        if event.kind == "notify":
            pending = order.notifications.filter(
                kind=NotificationKind.INITIAL, notified_at__isnull=True
            ).first()
            if pending is not None:
                builder.made_notification(pending, event.at, order)
        elif event.kind == "change":
            duty = compliance.record_change(
                builder.fresh(order), data["kind"], changed_at=event.at, by=by
            )
            if data["notified"] is not None:
                builder.made_notification(duty, data["notified"], order)
        elif event.kind == "vary":
            order = builder.fresh(order)
            current = list(order.conditions.filter(removed_on__isnull=True).order_by("pk"))
            codes = [c.code for c in current]
            add_code = next(
                (c for c in ("exclusion-zone", "no-third-party-contact", "no-contact", "behaviour-programme")
                 if c not in codes and any(o.code == c for o in order.spec.conditions)),
                None,
            )  # fmt: skip
            application = services.apply_to_court(
                order,
                kind=ApplicationKind.VARIATION,
                applicant=Applicant.POLICE,
                made_on=event.at.date(),
                grounds="Further incidents since the order was made; the protected person has moved to a new address.",
                expected_version=None,
                by=by,
            )
            since = builder.last_pk()
            services.decide_court_application(
                application,
                Outcome.GRANTED,
                decided_on=data["decided"],
                expected_version=None,
                by=by,
                reasons="Variation necessary to protect the person",
                add_conditions=builder.conditions(case, [add_code]) if add_code else (),
                remove_condition_ids=[current[-1].pk] if len(current) > 1 else [],
            )
            builder.stamp(since, at(data["decided"], 12))
        elif event.kind == "renew":
            application = services.apply_to_court(
                builder.fresh(order),
                kind=ApplicationKind.RENEWAL,
                applicant=Applicant.POLICE,
                made_on=event.at.date(),
                grounds="The risk continues: contact attempts in the last three months.",
                expected_version=None,
                by=by,
            )
            since = builder.last_pk()
            services.decide_court_application(
                application,
                Outcome.GRANTED,
                decided_on=data["decided"],
                expected_version=None,
                by=by,
                reasons="Renewed: the risk associated with stalking continues",
                new_ends_on=data["new_ends_on"],
            )
            builder.stamp(since, at(data["decided"], 12))
        elif event.kind == "breach":
            report = data["report"].report if data["report"] is not None else None
            breach = compliance.record_breach(
                builder.fresh(order),
                occurred_at=event.at,
                description=rng.choice(
                    (
                        "Sent messages to the protected person",
                        "Seen inside the exclusion zone near the protected person's home",
                        "Approached the protected person in a supermarket",
                        "Contacted the protected person through a friend",
                    )
                ),
                by=by,
                report=report,
                arrested_at=data["arrested"],
            )
            # No service records a breach's outcome yet (reported to the lead); the demo sets
            # it directly so the figures have outcomes to count.
            age = (builder.now - event.at).days
            if order.order_type == "dvpo" or (order.order_type == "dvpn"):
                outcome = (
                    BreachOutcome.CONTEMPT_FOUND if age > 3 else BreachOutcome.UNDER_INVESTIGATION
                )
            elif age > 120:
                outcome = rng.choice(
                    (
                        BreachOutcome.CONVICTED,
                        BreachOutcome.CONVICTED,
                        BreachOutcome.NO_FURTHER_ACTION,
                    )
                )
            elif age > 30:
                outcome = rng.choice((BreachOutcome.CHARGED, BreachOutcome.UNDER_INVESTIGATION))
            else:
                outcome = BreachOutcome.UNDER_INVESTIGATION
            Breach.objects.filter(pk=breach.pk).update(outcome=outcome)
        elif event.kind == "appeal":
            appeal = services.lodge_appeal(
                builder.fresh(order),
                appellant=data["appellant"],
                against="The making of the order"
                if data["appellant"] == Appellant.DEFENDANT
                else "The refusal to make the order",
                lodged_on=event.at.date(),
                expected_version=None,
                by=by,
            )
            if data.get("decided"):
                since = builder.last_pk()
                services.decide_appeal(
                    appeal,
                    data["outcome"],
                    decided_on=data["decided"],
                    expected_version=None,
                    by=by,
                )
                builder.stamp(since, at(data["decided"], 15))
        elif event.kind == "discharge":
            application = services.apply_to_court(
                builder.fresh(order),
                kind=ApplicationKind.DISCHARGE,
                applicant=data["applicant"],
                made_on=event.at.date(),
                grounds="The parties have had no contact for months and the defendant has moved away."
                if data["applicant"] != Applicant.PROTECTED_PERSON
                else "The protected person asks the court to discharge the order.",
                defendant_consents=data["consents"],
                chief_officer_consents=data["consents"],
                expected_version=None,
                by=by,
            )
            since = builder.last_pk()
            services.decide_court_application(
                application,
                Outcome.GRANTED,
                decided_on=data["decided"],
                expected_version=None,
                by=by,
                reasons="Discharged: the court is satisfied the order is no longer necessary",
            )
            builder.stamp(since, at(data["decided"], 12))
        order = builder.fresh(order)
    return order
