"""The order state machine: the only code that changes an order's state. The application
builder and legal review, which call it, are in applications.py (`from safeguard.orders.services
import applications`).

Every step asks the rules specs (safeguard.rules.orders) whether it is lawful, runs in one
transaction, takes the order's row lock, and checks the version the caller read, so a second
writer gets a ConcurrentEdit instead of silently overwriting the first (issue 2, item 5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safeguard.access.models import Force, Team, User
from safeguard.orders.models import (
    Appeal,
    AppealOutcome,
    ApplicationKind,
    Condition,
    CourtApplication,
    Hearing,
    HearingKind,
    Order,
    Outcome,
    ProclaimedBankHoliday,
    Service,
    StateChange,
)
from safeguard.orders.signals import order_made, order_served
from safeguard.people.models import Person
from safeguard.reports.models import Report
from safeguard.rules.calendar import Calendar
from safeguard.rules.clock import (
    ClockConfig,
    Deadline,
    compute_deadlines,
    end_of_period_beginning_with,
)
from safeguard.rules.config import RulesConfig, split_rules_settings
from safeguard.rules.orders import (
    ORDER_TYPES,
    Action,
    RuleViolation,
    State,
    check_action,
    check_authoriser,
    check_discharge,
    check_term,
    check_vary,
    spec,
)


class ConcurrentEdit(Exception):
    """Someone else changed the order after the caller read it."""

    def __init__(self, order: Order, expected: int) -> None:
        super().__init__(
            f"Order {order.reference} was changed by someone else (version {order.version}, "
            f"you had version {expected}). Reload it, check the changes, then try again."
        )
        self.order = order


class InvalidStep(ValueError):
    """Input that cannot be acted on; the message says what to fix."""


def rules_config() -> RulesConfig:
    return split_rules_settings(getattr(settings, "SAFEGUARD_RULES", None))[0]


def clock_config() -> ClockConfig:
    return split_rules_settings(getattr(settings, "SAFEGUARD_RULES", None))[1]


def statutory_calendar() -> Calendar:
    """E&W bank holidays, plus extra days proclaimed and less days cancelled by proclamation."""
    extra = [dt.date.fromisoformat(d) for d in settings.SAFEGUARD_EXTRA_BANK_HOLIDAYS]
    cancelled: list[dt.date] = []
    for day, is_cancelled in ProclaimedBankHoliday.objects.values_list("date", "cancelled"):
        (cancelled if is_cancelled else extra).append(day)
    return Calendar(extra_bank_holidays=extra, cancelled_bank_holidays=cancelled)


def deadlines_for(
    order_type: str, moment: str, at: dt.datetime, *, calendar: Calendar | None = None
) -> list[Deadline]:
    """Deadlines the statutory clock gives when `moment` (e.g. "served") happens to an order.

    A page that computes many deadlines builds the calendar once and passes it in.
    """
    event = spec(order_type).clock_events.get(moment)
    if event is None:
        return []
    calendar = calendar if calendar is not None else statutory_calendar()
    return compute_deadlines(event, at, calendar=calendar, config=clock_config())


# --- Locking, and internals ------------------------------------------------------------------------------


def lock_order(order: Order | int, expected_version: int | None) -> Order:
    """Lock the order's row for this transaction; refuse a caller who read an older version
    (ADR 3). Every service that changes an order, here or in the other apps, starts with it."""
    pk = order if isinstance(order, int) else order.pk
    locked = Order.objects.select_for_update().get(pk=pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEdit(locked, expected_version)
    return locked


def bump_version(order: Order, fields: Iterable[str] = ()) -> None:
    """Save `fields` and move the version on, so anyone holding the old one gets a conflict."""
    Order.objects.filter(pk=order.pk).update(
        version=F("version") + 1, **{f: getattr(order, f) for f in fields}
    )
    order.refresh_from_db()


def _move(
    order: Order, action: Action, *, by: User | None, at: dt.datetime | None = None, note: str = ""
) -> None:
    to_state = check_action(order.order_type, order.state, action)
    StateChange.objects.create(
        order=order,
        action=action.value,
        from_state=order.state,
        to_state=to_state.value,
        at=at or timezone.now(),
        by=by,
        note=note,
    )
    order.state = to_state.value


def _local_day(moment: dt.datetime) -> dt.date:
    """The Europe/London calendar day of an instant (00:30 BST is still that day, not UTC's)."""
    return timezone.localdate(moment)


def _at_start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(0, 0)))


