"""Read queries for orders: every one starts from access.restrict (DESIGN.md, Protecting victims).
The reads for an order's life after it is made, and for police notices, are in lifecycle.py.

Views ask these functions and never build querysets of case data themselves. Each query fetches
its related rows up front (select_related/prefetch_related), so a page runs a fixed number of
queries however many orders it shows. People reached through an order (its defendant and
protected persons) are shown by name only; their protected details are never read here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, OrderBy, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from safeguard.access import audit, permissions
from safeguard.access.context_processors import capabilities_for
from safeguard.access.models import AuditKind, Role, User
from safeguard.access.restrict import FORCE_WIDE_ROLES, may, restrict
from safeguard.compliance.models import Breach, Notification
from safeguard.orders.models import (
    AdvocateLink,
    Condition,
    Hearing,
    Order,
    Service,
    StateChange,
)
from safeguard.orders.services import deadlines_for, statutory_calendar
from safeguard.people.models import Alias, Identifier, Person
from safeguard.reports.models import Report, ReportStatus
from safeguard.rules.clock import Deadline, end_of_day
from safeguard.rules.offences import OFFENCES
from safeguard.rules.orders import ORDER_TYPES, TERMINAL_STATES, State

# How far ahead the dashboard looks for fixed terms that are ending.
ENDING_WITHIN_DAYS = 90
BREACH_WINDOW_DAYS = 30

# Order types whose hearing deadline runs from the moment the notice is given (DVPN, DAPN): read
# from the rules specs, never hard-coded.
NOTICE_TYPES = tuple(key for key, s in ORDER_TYPES.items() if "issued" in s.clock_events)


def _nulls_last(field: str, descending: bool) -> OrderBy:
    return F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)


# The list page's sort keys and what each orders by; "-key" sorts descending. The reference is
# the tie-breaker, so pages never shuffle between requests.
SORT_KEYS = ("reference", "type", "defendant", "state", "made_on", "ends_on")
DEFAULT_SORT = "-made_on"
SORT_CHOICES = tuple(key for k in SORT_KEYS for key in (k, f"-{k}"))


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        return _ordering(DEFAULT_SORT)
    fields = {
        "reference": ["reference"],
        "type": ["order_type"],
        "defendant": ["defendant__surname", "defendant__given_name"],
        "state": ["state"],
        "made_on": ["made_on"],
        "ends_on": ["ends_on"],
    }[key]
    return [*(_nulls_last(f, descending) for f in fields), "reference", "pk"]


def sees_case_records(user: Any) -> bool:
    """Whether the user's role includes case records at all (analysts and national
    administrators work with aggregates only): the same answer the navigation uses."""
    return capabilities_for(user).sees_case_records


def case_scope(user: Any) -> str:
    """In words for the dashboard, which case records restrict() gives the user: "force" (every
    record of their force), "own" (those assigned to them or their team) or "linked" (only cases
    they are linked to: victim advocates, issue 3)."""
    if user.role in FORCE_WIDE_ROLES:
        return "force"
    return "own" if user.role == Role.OFFICER else "linked"


def orders_for(
    user: Any, *, order_type: str = "", state: str = "", sort: str = DEFAULT_SORT
) -> QuerySet[Order]:
    """The orders the user may see, filtered and sorted for the list page."""
    orders = restrict(Order.objects.all(), user).select_related("defendant")
    if order_type:
        orders = orders.filter(order_type=order_type)
    if state:
        orders = orders.filter(state=state)
    return orders.order_by(*_ordering(sort))


def order_detail(user: Any, pk: int) -> Order:
    """One order with everything its page shows, or Http404 if the user may not see it: the
    same answer as for an order that does not exist, so existence is not disclosed.

    Opening an order is a consultation, so it is logged in the audit trail (DPA 2018 s.62).
    """
    orders = (
        restrict(Order.objects.all(), user)
        .select_related("defendant", "officer", "team", "force")
        .prefetch_related(
            "protected_persons",
            Prefetch("conditions", queryset=restrict(Condition.objects.all(), user)),
            Prefetch("hearings", queryset=restrict(Hearing.objects.all(), user)),
            Prefetch("services", queryset=restrict(Service.objects.all(), user)),
            Prefetch(
                "state_changes",
                queryset=restrict(StateChange.objects.select_related("by"), user),
            ),
            Prefetch("notifications", queryset=restrict(Notification.objects.all(), user)),
            Prefetch("breaches", queryset=restrict(Breach.objects.all(), user)),
            Prefetch("children", queryset=restrict(Order.objects.order_by("created_at"), user)),
            Prefetch(
                "advocate_links",
                queryset=restrict(
                    AdvocateLink.objects.select_related("user").order_by("linked_at", "pk"), user
                ),
            ),
        )
    )
    order = get_object_or_404(orders, pk=pk)
    audit.record(AuditKind.VIEW, user=user, table_name=Order._meta.db_table, object_id=order.pk)
    return order


@dataclass(frozen=True)
class OrderAccess:
    """What the user may see and do on an order's page, from the permission table."""

    fields: frozenset[str]  # the order's fields the page may show (permissions.visible_fields)
    people: frozenset[int]  # the defendant and protected persons whose page the user may open
    may_audit: bool
    may_change: bool = False  # e.g. link or unlink a victim advocate (orders/advocates.py)

    @property
    def restricted(self) -> bool:
        """Whether this is a partial view (e.g. a victim advocate's safety-planning view)."""
        return self.fields != frozenset(permissions.OBJECTS["order"].fields)


