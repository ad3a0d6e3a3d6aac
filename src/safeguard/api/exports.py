"""Exports: any list the caller can see as CSV or XLSX, and an order's case file for disclosure
(issue 8, item 3; docs/api.md, "Exports").

What may leave the system is the permission table's `export` action (access/permissions.py):
the rows are `restrict(queryset, user, "export")`, the columns only the fields the rule grants.
A role with no export rule for a kind of record gets 403. Protected details are never exported:
no export rule grants their value (only `reveal` does, one at a time, with a reason).

Every export is logged in the audit trail (DPA 2018 s.62) with who, when, what and why: a list
as EXPORT, a case file as DISCLOSE with its recipients. Cells that a spreadsheet would run as a
formula (starting =, +, -, @) are written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from safeguard.access import audit, permissions
from safeguard.access.models import AuditKind
from safeguard.access.restrict import restrict
from safeguard.api.base import Text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
MAX_ROWS = 100_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the permission field that covers it
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ListSpec:
    name: str
    object: str  # the permission table's object
    title: str
    columns: tuple[Column, ...]
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda q: q


def _local(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _name(person: Any) -> str:
    return person.full_name if person is not None else ""


ORDERS = ListSpec(
    "orders",
    "order",
    "Orders",
    (
        Column("Reference", "reference", lambda o: o.reference),
        Column("Type", "type", lambda o: o.get_order_type_display()),
        Column("State", "state", lambda o: o.get_state_display()),
        Column("Defendant", "defendant", lambda o: _name(o.defendant)),
        Column(
            "Defendant's date of birth",
            "defendant_date_of_birth",
            lambda o: _day(o.defendant.date_of_birth),
        ),
        Column("Court", "court", lambda o: o.court),
        Column("Made on", "made_on", lambda o: _day(o.made_on)),
        Column(
            "Ends on",
            "term",
            lambda o: "Until further order" if o.until_further_order else _day(o.ends_on),
        ),
        Column("Served at", "served", lambda o: _local(o.served_at)),
        Column("Officer", "officer", lambda o: o.officer.display_name if o.officer else ""),
        Column("Team", "officer", lambda o: o.team.name if o.team else ""),
    ),
    lambda q: q.select_related("defendant", "officer", "team"),
)
REPORTS = ListSpec(
    "reports",
    "report",
    "Crime reports",
    (
        Column("Reference", "reference", lambda r: r.reference),
        Column("Offence code", "offence", lambda r: r.offence_code),
        Column("Offence", "offence", lambda r: r.get_offence_code_display()),
        Column("Reported at", "dates", lambda r: _local(r.reported_at)),
        Column("Occurred from", "dates", lambda r: _day(r.occurred_from)),
        Column("Occurred to", "dates", lambda r: _day(r.occurred_to)),
        Column("Status", "status", lambda r: r.get_status_display()),
        Column("Officer", "officer", lambda r: r.officer.display_name if r.officer else ""),
        Column("Team", "officer", lambda r: r.team.name if r.team else ""),
    ),
    lambda q: q.select_related("officer", "team"),
)
PEOPLE = ListSpec(
    "people",
    "person",
    "People",
    (
        Column("Given name", "name", lambda p: p.given_name),
        Column("Middle names", "name", lambda p: p.middle_names),
        Column("Surname", "name", lambda p: p.surname),
        Column("Date of birth", "date_of_birth", lambda p: _day(p.date_of_birth)),
        Column("Sex", "sex", lambda p: p.get_sex_display()),
    ),
)
LISTS = {spec.name: spec for spec in (ORDERS, REPORTS, PEOPLE)}


class ExportRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[("csv", "CSV"), ("xlsx", "Excel workbook")])
    purpose = Text(max_length=500, help_text="Why you are taking this out of Safeguard (recorded)")

    def validate_purpose(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Say why you are exporting this")
        return value.strip()


class CaseFileRequestSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[("json", "JSON"), ("xlsx", "Excel workbook")])
    purpose = Text(max_length=500, help_text="Why it is disclosed (recorded)")
    recipients = Text(
        max_length=500, help_text="Who receives it, e.g. 'CPS Eastern, lawyer J Smith' (recorded)"
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        for name in ("purpose", "recipients"):
            if not data[name].strip():
                raise serializers.ValidationError({name: ["This cannot be blank"]})
            data[name] = data[name].strip()
        return data


# --- Writing files ---------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet should show it, never as a formula it would run."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(headers: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def to_xlsx(sheets: Sequence[tuple[str, list[str], Iterable[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Lists ----------------------------------------------------------------------------------


def export_columns(user: Any, spec: ListSpec) -> list[Column]:
    visible = permissions.visible_fields(user, spec.object, "export")
    columns = [c for c in spec.columns if c.field in visible]
    if not columns:
        raise PermissionDenied(f"Your role may not export {spec.title.lower()}")
    return columns


def build_list(
    user: Any, spec: ListSpec, queryset: QuerySet[Any]
) -> tuple[list[str], list[list[Any]], list[Column]]:
    columns = export_columns(user, spec)
    records = spec.prepare(restrict(queryset, user, "export"))[: MAX_ROWS + 1]
    rows = [[c.value(r) for c in columns] for r in records]
    if len(rows) > MAX_ROWS:
        raise PermissionDenied(
            f"More than {MAX_ROWS:,} rows: narrow the list with its filters and export each part"
        )
    return [c.header for c in columns], rows, columns


def export_list(request: Any, spec: ListSpec, queryset: QuerySet[Any]) -> HttpResponse:
    """The API's `POST .../export/`: the list as the caller sees it, filtered, as a file."""
    incoming = ExportRequestSerializer(data=request.data)
    incoming.is_valid(raise_exception=True)
    fmt, purpose = incoming.validated_data["format"], incoming.validated_data["purpose"]
    filters = {k: v for k, v in request.query_params.items() if k not in ("page", "page_size")}
    return export_file(request.user, spec, queryset, fmt=fmt, purpose=purpose, filters=filters)