def _next_reference(force: Force, order_type: str) -> str:
    """The next free reference for this force and type. The force row is locked so two people
    creating orders at once cannot take the same number; gaps after a deletion are never reused."""
    Force.objects.select_for_update().filter(pk=force.pk).first()
    prefix = f"{force.code[:3].upper()}-{order_type.upper()}-"
    taken = Order.objects.filter(force=force, reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    highest = max(
        (int(r.removeprefix(prefix)) for r in taken if r.removeprefix(prefix).isdigit()), default=0
    )
    return f"{prefix}{highest + 1:05d}"


# --- Creating and applying ------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedCondition:
    code: str
    necessity: str = ""
    wording: str = ""
    locality: str = ""
    ends_on: dt.date | None = None


@transaction.atomic
def create_order(
    *,
    force: Force,
    order_type: str,
    defendant: Person,
    protected_persons: Sequence[Person],
    by: User | None,
    reports: Sequence[Report] = (),
    officer: User | None = None,
    team: Team | None = None,
    parent: Order | None = None,
    court: str = "",
    reference: str | None = None,
    conditions: Sequence[ProposedCondition] = (),
    grounds: dict | None = None,
    victim_views: str = "",
) -> Order:
    s = spec(order_type)
    if defendant.force_id != force.pk or any(p.force_id != force.pk for p in protected_persons):
        raise InvalidStep("The defendant and protected persons must be recorded by the same force")
    if not protected_persons:
        raise InvalidStep("Name at least one person the order protects")
    if any(p.pk == defendant.pk for p in protected_persons):
        raise InvalidStep("The defendant cannot also be a protected person")
    if s.interim_for:
        # SPA 2019 s.5(1)-(2): an interim order only while the main application is undetermined.
        if parent is None or parent.order_type != s.interim_for:
            raise RuleViolation(
                f"An {s.title} is made on a pending {spec(s.interim_for).title} application: "
                "choose the main application it belongs to",
                basis=s.tests[0].basis,
            )
        if parent.state not in (State.DRAFT, State.APPLIED):
            raise RuleViolation(
                f"An {s.title} is only available while the main application is undetermined; "
                f"{parent.reference} is {parent.get_state_display().lower()}",
                basis=s.tests[0].basis,
            )
    if s.follows_notice and parent is not None and parent.order_type != s.follows_notice:
        raise InvalidStep(f"A {s.title} follows a {spec(s.follows_notice).title}, not this order")
    order = Order.objects.create(
        force=force,
        reference=reference or _next_reference(force, order_type),
        order_type=order_type,
        defendant=defendant,
        officer=officer,
        team=team,
        parent=parent,
        court=court,
        grounds=grounds or {},
        victim_views=victim_views,
    )
    order.protected_persons.set(protected_persons)
    order.reports.set(reports)
    for proposed in conditions:
        _add_condition(order, proposed, granted=False)
    return order


def _add_condition(
    order: Order, proposed: ProposedCondition, *, granted: bool, on: dt.date | None = None
) -> Condition:
    s = order.spec
    option = s.condition(proposed.code)
    if option.max_months and proposed.ends_on and order.made_on:
        # DAA 2021 s.38(5): counted like every period "beginning with" the day made.
        limit = end_of_period_beginning_with(order.made_on, months=option.max_months)
        if proposed.ends_on > limit:
            raise RuleViolation(
                f"The condition '{option.title}' cannot run for more than {option.max_months} "
                "months beginning with the day the order is made",
                basis=option.basis,
            )
    return Condition.objects.create(
        order=order,
        code=option.code,
        kind=option.kind,
        wording=proposed.wording or option.title,
        necessity=proposed.necessity,
        locality=proposed.locality,
        granted=granted,
        added_on=on,
        ends_on=proposed.ends_on,
    )


@transaction.atomic
def propose_condition(
    order: Order, proposed: ProposedCondition, *, expected_version: int | None, by: User | None
) -> Condition:
    order = lock_order(order, expected_version)
    if order.state not in (State.DRAFT, State.APPLIED):
        raise RuleViolation(
            "Conditions of an order already made change only through a variation",
            basis=order.spec.may_vary_renew_discharge.basis
            if order.spec.may_vary_renew_discharge
            else order.spec.act,
        )
    condition = _add_condition(order, proposed, granted=False)
    bump_version(order)
    return condition


def _check_application_complete(order: Order) -> None:
    s = order.spec
    proposed = list(order.conditions.all())
    if not proposed:
        raise InvalidStep("Propose at least one prohibition or requirement before applying")
    if s.key in ("spo", "interim-spo"):
        # SPA 2019 s.2(2): each prohibition or requirement must itself be necessary.
        missing = [c.wording for c in proposed if not c.necessity.strip()]
        if missing:
            raise RuleViolation(
                "Explain why each condition is necessary to protect the person; missing for: "
                + "; ".join(missing),
                basis="Stalking Protection Act 2019 s.2(2)",
            )


@transaction.atomic
def submit_application(
    order: Order,
    *,
    expected_version: int | None,
    by: User | None,
    at: dt.datetime | None = None,
    hearing_at: dt.datetime | None = None,
) -> Order:
    order = lock_order(order, expected_version)
    at = at or timezone.now()
    _check_application_complete(order)
    _move(order, Action.SUBMIT, by=by, at=at)
    order.applied_at = at
    bump_version(order, ["state", "applied_at"])
    if hearing_at:
        kind = HearingKind.INTERIM if order.spec.interim_for else HearingKind.APPLICATION
        Hearing.objects.create(order=order, kind=kind, scheduled_for=hearing_at, court=order.court)
    return order


@transaction.atomic
def issue_notice(
    order: Order,
    *,
    authorised_by: str,
    authoriser_rank: str,
    issued_at: dt.datetime,
    expected_version: int | None,
    by: User | None,
) -> Order:
    """Give a DVPN or DAPN: authorised by an officer of the required rank (CSA 2010 s.24(1);
    DAA 2021 s.22(8)); the hearing deadline then runs from the moment it is given."""
    order = lock_order(order, expected_version)
    check_authoriser(order.order_type, authoriser_rank)
    missing = set(order.spec.mandatory_conditions) - set(
        order.conditions.values_list("code", flat=True)
    )
    if missing:
        raise RuleViolation(
            f"A {order.spec.title} must include: {', '.join(sorted(missing))}",
            basis=order.spec.act,
        )
    _move(order, Action.ISSUE, by=by, at=issued_at)
    order.issued_at = issued_at
    order.served_at = issued_at  # a notice is served personally when given (CSA s.25, DAA s.25)
    order.authorised_by = authorised_by
    order.authoriser_rank = authoriser_rank
    order.conditions.update(granted=True, added_on=_local_day(issued_at))
    bump_version(order, ["state", "issued_at", "served_at", "authorised_by", "authoriser_rank"])
    return order


@transaction.atomic
@transaction.atomic
def apply_after_notice(
    notice: Order,
    following_type: str,
    *,
    court: str,
    hearing_at: dt.datetime,
    expected_version: int | None,
    by: User | None,
) -> Order:
    """The application to the magistrates' court for the order that follows a notice (CSA 2010
    s.27(1): a DVPO application must follow a DVPN; DAA 2021 s.27: a DAPO one a DAPN), carrying
    the notice's conditions that the order can also impose. Only one application follows a
    notice: the notice is locked and must still be in force."""
    current = lock_order(notice, expected_version)
    if current.state != State.IN_FORCE:
        raise InvalidStep(
            f"{current.reference} is {current.get_state_display().lower()}: an application can "
            "follow only a notice in force"
        )
    if current.children.exists():
        raise InvalidStep(f"An application already follows {current.reference}")
    following = ORDER_TYPES[following_type]
    order = create_order(
        force=current.force,
        order_type=following.key,
        defendant=current.defendant,
        protected_persons=list(current.protected_persons.all()),
        reports=list(current.reports.all()),
        officer=current.officer or by,
        team=current.team,
        parent=current,
        court=court,
        conditions=[
            ProposedCondition(c.code, wording=c.wording, locality=c.locality)
            for c in current.conditions.all()
            if any(o.code == c.code for o in following.conditions)
        ],
        by=by,
    )
    return submit_application(order, expected_version=order.version, by=by, hearing_at=hearing_at)


def schedule_hearing(
    order: Order,
    *,
    scheduled_for: dt.datetime,
    kind: str = HearingKind.APPLICATION,
    court: str = "",
    expected_version: int | None,
    by: User | None,
) -> Hearing:
    order = lock_order(order, expected_version)
    if order.is_closed:
        raise InvalidStep(f"{order.reference} is closed; no further hearings can be listed")
    hearing = Hearing.objects.create(
        order=order, kind=kind, scheduled_for=scheduled_for, court=court or order.court
    )
    bump_version(order)
    return hearing


def _end_dependants(
    order: Order, *, by: User | None, on: dt.date, why: str, at: dt.datetime | None = None
) -> None:
    """When a main application is determined its interim order ends (SPA 2019 s.5(6)), and a
    notice ends when the order application that follows it is determined (CSA s.25; DAA s.25)."""
    dependants = [o for o in order.children.select_for_update() if o.state == State.IN_FORCE]
    if (
        order.parent
        and order.parent.state == State.IN_FORCE
        and order.parent.spec.term.lasts_until_hearing
    ):
        dependants.append(Order.objects.select_for_update().get(pk=order.parent.pk))
    for dependant in dependants:
        if Action.END not in dependant.spec.actions:
            continue
        _move(dependant, Action.END, by=by, at=at, note=why)
        dependant.ended_on = on
        dependant.end_reason = why
        bump_version(dependant, ["state", "ended_on", "end_reason"])


@transaction.atomic
def record_outcome(
    order: Order,
    outcome: str,
    *,
    expected_version: int | None,
    by: User | None,
    decided_at: dt.datetime | None = None,
    made_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    until_further_order: bool = False,
    granted_conditions: Sequence[ProposedCondition] | None = None,
    reasons: str = "",
    hearing: Hearing | None = None,
) -> Order:
    """Record what the court decided on the application."""
    order = lock_order(order, expected_version)
    decided_at = decided_at or timezone.now()
    outcome = Outcome(outcome)
    if outcome == Outcome.PENDING:
        raise InvalidStep("Choose the outcome of the hearing")
    if outcome in (Outcome.REFUSED, Outcome.ADJOURNED) and not reasons.strip():
        raise InvalidStep("Give the court's reasons")
    if outcome in (Outcome.GRANTED, Outcome.GRANTED_CHANGED):
        made_on = made_on or _local_day(decided_at)
        check_term(order.order_type, made_on, ends_on, until_further_order=until_further_order)
        _move(order, Action.GRANT, by=by, at=decided_at, note=reasons)
        order.made_on, order.ends_on = made_on, ends_on
        order.until_further_order = until_further_order
        if outcome == Outcome.GRANTED_CHANGED:
            if not granted_conditions:
                raise InvalidStep("List the conditions as the court granted them")
            order.conditions.all().delete()
            for proposed in granted_conditions:
                _add_condition(order, proposed, granted=True, on=made_on)
        else:
            order.conditions.update(granted=True, added_on=made_on)
        missing = set(order.spec.mandatory_conditions) - set(
            order.conditions.values_list("code", flat=True)
        )
        if missing:
            raise RuleViolation(
                f"A {order.spec.title} must include: {', '.join(sorted(missing))}",
                basis=order.spec.act,
            )
        bump_version(order, ["state", "made_on", "ends_on", "until_further_order"])
        _end_dependants(
            order, by=by, on=made_on, at=decided_at, why=f"{order.reference} was determined"
        )
        order_made.send(sender=Order, order=order)
    elif outcome == Outcome.ADJOURNED:
        _move(order, Action.ADJOURN, by=by, at=decided_at, note=reasons)
        bump_version(order, ["state"])
    else:
        action = Action.REFUSE if outcome == Outcome.REFUSED else Action.WITHDRAW
        _move(order, action, by=by, at=decided_at, note=reasons)
        order.ended_on = _local_day(decided_at)
        order.end_reason = reasons
        bump_version(order, ["state", "ended_on", "end_reason"])
        _end_dependants(
            order,
            by=by,
            on=_local_day(decided_at),
            at=decided_at,
            why=f"{order.reference} was determined",
        )
    if hearing is None:
        hearing = order.hearings.filter(outcome=Outcome.PENDING).order_by("scheduled_for").first()
    if hearing is None and outcome != Outcome.WITHDRAWN:
        # The court decided at a hearing nobody had listed here: record that hearing.
        hearing = Hearing(order=order, scheduled_for=decided_at, court=order.court)
    if hearing is not None:
        hearing.outcome, hearing.reasons, hearing.decided_at = outcome, reasons, decided_at
        hearing.save()
    return order


@transaction.atomic
def record_service(
    order: Order,
    *,
    served_at: dt.datetime,
    method: str,
    served_by: str,
    expected_version: int | None,
    by: User | None,
    notes: str = "",
) -> Service:
    order = lock_order(order, expected_version)
    if order.state != State.IN_FORCE:
        raise InvalidStep(
            f"Only an order in force can be served; {order.reference} is "
            f"{order.get_state_display().lower()}"
        )
    if order.made_on and _local_day(served_at) < order.made_on:
        raise InvalidStep("Service cannot be before the day the order was made")
    service = Service.objects.create(
        order=order, served_at=served_at, method=method, served_by=served_by, notes=notes
    )
    first_service = order.served_at is None
    if first_service:
        order.served_at = served_at
    bump_version(order, ["served_at"])
    # SPA 2019 s.9(1): no fresh initial notification when a full SPO replaces an interim SPO
    # that was served (the duties already run).
    replaces_served_interim = order.children.filter(
        order_type="interim-spo", served_at__isnull=False
    ).exists()
    order_served.send(
        sender=Order,
        order=order,
        served_at=served_at,
        needs_initial_notification=first_service and not replaces_served_interim,
    )
    return service


# --- Variation, renewal, discharge, appeals, expiry -----------------------------------------

_ACTION_FOR_KIND = {
    ApplicationKind.VARIATION: Action.VARY,
    ApplicationKind.RENEWAL: Action.RENEW,
    ApplicationKind.DISCHARGE: Action.DISCHARGE,
}


@transaction.atomic
def apply_to_court(
    order: Order,
    *,
    kind: str,
    applicant: str,
    made_on: dt.date,
    grounds: str = "",
    defendant_consents: bool = False,
    chief_officer_consents: bool = False,
    expected_version: int | None,
    by: User | None,
) -> CourtApplication:
    order = lock_order(order, expected_version)
    action = _ACTION_FOR_KIND[ApplicationKind(kind)]
    if order.order_type == "dvpo":
        check_vary(order.order_type, rules_config())
    check_action(order.order_type, order.state, action)  # lawful for this type and state?
    application = CourtApplication.objects.create(
        order=order,
        kind=kind,
        applicant=applicant,
        made_on=made_on,
        grounds=grounds,
        defendant_consents=defendant_consents,
        chief_officer_consents=chief_officer_consents,
    )
    bump_version(order)
    return application


@transaction.atomic
def decide_court_application(
    application: CourtApplication,
    outcome: str,
    *,
    decided_on: dt.date,
    expected_version: int | None,
    by: User | None,
    reasons: str = "",
    add_conditions: Sequence[ProposedCondition] = (),
    remove_condition_ids: Sequence[int] = (),
    new_ends_on: dt.date | None = None,
    until_further_order: bool | None = None,
) -> Order:
    order = lock_order(application.order, expected_version)
    outcome = Outcome(outcome)
    application.outcome, application.decided_on, application.reasons = outcome, decided_on, reasons
    application.save()
    if outcome not in (Outcome.GRANTED, Outcome.GRANTED_CHANGED):
        bump_version(order)
        return order
    action = _ACTION_FOR_KIND[ApplicationKind(application.kind)]
    if action == Action.DISCHARGE:
        check_discharge(
            order.order_type,
            order.made_on or decided_on,
            decided_on,
            defendant_consents=application.defendant_consents,
            chief_officer_consents=application.chief_officer_consents,
            config=rules_config(),
        )
        _move(order, action, by=by, at=_at_start_of_day(decided_on), note=reasons)
        order.ended_on, order.end_reason = decided_on, reasons or "Discharged by the court"
        bump_version(order, ["state", "ended_on", "end_reason"])
        return order
    if action == Action.RENEW:
        ufo = order.until_further_order if until_further_order is None else until_further_order
        if not ufo and (new_ends_on is None or (order.ends_on and new_ends_on <= order.ends_on)):
            raise InvalidStep("A renewal needs a new end date later than the current one")
        check_term(
            order.order_type,
            order.made_on or decided_on,
            None if ufo else new_ends_on,
            until_further_order=ufo,
        )
        order.ends_on, order.until_further_order = (None if ufo else new_ends_on), ufo
    _move(order, action, by=by, at=_at_start_of_day(decided_on), note=reasons)
    removed = order.conditions.filter(pk__in=remove_condition_ids, removed_on__isnull=True)
    if len(remove_condition_ids) != removed.count():
        raise InvalidStep("A condition to remove is not a current condition of this order")
    removed.update(removed_on=decided_on)
    for proposed in add_conditions:
        _add_condition(order, proposed, granted=True, on=decided_on)
    bump_version(order, ["state", "ends_on", "until_further_order"])
    return order


@transaction.atomic
def lodge_appeal(
    order: Order,
    *,
    appellant: str,
    against: str,
    lodged_on: dt.date,
    expected_version: int | None,
    by: User | None,
) -> Appeal:
    order = lock_order(order, expected_version)
    if not order.spec.appeals:
        raise InvalidStep(f"No statutory appeal is recorded for a {order.spec.title}")
    appeal = Appeal.objects.create(
        order=order, appellant=appellant, against=against, lodged_on=lodged_on
    )
    bump_version(order)
    return appeal


@transaction.atomic
def decide_appeal(
    appeal: Appeal,
    outcome: str,
    *,
    decided_on: dt.date,
    expected_version: int | None,
    by: User | None,
) -> Order:
    order = lock_order(appeal.order, expected_version)
    appeal.outcome, appeal.decided_on = AppealOutcome(outcome), decided_on
    appeal.save()
    if appeal.outcome == AppealOutcome.ALLOWED and appeal.appellant == "defendant":
        _move(
            order,
            Action.QUASH,
            by=by,
            at=_at_start_of_day(decided_on),
            note=f"Appeal allowed: {appeal.against}",
        )
        order.ended_on, order.end_reason = decided_on, f"Quashed on appeal ({appeal.court})"
        bump_version(order, ["state", "ended_on", "end_reason"])
    else:
        bump_version(order)
    return order


@transaction.atomic
def expire_orders(today: dt.date | None = None, *, by: User | None = None) -> int:
    """Close every order whose fixed term has run out. Safe to run as often as you like."""
    today = today or timezone.localdate()
    expired = 0
    for order in Order.objects.select_for_update(skip_locked=True).filter(
        state=State.IN_FORCE, ends_on__lt=today
    ):
        assert order.ends_on is not None  # the filter guarantees it
        # The order ended at the end of its last day; it is closed from the start of the next.
        _move(
            order,
            Action.EXPIRE,
            by=by,
            at=_at_start_of_day(order.ends_on + dt.timedelta(days=1)),
            note=f"Fixed term ended on {order.ends_on:%d %B %Y}",
        )
        order.ended_on, order.end_reason = order.ends_on, "Fixed term ended"
        bump_version(order, ["state", "ended_on", "end_reason"])
        expired += 1
    return expired


@transaction.atomic
def lapse_notices(now: dt.datetime | None = None, *, by: User | None = None) -> int:
    """A notice whose order application was not heard by the statutory deadline lapses
    (CSA 2010 s.27; DAA 2021 s.29). Only notices with no pending or granted application."""
    now = now or timezone.now()
    lapsed = 0
    notice_types = [key for key, s in ORDER_TYPES.items() if s.term.lasts_until_hearing]
    for notice in Order.objects.select_for_update(skip_locked=True).filter(
        state=State.IN_FORCE, order_type__in=notice_types, issued_at__isnull=False
    ):
        assert notice.issued_at is not None  # the filter guarantees it
        deadline = deadlines_for(notice.order_type, "issued", notice.issued_at)
        if not deadline or deadline[0].due >= now:
            continue
        heard = notice.children.filter(
            hearings__decided_at__lte=deadline[0].due,
            hearings__outcome__in=[Outcome.ADJOURNED, Outcome.GRANTED, Outcome.GRANTED_CHANGED],
        ).exists()
        if heard:
            continue
        due = deadline[0].due
        _move(notice, Action.LAPSE, by=by, at=due, note=f"Not heard by {due:%d %B %Y %H:%M}")
        notice.ended_on, notice.end_reason = _local_day(due), "Hearing deadline passed"
        bump_version(notice, ["state", "ended_on", "end_reason"])
        lapsed += 1
    return lapsed