def order_access(user: Any, order: Order) -> OrderAccess:
    named = [order.defendant_id, *(p.pk for p in order.protected_persons.all())]
    people = restrict(Person.objects.filter(pk__in=named), user).values_list("pk", flat=True)
    return OrderAccess(
        fields=permissions.visible_fields(user, "order"),
        people=frozenset(people),
        may_audit=permissions.allows(user, "audit_event", "view") and may(user, order, "audit"),
        may_change=_may_change(user, order),
    )


def _may_change(user: Any, order: Order) -> bool:
    """Whether the user may change this order (which they can see). Where their role's change
    rule reaches as far as its view rule, seeing it is enough: no second query."""
    view = permissions.rule_for(user.role, "order", "view")
    change = permissions.rule_for(user.role, "order", "change")
    if change is None or not permissions.allows(user, "order", "change"):
        return False
    if view is not None and view.reach == change.reach:
        return True
    return may(user, order, "change")


def parent_order(user: Any, order: Order) -> Order | None:
    """The order's parent (the main application, or the notice it follows), if the user may see
    it; None otherwise, so a parent outside the user's scope is not disclosed."""
    if order.parent_id is None:
        return None
    return restrict(Order.objects.filter(pk=order.parent_id), user).first()


@dataclass(frozen=True)
class ClockDeadline:
    moment: str  # the lifecycle moment that started it: "issued", "served" or "made"
    started_at: dt.datetime
    deadline: Deadline


def clock_deadlines(order: Order) -> list[ClockDeadline]:
    """The deadlines the statutory clock gives for what has happened to the order so far."""
    tz = timezone.get_current_timezone()
    moments: dict[str, dt.datetime | None] = {
        "issued": order.issued_at,
        "served": order.served_at,
        # The statutes count "beginning with the day made": any time on that day gives the same
        # result; noon keeps clear of midnight on a clock-change day.
        "made": dt.datetime.combine(order.made_on, dt.time(12), tzinfo=tz)
        if order.made_on
        else None,
    }
    found: list[ClockDeadline] = []
    for moment, at in moments.items():
        if at is None or moment not in order.spec.clock_events:
            continue
        found.extend(
            ClockDeadline(moment, at, d) for d in deadlines_for(order.order_type, moment, at)
        )
    return sorted(found, key=lambda c: c.deadline.due)


@dataclass(frozen=True)
class DashboardCounts:
    in_force: int
    applications_pending: int
    notifications_overdue: int
    breaches_recent: int


def dashboard_counts(user: Any, now: dt.datetime | None = None) -> DashboardCounts:
    now = now or timezone.now()
    orders = restrict(Order.objects.all(), user).aggregate(
        in_force=Count("pk", filter=Q(state=State.IN_FORCE)),
        pending=Count("pk", filter=Q(state=State.APPLIED)),
    )
    overdue = restrict(
        Notification.objects.filter(
            notified_at__isnull=True, due_at__lt=now, order__state=State.IN_FORCE
        ),
        user,
    ).count()
    breaches = restrict(
        Breach.objects.filter(occurred_at__gte=now - dt.timedelta(days=BREACH_WINDOW_DAYS)), user
    ).count()
    return DashboardCounts(
        in_force=orders["in_force"],
        applications_pending=orders["pending"],
        notifications_overdue=overdue,
        breaches_recent=breaches,
    )