def export_file(
    user: Any,
    spec: ListSpec,
    queryset: QuerySet[Any],
    *,
    fmt: str,
    purpose: str,
    filters: dict[str, Any],
) -> HttpResponse:
    headers, rows, columns = build_list(user, spec, queryset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        content, content_type = to_xlsx([(spec.title, headers, rows)]), XLSX
    else:
        content, content_type = to_csv(headers, rows), CSV
    audit.record(
        AuditKind.EXPORT,
        user=user,
        table_name=queryset.model._meta.db_table,
        purpose=purpose,
        details={
            "list": spec.name,
            "format": fmt,
            "rows": len(rows),
            "fields": sorted({c.field for c in columns}),
            "filters": filters,
        },
    )
    return _attachment(content, content_type, f"safeguard-{spec.name}-{stamp}.{fmt}")


# --- An order's case file --------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    field: str
    model: type[Model]
    relation: str  # the related name on Order
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]


def _sections() -> tuple[Section, ...]:
    from safeguard.compliance.models import Breach, Notification
    from safeguard.orders.models import (
        Appeal,
        Condition,
        CourtApplication,
        Hearing,
        Service,
        StateChange,
    )

    return (
        Section(
            "Conditions",
            "conditions",
            Condition,
            "conditions",
            (
                ("Kind", lambda c: c.get_kind_display()),
                ("Wording", lambda c: c.wording),
                ("Locality", lambda c: c.locality),
                ("Granted", lambda c: "yes" if c.granted else "no"),
                ("Added on", lambda c: _day(c.added_on)),
                ("Removed on", lambda c: _day(c.removed_on)),
                ("Ends on", lambda c: _day(c.ends_on)),
            ),
        ),
        Section(
            "Hearings",
            "hearings",
            Hearing,
            "hearings",
            (
                ("Kind", lambda h: h.get_kind_display()),
                ("Listed for", lambda h: _local(h.scheduled_for)),
                ("Court", lambda h: h.court),
                ("Outcome", lambda h: h.get_outcome_display()),
                ("Decided at", lambda h: _local(h.decided_at)),
            ),
        ),
        Section(
            "Service",
            "served",
            Service,
            "services",
            (
                ("Served at", lambda s: _local(s.served_at)),
                ("Method", lambda s: s.get_method_display()),
                ("Served by", lambda s: s.served_by),
            ),
        ),
        Section(
            "Notifications",
            "notifications",
            Notification,
            "notifications",
            (
                ("Kind", lambda n: n.get_kind_display()),
                ("Due", lambda n: _local(n.due_at)),
                ("Made", lambda n: _local(n.notified_at)),
                ("Police station", lambda n: n.police_station),
                ("Basis", lambda n: n.basis),
            ),
        ),
        Section(
            "Breaches",
            "breaches",
            Breach,
            "breaches",
            (
                ("Occurred at", lambda b: _local(b.occurred_at)),
                ("Description", lambda b: b.description),
                ("Arrested at", lambda b: _local(b.arrested_at)),
                ("Outcome", lambda b: b.get_outcome_display()),
            ),
        ),
        Section(
            "History",
            "history",
            StateChange,
            "state_changes",
            (
                ("At", lambda s: _local(s.at)),
                ("Action", lambda s: s.action),
                ("From", lambda s: s.from_state),
                ("To", lambda s: s.to_state),
                ("Note", lambda s: s.note),
            ),
        ),
        Section(
            "Court applications",
            "court_applications",
            CourtApplication,
            "court_applications",
            (
                ("Kind", lambda a: a.get_kind_display()),
                ("Applicant", lambda a: a.get_applicant_display()),
                ("Made on", lambda a: _day(a.made_on)),
                ("Outcome", lambda a: a.get_outcome_display()),
                ("Decided on", lambda a: _day(a.decided_on)),
            ),
        ),
        Section(
            "Appeals",
            "appeals",
            Appeal,
            "appeals",
            (
                ("Appellant", lambda a: a.get_appellant_display()),
                ("Against", lambda a: a.against),
                ("Lodged on", lambda a: _day(a.lodged_on)),
                ("Outcome", lambda a: a.get_outcome_display()),
            ),
        ),
    )


