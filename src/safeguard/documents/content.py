"""What each document says, as a tree of plain blocks: no queries, no layout.

One builder per kind turns a CaseFile (documents/selectors.py) into `Content`; the renderers
(documents/render.py) turn the same Content into PDF and DOCX, so the two formats always say the
same thing. Statutory words come from the rules specs (safeguard.rules): the tests, the term, the
duties, the breach offence and its maximum penalty are never typed here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from safeguard.documents.selectors import CaseFile, NotificationFacts, PersonFacts
from safeguard.rules.orders import ORDER_TYPES

LONDON = ZoneInfo("Europe/London")
MARKING = "OFFICIAL-SENSITIVE"


# --- Blocks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "", "lead", "small", "strong"


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Fields:
    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Warning:
    title: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]


Block = Heading | Para | Items | Fields | Table | Warning | Signature


@dataclass(frozen=True)
class Content:
    title: str
    subtitle: str
    reference: str
    audience: str  # in words: "For the court"
    blocks: tuple[Block, ...]
    footer: str
    marking: str = MARKING

    def texts(self) -> list[str]:
        """Every piece of text, in order (for the redaction check and tests)."""
        out = [self.title, self.subtitle, self.reference, self.audience, self.footer]
        for block in self.blocks:
            out.extend(block_texts(block))
        return out


def block_texts(block: Block) -> list[str]:
    if isinstance(block, Heading | Para):
        return [block.text]
    if isinstance(block, Items):
        return list(block.items)
    if isinstance(block, Fields):
        return [t for row in block.rows for t in row]
    if isinstance(block, Table):
        return [*block.headers, *(t for row in block.rows for t in row)]
    if isinstance(block, Warning):
        return [block.title, *block.lines]
    return list(block.lines)


def map_text(content: Content, fn) -> Content:
    """The same content with every piece of text passed through `fn` (redaction)."""

    def block(b: Block) -> Block:
        if isinstance(b, Heading | Para):
            return replace(b, text=fn(b.text))
        if isinstance(b, Items):
            return replace(b, items=tuple(fn(t) for t in b.items))
        if isinstance(b, Fields):
            return replace(b, rows=tuple((fn(k), fn(v)) for k, v in b.rows))
        if isinstance(b, Table):
            return replace(
                b,
                headers=tuple(fn(t) for t in b.headers),
                rows=tuple(tuple(fn(t) for t in row) for row in b.rows),
            )
        if isinstance(b, Warning):
            return replace(b, title=fn(b.title), lines=tuple(fn(t) for t in b.lines))
        return replace(b, lines=tuple(fn(t) for t in b.lines))

    return replace(
        content,
        title=fn(content.title),
        subtitle=fn(content.subtitle),
        blocks=tuple(block(b) for b in content.blocks),
        footer=fn(content.footer),
    )


# --- Words -------------------------------------------------------------------------------------


def day(d: dt.date | None) -> str:
    return f"{d.day} {d:%B %Y}" if d else "not yet known"


def moment(at: dt.datetime | None) -> str:
    if at is None:
        return "not yet known"
    local = at.astimezone(LONDON)
    return f"{local:%H:%M} on {local:%A} {local.day} {local:%B %Y}"


def _term(case: CaseFile) -> str:
    if case.spec.term.lasts_until_hearing:
        return case.spec.term.text
    if case.until_further_order:
        return "Until further order"
    if case.ends_on:
        start = f"From {day(case.made_on)} until" if case.made_on else "Until"
        return f"{start} the end of {day(case.ends_on)}"
    text = case.spec.term.text
    return "To be set by the court: " + text[0].lower() + text[1:]


def _person(p: PersonFacts, *, with_birth: bool = True) -> str:
    text = p.name
    if with_birth and p.date_of_birth:
        text += f" (born {day(p.date_of_birth)})"
    return text


def _included(p: PersonFacts) -> list[tuple[str, str]]:
    return [
        (f"{p.name}: {fact.kind.lower()}", f"{fact.value} {fact.postcode}".strip())
        for fact in p.included
    ]


def _protected_rows(case: CaseFile) -> list[tuple[str, str]]:
    rows = []
    for person in case.protected:
        rows.append(("Person to be protected", person.name))
        rows += _included(person)
    if not any(p.included for p in case.protected):
        rows.append(
            (
                "Contact details",
                "Withheld: the protected person's address and contact details are not included "
                "in this document. The court may ask the applicant for them.",
            )
        )
    return rows


def _condition_line(c, *, necessity: bool) -> str:
    text = c.wording
    if c.locality:
        text += f" (area: {c.locality})"
    if c.ends_on:
        text += f" until {day(c.ends_on)}"
    if necessity:
        text += f". Why it is necessary: {c.necessity or 'not given'}"
    return text


def _conditions(case: CaseFile, *, necessity: bool) -> list[Block]:
    blocks: list[Block] = []
    for kind, heading in (("prohibition", "Prohibitions"), ("requirement", "Requirements")):
        chosen = [c for c in case.conditions if c.kind == kind]
        if chosen:
            blocks += [
                Heading(heading, 3),
                Items(tuple(_condition_line(c, necessity=necessity) for c in chosen), True),
            ]
    if not blocks:
        blocks.append(Para("No prohibitions or requirements have been recorded."))
    return blocks


def _breach_warning(case: CaseFile) -> Warning:
    breach = case.spec.breach
    if breach.criminal:
        lines = [
            "It is a criminal offence to break this order without reasonable excuse "
            f"({breach.basis})."
        ]
    else:
        lines = [breach.offence + "."]
    if breach.max_on_indictment:
        lines.append(f"Maximum penalty in the Crown Court: {breach.max_on_indictment}.")
    if breach.max_summary:
        lines.append(f"Maximum penalty in a magistrates' court: {breach.max_summary}.")
    if not breach.criminal:
        lines.append(f"Basis: {breach.basis}.")
    return Warning("Warning: if you break this order", tuple(lines))


def _footer(case: CaseFile) -> str:
    return (
        f"Prepared by {case.prepared_by}, {case.force_name}, at {moment(case.prepared_at)}. "
        f"{MARKING}: not to be shared beyond the named recipients."
    )


# --- The SPO application (full and interim) ----------------------------------------------------


def spo_application(case: CaseFile) -> Content:
    interim = case.order_type == "interim-spo"
    spec = case.spec
    main = ORDER_TYPES["spo"]
    title = (
        "Application for an interim stalking protection order"
        if interim
        else "Application for a stalking protection order"
    )
    blocks: list[Block] = [
        Para(
            f"To the justices of {case.court or 'the magistrates court'}. The chief officer of "
            f"police for the {case.force_name} police area applies by complaint "
            f"({spec.court.basis if spec.court else spec.act}) for "
            f"{'an interim' if interim else 'a'} stalking protection order against the "
            "defendant named below.",
            "lead",
        ),
        Heading("1. Applicant"),
        Fields(
            (
                ("Applicant", f"The chief officer of police for the {case.force_name} police area"),
                ("Officer in the case", f"{case.officer}{', ' + case.team if case.team else ''}"),
                ("Our reference", case.reference),
                (
                    "Territorial basis",
                    "The defendant lives in the applicant's police area, or is believed to be in "
                    f"or coming to it ({main.applicant.basis}): the applicant confirms which.",
                ),
            )
            + (
                (("Main application", f"{case.parent_reference} ({case.parent_title})"),)
                if interim and case.parent_reference
                else ()
            )
        ),
        Heading("2. Defendant"),
        Fields(
            (
                ("Name", case.defendant.name),
                ("Date of birth", day(case.defendant.date_of_birth)),
                ("Other names used", ", ".join(case.defendant.aliases) or "None known"),
                *_included(case.defendant),
            )
        ),
        Heading("3. Person to be protected"),
        Fields(tuple(_protected_rows(case))),
        Heading("4. Grounds"),
    ]
    if interim:
        blocks += [
            Para(
                f"The main application {case.parent_reference or ''} has not yet been "
                f"determined. The applicant asks the court to make an interim order because "
                f"it is appropriate to do so ({spec.tests[0].basis}).".replace("  ", " ")
            ),
        ]
        tests = main.tests  # the grounds of the main application, with the evidence for each
    else:
        tests = spec.tests
    blocks.append(Para(f"Standard of proof: {main.standard.text}.", "small"))
    for number, test in enumerate(tests, start=1):
        evidence = case.grounds.get(str(number), "").strip() or "Not yet recorded"
        blocks += [
            Heading(f"Test {number}: {test.text} ({test.basis})", 3),
            Para(f"Evidence: {evidence}"),
        ]
    blocks.append(Heading("5. Chronology of incidents"))
    if case.incidents:
        blocks.append(
            Table(
                ("When", "Report", "Offence", "What happened"),
                tuple(
                    (
                        day(i.occurred_from)
                        + (
                            f" to {day(i.occurred_to)}"
                            if i.occurred_to and i.occurred_to != i.occurred_from
                            else ""
                        ),
                        i.reference,
                        i.offence,
                        (i.summary or "No summary recorded")
                        + (f" Behaviours: {', '.join(i.behaviours)}." if i.behaviours else ""),
                    )
                    for i in case.incidents
                ),
            )
        )
    else:
        blocks.append(Para("No reports are linked to this application."))
    if case.incidents_withheld:
        blocks.append(
            Para(
                f"{case.incidents_withheld} further linked report(s) are not listed: the "
                "person who prepared this document may not see them.",
                "small",
            )
        )
    blocks += [
        Heading("6. Proposed prohibitions and requirements"),
        Para(
            "Each prohibition or requirement is proposed because it is necessary to protect the "
            "person from a risk associated with stalking (Stalking Protection Act 2019 s.2(2)). "
            "So far as practicable, none conflicts with the defendant's religious beliefs or "
            "work or education (s.2(3)). They apply throughout the United Kingdom unless "
            "limited to an area (s.2(4))."
        ),
        *_conditions(case, necessity=True),
        Heading("7. Duration asked for"),
        Para(_term(case) if case.made_on else spec.term.text + f" ({spec.term.basis})."),
        Heading("8. The views of the person to be protected"),
        Para(case.victim_views.strip() or "Not yet recorded."),
        Heading("9. Notification requirements"),
        Para(
            "If the order is made, the defendant must tell the police their name(s) and home "
            "address, and any change, as follows:"
        ),
        Items(tuple(f"{d.text} ({d.basis})" for d in spec.duties)),
        Heading("10. Statement of truth"),
        Para(
            "I believe that the facts stated in this application are true. I make this "
            "application on behalf of the chief officer of police."
        ),
        Signature(("Signed:", "Name and rank:", "Date:")),
    ]
    return Content(
        title=title,
        subtitle=spec.court.basis if spec.court else spec.act,
        reference=case.reference,
        audience="For the court",
        blocks=tuple(blocks),
        footer=_footer(case),
    )


# --- The draft order as granted ----------------------------------------------------------------


def _notification_plain_words(case: CaseFile) -> list[Block]:
    spec = case.spec
    if not spec.duties:
        return []
    start = "the day you are served with this order"
    if spec.initial_notification_on == "made":
        start = "the day this order is made"
    return [
        Heading("What you must tell the police"),
        Para(
            f"Within 3 days, counting {start} as the first day, you must go in person to a "
            "police station in the area where you live and tell a police officer:"
        ),
        Items(
            (
                "your name, and every other name you use",
                "your home address",
            )
        ),
        Para("After that, you must tell the police within 3 days, counting the day it happens:"),
        Items(
            (
                "if you start using a name you have not told them about",
                "if you change your home address",
            )
        ),
        Para(
            "The police may take your fingerprints and photograph you to check who you are. "
            "They will give you a written acknowledgment each time you tell them something.",
        ),
        Para("The law: " + "; ".join(f"{d.text} ({d.basis})" for d in spec.duties) + ".", "small"),
    ]


def draft_order(case: CaseFile) -> Content:
    spec = case.spec
    granted = case.made_on is not None
    title = spec.title + (" as granted" if granted else ": draft for the court")
    blocks: list[Block] = [
        Para(
            f"{case.court or 'The magistrates court'} made this order on {day(case.made_on)}."
            if granted
            else "DRAFT: the applicant asks the court to make an order in these terms. Nothing "
            "in it has effect until the court makes it.",
            "lead",
        ),
        Fields(
            (
                ("Defendant", _person(case.defendant)),
                *_included(case.defendant),
                *(("Protected person", p.name) for p in case.protected),
                *(row for p in case.protected for row in _included(p)),
                ("Court", case.court or "Not recorded"),
                ("Made under", spec.court.basis if spec.court else spec.act),
                ("Reference", case.reference),
            )
        ),
        Heading("What this order stops you doing, and what it requires"),
        Para(
            "You must obey every condition below. They apply everywhere in the United Kingdom "
            "unless a condition names an area."
        ),
        *_conditions(case, necessity=False),
        Heading("How long the order lasts"),
        Para(f"{_term(case)}. ({spec.term.basis})"),
        *_notification_plain_words(case),
        _breach_warning(case),
        Heading("If you want to change or appeal the order"),
        Items(
            tuple(
                [f"{spec.may_vary_renew_discharge.text} ({spec.may_vary_renew_discharge.basis})"]
                if spec.may_vary_renew_discharge
                else []
            )
            + tuple(f"{a.text} ({a.basis})" for a in spec.appeals)
        )
        if spec.may_vary_renew_discharge or spec.appeals
        else Para("Ask a solicitor about what you can do."),
        Signature(("By order of the court", "Justice of the Peace or Legal Adviser:", "Date:")),
    ]
    return Content(
        title=title,
        subtitle=spec.act,
        reference=case.reference,
        audience="For the court and the defendant",
        blocks=tuple(blocks),
        footer=_footer(case),
    )


# --- The written acknowledgment of a notification (SPA 2019 s.10(4)) ---------------------------


def acknowledgment(case: CaseFile, notification: NotificationFacts) -> Content:
    blocks: list[Block] = [
        Para(
            "This is the written acknowledgment the police must give when you notify them "
            "under the Stalking Protection Act 2019 (section 10(4)). Keep it safe.",
            "lead",
        ),
        Fields(
            (
                ("Name", case.defendant.name),
                ("Date of birth", day(case.defendant.date_of_birth)),
                ("Order", f"{case.spec.title}, reference {case.reference}"),
                ("What you notified", notification.kind),
                ("Details you gave", notification.details or "As recorded by the officer"),
                ("When you notified", moment(notification.notified_at)),
                ("Where", notification.police_station or "Not recorded"),
                ("Received by", notification.received_by or "Not recorded"),
                ("It was due by", moment(notification.due_at)),
                (
                    "Made on time",
                    "Yes"
                    if notification.notified_at and notification.notified_at <= notification.due_at
                    else "No: it was made after it was due",
                ),
                ("Acknowledged", moment(notification.acknowledged_at or case.prepared_at)),
            )
        ),
        Heading("What you must still do"),
        Items(tuple(f"{d.text} ({d.basis})" for d in case.spec.duties)),
        Para(
            "Failing to notify without reasonable excuse, or knowingly giving false information, "
            "is a criminal offence (Stalking Protection Act 2019 s.11).",
            "strong",
        ),
        Signature((f"Acknowledged for the police by: {case.prepared_by}", "Signed:", "Date:")),
    ]
    return Content(
        title="Acknowledgment of notification",
        subtitle="Stalking Protection Act 2019, section 10(4)",
        reference=case.reference,
        audience="For the defendant",
        blocks=tuple(blocks),
        footer=_footer(case),
    )


# --- The DVPN and DAPN notice ------------------------------------------------------------------


def _to_you(test: str) -> str:
    """A statutory test about "P", said to P: "P has been violent" -> "you have been violent"."""
    text = re.sub(r"^P has\b", "you have", test)
    text = re.sub(r"\bP\b", "you", text)
    return text[0].lower() + text[1:]


def notice(case: CaseFile) -> Content:
    spec = case.spec
    follow = next(s for s in ORDER_TYPES.values() if s.follows_notice == case.order_type)
    hearing = next((d for d in case.deadlines if d.name.endswith("hearing")), None)
    given = case.issued_at is not None
    blocks: list[Block] = [
        Para(
            f"This notice was given to you at {moment(case.issued_at)}."
            if given
            else "DRAFT: not yet given. It has effect only once authorised and given to you in "
            "person by a police officer.",
            "lead",
        ),
        Fields(
            (
                ("To", _person(case.defendant)),
                *_included(case.defendant),
                *(("It protects", p.name) for p in case.protected),
                *(row for p in case.protected for row in _included(p)),
                (
                    "Authorised by",
                    f"{case.authorised_by} ({case.authoriser_rank.title()})"
                    if case.authorised_by
                    else f"To be authorised by {spec.authoriser.text.lower()}"
                    if spec.authoriser
                    else "Not recorded",
                ),
                ("Reference", case.reference),
            )
        ),
        Heading("Why you have been given this notice"),
        Para(
            f"The authorising officer has {spec.standard.text.lower()} that "
            + " and that ".join(_to_you(t.text) for t in spec.tests)
            + f" ({', '.join(sorted({t.basis for t in spec.tests}))})."
        ),
        Heading("What this notice stops you doing"),
        *_conditions(case, necessity=False),
        Heading("How long it lasts, and the court hearing"),
        Para(f"{spec.term.text} ({spec.term.basis})."),
        Para(
            f"The police must apply for a {follow.title.lower()}. The court must hear the "
            "application no later than 48 hours after this notice was given, not counting "
            "Sundays, Christmas Day, Good Friday or bank holidays"
            + (f": by {moment(hearing.due)} ({hearing.basis})." if hearing and given else ".")
        ),
        Para(
            f"At the hearing the court may make a {follow.title.lower()}. It may contain: "
            + "; ".join(c.title.lower() for c in follow.conditions)
            + f". {follow.term.text} ({follow.term.basis})."
        ),
        Heading("Give us an address"),
        Para(
            "Tell the officer an address where you can be given notice of the hearing. If you "
            "do not, the court may hear the application without you."
        ),
        Warning(
            "Warning: if you break this notice",
            (
                "A police officer may arrest you without a warrant.",
                "You will then be kept in custody and brought before a magistrates' court "
                "within 24 hours, not counting Sundays, Christmas Day, Good Friday or bank "
                "holidays (or at the hearing, if that is sooner).",
                spec.breach.offence + f" ({spec.breach.basis}).",
            ),
        ),
        Signature(
            ("Given by (officer):", "Signature of the person receiving it:", "Time and date:")
        ),
    ]
    return Content(
        title=spec.title,
        subtitle=spec.applicant.basis,
        reference=case.reference,
        audience="For the person it is given to",
        blocks=tuple(blocks),
        footer=_footer(case),
    )


# --- The MARAC / multi-agency case summary -----------------------------------------------------


def case_summary(case: CaseFile) -> Content:
    behaviours = sorted({b for i in case.incidents for b in i.behaviours})
    highest_sdash = max((i.sdash_yes for i in case.incidents), default=0)
    upcoming = [h for h in case.hearings if h.pending]
    blocks: list[Block] = [
        Para(
            "Summary for a multi-agency risk assessment conference (MARAC) or other "
            "multi-agency meeting. Share only with the agencies at the meeting.",
            "lead",
        ),
        Heading("The order"),
        Fields(
            (
                ("Type", case.spec.title),
                ("State", case.state),
                ("Made", day(case.made_on) if case.made_on else "Not made"),
                ("Term", _term(case)),
                ("Court", case.court or "Not recorded"),
                ("Officer in the case", case.officer),
                ("Reference", case.reference),
            )
        ),
        Heading("People"),
        Fields(
            (
                ("Subject of the order", case.defendant.name),
                *_included(case.defendant),
                *(("Protected person", p.name) for p in case.protected),
                *(row for p in case.protected for row in _included(p)),
            )
        ),
        Heading("Risk and history"),
        Fields(
            (
                ("Reports linked", str(len(case.incidents) + case.incidents_withheld)),
                (
                    "Most recent incident",
                    day(case.incidents[-1].occurred_from) if case.incidents else "None linked",
                ),
                ("Behaviours recorded", ", ".join(behaviours) or "None recorded"),
                ("Highest S-DASH 'yes' answers on one report", str(highest_sdash)),
                ("Breaches recorded", str(len(case.breaches))),
            )
        ),
    ]
    if case.breaches:
        blocks.append(
            Table(
                ("When", "What", "Outcome"),
                tuple(
                    (moment(b.occurred_at), b.description or "Not described", b.outcome)
                    for b in case.breaches
                ),
            )
        )
    blocks += [Heading("Conditions in place"), *_conditions(case, necessity=False)]
    if case.notifications:
        blocks += [
            Heading("The subject's notifications"),
            Table(
                ("What", "Due", "Made"),
                tuple(
                    (
                        n.kind,
                        moment(n.due_at),
                        moment(n.notified_at) if n.notified_at else "Not made",
                    )
                    for n in case.notifications
                ),
            ),
        ]
    blocks += [
        Heading("Coming up"),
        Items(
            tuple(f"{h.kind} hearing at {moment(h.scheduled_for)}, {h.court}" for h in upcoming)
            + ((f"Fixed term ends on {day(case.ends_on)}",) if case.ends_on else ())
        )
        if upcoming or case.ends_on
        else Para("No hearings listed; no fixed end date."),
        Heading("The protected person's views"),
        Para(case.victim_views.strip() or "Not recorded."),
    ]
    return Content(
        title="Case summary for a multi-agency meeting",
        subtitle=case.spec.title,
        reference=case.reference,
        audience="For the agencies at the meeting",
        blocks=tuple(blocks),
        footer=_footer(case),
    )