@dataclass(frozen=True)
class UpcomingDeadline:
    due: dt.datetime
    what: str
    basis: str
    order: Order
    overdue: bool
    date_only: bool = False  # a day (a fixed term's last day), not a moment


def upcoming_deadlines(
    user: Any, now: dt.datetime | None = None, *, limit: int = 20
) -> list[UpcomingDeadline]:
    """The nearest deadlines across the user's live orders, soonest (or most overdue) first:
    notifications not yet made, notices' hearing deadlines, and fixed terms ending soon."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    found: list[UpcomingDeadline] = []

    notifications = (
        restrict(
            Notification.objects.filter(notified_at__isnull=True, order__state=State.IN_FORCE),
            user,
        )
        .select_related("order__defendant", "order__officer")
        .order_by("due_at")[:limit]
    )
    found += [
        UpcomingDeadline(
            due=n.due_at,
            what=f"{n.get_kind_display()} due",
            basis=n.basis,
            order=n.order,
            overdue=n.due_at < now,
        )
        for n in notifications
    ]

    notices = restrict(
        Order.objects.filter(
            state=State.IN_FORCE, order_type__in=NOTICE_TYPES, issued_at__isnull=False
        ),
        user,
    ).select_related("defendant", "officer")
    calendar = statutory_calendar()  # once for every notice: no query per row
    for notice in notices:
        found += [
            UpcomingDeadline(
                due=d.due, what=d.description, basis=d.basis, order=notice, overdue=d.due < now
            )
            for d in deadlines_for(notice.order_type, "issued", notice.issued_at, calendar=calendar)
        ]

    ending = (
        restrict(
            Order.objects.filter(
                state=State.IN_FORCE,
                ends_on__gte=today,
                ends_on__lte=today + dt.timedelta(days=ENDING_WITHIN_DAYS),
            ),
            user,
        )
        .select_related("defendant", "officer")
        .order_by("ends_on", "reference")[:limit]
    )
    found += [
        UpcomingDeadline(
            due=end_of_day(o.ends_on),
            what="Fixed term ends",
            basis=o.spec.term.basis,
            order=o,
            overdue=False,
            date_only=True,
        )
        for o in ending
    ]
    return sorted(found, key=lambda u: u.due)[:limit]


# --- Victim advocates: links and "Your cases" -------------------------------------------------


def order_to_change(user: Any, pk: int) -> Order:
    """An order the user is about to change (e.g. who is linked to it): Http404 if they may not
    see it (existence is not disclosed), PermissionDenied if they may see it but not change it."""
    order = get_object_or_404(restrict(Order.objects.select_related("defendant"), user), pk=pk)
    if not may(user, order, "change"):
        raise PermissionDenied("Your role may not change this order")
    return order


def advocate_links(user: Any, order: Order) -> list[AdvocateLink]:
    """The advocates linked to the order, as the user may see them."""
    links = restrict(AdvocateLink.objects.filter(order=order), user)
    return list(links.select_related("user").order_by("linked_at", "pk"))


def linked_cases(user: Any) -> QuerySet[Order]:
    """The orders a victim advocate is linked to, with what safety planning needs (their
    conditions, hearings and breaches), live orders first. restrict() gives an advocate only
    their linked orders (Reach.LINKED) and only the fields of SAFETY_PLANNING: the conditions,
    hearings and breaches come through restrict() too, so a field their role lacks has no rows."""
    live_first = Case(When(state=State.IN_FORCE, then=Value(0)), default=Value(1))
    return (
        restrict(Order.objects.all(), user)
        .select_related("defendant", "officer")
        .prefetch_related(
            "protected_persons",
            Prefetch(
                "conditions",
                queryset=restrict(
                    Condition.objects.filter(removed_on__isnull=True).order_by("kind", "pk"), user
                ),
            ),
            Prefetch(
                "hearings", queryset=restrict(Hearing.objects.order_by("scheduled_for"), user)
            ),
            Prefetch("breaches", queryset=restrict(Breach.objects.order_by("-occurred_at"), user)),
        )
        .order_by(live_first, _nulls_last("ends_on", False), "reference", "pk")
    )


# --- The supervisor's overview of their force ---------------------------------------------------

DUE_SOON_DAYS = 7  # "due this week" on the overview
OPEN_STATES = tuple(s.value for s in State if s not in TERMINAL_STATES)
APPLICATION_STATES = (State.DRAFT.value, State.APPLIED.value)


@dataclass(frozen=True)
class OfficerLoad:
    name: str
    open_orders: int
    applications: int
    open_reports: int

    @property
    def total(self) -> int:
        return self.open_orders + self.open_reports


@dataclass(frozen=True)
class Overview:
    open_orders: int  # every order not yet ended: drafts, applications and orders in force
    in_force: int
    drafts: int  # applications being prepared
    applied: int  # applications waiting for the court
    open_reports: int
    deadlines_overdue: int
    deadlines_due_soon: int  # within DUE_SOON_DAYS, not yet overdue
    breaches_this_month: int
    month_start: dt.date
    workload: list[OfficerLoad]
    deadlines: list[UpcomingDeadline]

    @property
    def applications_in_progress(self) -> int:
        return self.drafts + self.applied


def overview(user: Any, now: dt.datetime | None = None) -> Overview:
    """The force's case work at a glance, in a fixed number of queries whatever its size: each
    figure is one aggregate query through restrict(), workload is one grouped query per kind of
    case plus one for the officers' names."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    soon = now + dt.timedelta(days=DUE_SOON_DAYS)
    month_start = today.replace(day=1)
    tz = timezone.get_current_timezone()

    orders = restrict(Order.objects.all(), user)
    figures = orders.aggregate(
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        in_force=Count("pk", filter=Q(state=State.IN_FORCE)),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        applied=Count("pk", filter=Q(state=State.APPLIED)),
        ending_soon=Count(
            "pk",
            filter=Q(
                state=State.IN_FORCE,
                ends_on__gte=today,
                ends_on__lte=timezone.localdate(soon),
            ),
        ),
    )
    notifications = restrict(
        Notification.objects.filter(notified_at__isnull=True, order__state=State.IN_FORCE), user
    ).aggregate(
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        soon=Count("pk", filter=Q(due_at__gte=now, due_at__lte=soon)),
    )
    notice_overdue = notice_soon = 0
    notices = restrict(
        Order.objects.filter(
            state=State.IN_FORCE, order_type__in=NOTICE_TYPES, issued_at__isnull=False
        ),
        user,
    ).only("order_type", "issued_at")
    calendar = statutory_calendar()
    for notice in notices:
        for d in deadlines_for(notice.order_type, "issued", notice.issued_at, calendar=calendar):
            if d.due < now:
                notice_overdue += 1
            elif d.due <= soon:
                notice_soon += 1
    breaches = restrict(
        Breach.objects.filter(
            occurred_at__gte=dt.datetime.combine(month_start, dt.time(0), tzinfo=tz)
        ),
        user,
    ).count()

    reports = restrict(Report.objects.exclude(status=ReportStatus.CLOSED), user)
    open_reports = reports.count()
    by_officer: dict[int | None, dict[str, int]] = {}
    for row in (
        orders.filter(state__in=OPEN_STATES)
        .values("officer_id")
        .annotate(
            open=Count("pk"), applications=Count("pk", filter=Q(state__in=APPLICATION_STATES))
        )
    ):
        by_officer.setdefault(row["officer_id"], {}).update(
            orders=row["open"], applications=row["applications"]
        )
    for row in reports.values("officer_id").annotate(open=Count("pk")):
        by_officer.setdefault(row["officer_id"], {})["reports"] = row["open"]
    officers = User.objects.filter(force_id=user.force_id).filter(
        Q(role=Role.OFFICER, is_active=True) | Q(pk__in=[k for k in by_officer if k is not None])
    )
    workload = [
        OfficerLoad(
            name=officer.display_name,
            open_orders=by_officer.get(officer.pk, {}).get("orders", 0),
            applications=by_officer.get(officer.pk, {}).get("applications", 0),
            open_reports=by_officer.get(officer.pk, {}).get("reports", 0),
        )
        for officer in officers
    ]
    if None in by_officer:
        unassigned = by_officer[None]
        workload.append(
            OfficerLoad(
                "Not assigned to an officer",
                unassigned.get("orders", 0),
                unassigned.get("applications", 0),
                unassigned.get("reports", 0),
            )
        )
    workload.sort(key=lambda w: (-w.total, w.name))

    return Overview(
        open_orders=figures["open"],
        in_force=figures["in_force"],
        drafts=figures["drafts"],
        applied=figures["applied"],
        open_reports=open_reports,
        deadlines_overdue=notifications["overdue"] + notice_overdue,
        deadlines_due_soon=notifications["soon"] + notice_soon + figures["ending_soon"],
        breaches_this_month=breaches,
        month_start=month_start,
        workload=workload,
        deadlines=upcoming_deadlines(user, now),
    )