def case_file(user: Any, order: Any, *, fmt: str, purpose: str, recipients: str) -> HttpResponse:
    """The order as the caller's role may disclose it, logged as a disclosure to `recipients`.
    `order` must already be one the caller can see; 403 if their role may not export orders."""
    columns = export_columns(user, ORDERS)
    visible = permissions.visible_fields(user, "order", "export")
    if not restrict(type(order).objects.filter(pk=order.pk), user, "export").exists():
        raise PermissionDenied("Your role may not disclose this order")
    summary = [(c.header, c.value(order)) for c in columns]
    sections = []
    for section in _sections():
        if section.field not in visible:
            continue
        rows = restrict(
            section.model._default_manager.filter(order=order), user, "export"
        ).order_by("pk")
        sections.append(
            (
                section.title,
                [h for h, _ in section.columns],
                [[v(r) for _, v in section.columns] for r in rows],
            )
        )
    event = audit.record(
        AuditKind.DISCLOSE,
        user=user,
        table_name=type(order)._meta.db_table,
        object_id=order.pk,
        purpose=purpose,
        recipients=recipients,
        details={
            "case_file": True,
            "format": fmt,
            "sections": ["Order", *(s[0] for s in sections)],
        },
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"safeguard-case-file-{order.reference.replace('/', '-')}-{stamp}.{fmt}"
    disclosed = {
        "by": user.get_username(),
        "at": timezone.localtime().isoformat(),
        "recipients": recipients,
        "purpose": purpose,
        "audit_event": event.pk,
    }
    if fmt == "json":
        body = {
            "order": dict(summary),
            **{
                title: [dict(zip(headers, row, strict=True)) for row in rows]
                for title, headers, rows in sections
            },
            "disclosure": disclosed,
        }
        return _attachment(
            json.dumps(body, indent=2, default=str).encode(), "application/json", name
        )
    sheets = [
        ("Order", ["Field", "Value"], [list(pair) for pair in summary]),
        *sections,
        ("Disclosure", ["Field", "Value"], [[k, v] for k, v in disclosed.items()]),
    ]
    return _attachment(to_xlsx(sheets), XLSX, name)