# --- Search -----------------------------------------------------------------------------------

SEARCH_MIN_LENGTH = 2


@dataclass(frozen=True)
class SearchResults:
    people: QuerySet[Person]
    orders: QuerySet[Order]
    reports: QuerySet[Any]


def _words(query: str) -> list[str]:
    return [w for w in query.split() if w][:6]


def _name_matches(prefix: str, words: list[str]) -> Q:
    """Every word of the query is part of the person's given, middle or surname (any case)."""
    match = Q()
    for word in words:
        match &= (
            Q(**{f"{prefix}given_name__icontains": word})
            | Q(**{f"{prefix}middle_names__icontains": word})
            | Q(**{f"{prefix}surname__icontains": word})
        )
    return match


def search(user: Any, query: str) -> SearchResults:
    """People (by name or alias), orders (by reference or the names on them) and reports (by
    crime reference or offence) matching the query, among the records the user may see.

    Every queryset starts from restrict(), and each match is on a field the user's role is
    granted, so a result never discloses what the user could not see by opening it: aliases
    match only for a role granted aliases (restrict() on Alias gives the others no rows), the
    names on an order only where the order's page would show them. Protected details (addresses,
    phone numbers, e-mail addresses) are never matched: they are encrypted and never read here.
    """
    query = " ".join(query.split())
    words = _words(query)
    if len(query) < SEARCH_MIN_LENGTH:
        return SearchResults(Person.objects.none(), Order.objects.none(), Report.objects.none())

    alias_match = Q()
    for word in words:
        alias_match &= Q(given_name__icontains=word) | Q(surname__icontains=word)
    aliased = restrict(Alias.objects.filter(alias_match), user).values("person_id")
    identified = restrict(Identifier.objects.filter(value__iexact=query), user).values("person_id")
    people = (
        restrict(Person.objects.all(), user)
        .filter(_name_matches("", words) | Q(pk__in=aliased) | Q(pk__in=identified))
        .order_by("surname", "given_name", "pk")
    )

    fields = permissions.visible_fields(user, "order")
    order_match = Q(reference__icontains=query) if "reference" in fields else Q(pk__in=[])
    if "defendant" in fields:
        order_match |= Q(
            pk__in=Order.objects.filter(_name_matches("defendant__", words)).values("pk")
        )
    if "protected_persons" in fields:
        order_match |= Q(
            pk__in=Order.objects.filter(_name_matches("protected_persons__", words)).values("pk")
        )
    orders = (
        restrict(Order.objects.all(), user)
        .filter(order_match)
        .select_related("defendant")
        .order_by("reference", "pk")
    )

    report_fields = permissions.visible_fields(user, "report")
    report_match = Q(reference__icontains=query) if "reference" in report_fields else Q(pk__in=[])
    if "offence" in report_fields:
        lowered = query.lower()
        codes = [
            code
            for code, offence in OFFENCES.items()
            if code.lower() == lowered or lowered in offence.title.lower()
        ]
        if codes:
            report_match |= Q(offence_code__in=codes)
    reports = (
        restrict(Report.objects.all(), user).filter(report_match).order_by("-reported_at", "pk")
    )
    return SearchResults(people, orders, reports)
