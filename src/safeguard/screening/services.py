"""Screening operations: the only code that changes screening's tables.

`screen(force)` is the whole pipeline for one force, run as a background system job (it reads
the force's people, reports and orders directly and writes only screening's tables):

1. identity linkage of every person record (linkage/), respecting people's confirm and split
   decisions; the model is retrained on a full run and reused on an incremental one;
2. for each suspect identity and victim identity, the evidence of the latest course of conduct
   (evidence.py) and, where it crosses the threshold, a place in the candidate queue;
3. for each suspect identity, its RFGV score with its inputs (scoring.py).

Users' operations (confirm or split a link, start an application, dismiss a candidate) are here
too, each checked against restrict() by the caller's selector and recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import duckdb
from django.db import transaction
from django.utils import timezone

from safeguard.access import audit
from safeguard.access.models import AuditKind, Force, User
from safeguard.orders import services as order_services
from safeguard.orders.models import Order
from safeguard.people.models import DetailKind, Person, ProtectedDetail
from safeguard.reports.models import PartyRole, Report, ReportParty
from safeguard.rules.orders import State
from safeguard.screening import evidence as ev
from safeguard.screening.config import ScreeningConfig
from safeguard.screening.linkage import pipeline, prepare
from safeguard.screening.linkage.default_model import MIN_TRAINING_RECORDS, default_model
from safeguard.screening.models import (
    Candidate,
    CandidateStatus,
    Decision,
    LinkageModel,
    LinkDecision,
    PerpetratorScore,
    PersonIdentity,
    PersonLink,
    RunKind,
    ScreeningRun,
    ScreeningSettings,
    ScreeningState,
)
from safeguard.screening.scoring import Incident, rfgv

log = logging.getLogger(__name__)
LIVE_STATES = (State.IN_FORCE,)


def config_for(force: Force) -> ScreeningConfig:
    row = ScreeningSettings.objects.filter(force=force).first()
    return ScreeningConfig.from_values(row.values if row else None)


def identity_key(person_id: int) -> str:
    return f"P{person_id}"


# --- 1. Linkage ---------------------------------------------------------------------------------


def _person_rows(force: Force) -> list[dict[str, Any]]:
    """Every person record of the force in the linkage input form. The postcode is the current
    home address's (a protected detail, read here by the system job and never shown)."""
    postcodes: dict[int, str] = {}
    details = ProtectedDetail.objects.filter(
        person__force=force, kind=DetailKind.HOME_ADDRESS, current=True
    ).values_list("person_id", "postcode")
    for person_id, pc in details:
        if pc:
            postcodes[person_id] = pc
    rows = []
    for p in Person.objects.filter(force=force).values(
        "pk", "given_name", "middle_names", "surname", "date_of_birth", "sex"
    ):
        rows.append(
            {
                "record_id": str(p["pk"]),
                "given_name": " ".join(x for x in (p["given_name"], p["middle_names"]) if x),
                "surname": p["surname"],
                "date_of_birth": p["date_of_birth"].isoformat() if p["date_of_birth"] else "",
                "postcode": postcodes.get(p["pk"], ""),
                "sex": p["sex"] if p["sex"] in ("M", "F") else "",
            }
        )
    return rows


@dataclass
class LinkageOutcome:
    run: ScreeningRun
    identities: dict[int, str]  # person id -> identity key


def link_people(
    force: Force, *, retrain: bool = False, engine: str = "duckdb", spark: Any = None
) -> LinkageOutcome:
    config = config_for(force)
    started = timezone.now()
    t0 = time.perf_counter()
    rows = _person_rows(force)
    saved = LinkageModel.objects.filter(force=force, active=True).order_by("-trained_at").first()
    model: dict[str, Any] | None = saved.settings if saved else None
    train = retrain or saved is None
    if train and len(rows) < MIN_TRAINING_RECORDS:
        # Too few records to learn from: score with the shipped model (linkage/default_model.py).
        model, train = (saved.settings if saved and not retrain else default_model()), False
    decisions = list(
        LinkDecision.objects.filter(force=force).values_list("person_a", "person_b", "decision")
    )
    must = [(str(a), str(b)) for a, b, d in decisions if d == Decision.CONFIRM]
    cannot = [(str(a), str(b)) for a, b, d in decisions if d == Decision.SPLIT]

    con = duckdb.connect()
    try:
        prepare.load_records(con, rows)
        prepare.prepare(con)
        result = pipeline.link_prepared(
            con,
            engine=engine,
            threshold=config.link_threshold,
            model=None if train else model,
            train_model=train,
            explain=True,
            review_threshold=config.review_threshold,
            must_link=must,
            cannot_link=cannot,
            spark=spark,
        )
    finally:
        con.close()
    # Identity keys name the smallest person id in each identity.
    groups: dict[str, list[int]] = defaultdict(list)
    for rid, pid in zip(result.record_ids, result.person_ids, strict=True):
        groups[pid].append(int(rid))
    identities = {p: identity_key(min(members)) for members in groups.values() for p in members}

    with transaction.atomic():
        model_row = saved if model is not None and saved and model is saved.settings else None
        if train:
            LinkageModel.objects.filter(force=force, active=True).update(active=False)
            model_row = LinkageModel.objects.create(
                force=force, records=len(rows), settings=result.model, active=True
            )
        run = ScreeningRun.objects.create(
            force=force,
            kind=RunKind.FULL if train else RunKind.INCREMENTAL,
            engine=engine,
            started_at=started,
            records=len(rows),
            identities=len(groups),
            model=model_row,
            threshold=config.link_threshold,
            config=config.as_dict(),
        )
        PersonIdentity.objects.filter(force=force).delete()
        PersonIdentity.objects.bulk_create(
            [
                PersonIdentity(person_id=p, force=force, key=k, run=run)
                for p, k in identities.items()
            ],
            batch_size=2000,
        )
        PersonLink.objects.filter(force=force).delete()
        settings = result.model
        links = []
        for row in result.pairs.to_pylist():
            a, b = sorted((int(row["unique_id_l"]), int(row["unique_id_r"])))
            links.append(
                PersonLink(
                    force=force,
                    person_a_id=a,
                    person_b_id=b,
                    match_probability=float(row["match_probability"]),
                    match_weight=float(row["match_weight"]),
                    explanation={
                        "prior": pipeline.prior_weight(settings),
                        "comparisons": pipeline.explain_pair(row, settings),
                    },
                    run=run,
                )
            )
        PersonLink.objects.bulk_create(links, batch_size=2000)
    run.seconds = time.perf_counter() - t0
    run.save(update_fields=["seconds"])
    return LinkageOutcome(run, identities)


# --- 2 and 3. Evidence, candidates, scores ------------------------------------------------------


def _spelling(p: dict[str, Any]) -> str:
    return " ".join(x for x in (p["person__given_name"], p["person__surname"]) if x).strip().lower()


def evaluate(force: Force, identities: dict[int, str], run: ScreeningRun | None = None,
             today: dt.date | None = None) -> int:  # fmt: skip
    """Rebuild the candidate queue and the RFGV scores from the reports; returns how many
    candidates are queued. People's work on a candidate (status, notes, an application) is kept."""
    config = config_for(force)
    today = today or timezone.localdate()
    now = timezone.now()
    parties = ReportParty.objects.filter(
        report__force=force, role__in=(PartyRole.SUSPECT, PartyRole.VICTIM)
    ).values(
        "report_id", "person_id", "role", "relationship_to_victim",
        "person__given_name", "person__surname",
    )  # fmt: skip
    suspects: dict[int, list[dict[str, Any]]] = defaultdict(list)
    victims: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for party in parties:
        row: dict[str, Any] = dict(party)
        (suspects if row["role"] == PartyRole.SUSPECT else victims)[row["report_id"]].append(row)
    reports = {
        r["pk"]: r
        for r in Report.objects.filter(force=force, pk__in=set(suspects) | set(victims)).values(
            "pk",
            "reference",
            "offence_code",
            "occurred_from",
            "reported_at",
            "behaviours",
            "sdash_answers",
        )
    }

    def key(person_id: int) -> str:
        return identities.get(person_id) or identity_key(person_id)

    dyads: dict[tuple[str, str], list[ev.ReportFacts]] = defaultdict(list)
    latest_person: dict[str, tuple[dt.datetime, int]] = {}
    incidents: dict[str, list[Incident]] = defaultdict(list)
    for report_id, sus in suspects.items():
        r = reports.get(report_id)
        if r is None:
            continue
        for s in sus:
            s_key = key(s["person_id"])
            for v in victims.get(report_id, []):
                v_key = key(v["person_id"])
                if v_key == s_key:
                    continue
                facts = ev.ReportFacts(
                    report_id=report_id,
                    reference=r["reference"],
                    offence_code=r["offence_code"],
                    occurred_on=r["occurred_from"],
                    reported_at=r["reported_at"],
                    behaviours=tuple(r["behaviours"] or ()),
                    sdash=dict(r["sdash_answers"] or {}),
                    suspect_spelling=_spelling(s),
                    relationship=s["relationship_to_victim"] or v["relationship_to_victim"] or "",
                )
                dyads[(s_key, v_key)].append(facts)
                incidents[s_key].append(
                    Incident(report_id, r["reference"], r["occurred_from"], r["offence_code"], v_key, facts.threats)
                )  # fmt: skip
                for pid, k in ((s["person_id"], s_key), (v["person_id"], v_key)):
                    if k not in latest_person or latest_person[k] < (r["reported_at"], pid):
                        latest_person[k] = (r["reported_at"], pid)

    # Orders already made: against which suspect identities, and protecting whom.
    orders_against: dict[str, int] = defaultdict(int)
    live_spo: set[tuple[str, str]] = set()
    for o in (
        Order.objects.filter(force=force)
        .exclude(state=State.DRAFT)
        .prefetch_related("protected_persons")
    ):
        s_key = key(o.defendant_id)
        orders_against[s_key] += 1
        if o.order_type == "spo" and o.state in LIVE_STATES:
            for protected in o.protected_persons.all():
                live_spo.add((s_key, key(protected.pk)))

    victims_of: dict[str, set[str]] = defaultdict(set)
    for s_key, v_key in dyads:
        victims_of[s_key].add(v_key)

    queued: dict[tuple[str, str], tuple[ev.DyadEvidence, list[int]]] = {}
    for (s_key, v_key), dyad_facts in dyads.items():
        by_report = {f.report_id: f for f in dyad_facts}
        course = ev.latest_course(by_report.values(), config.course_window_days)
        evidence = ev.DyadEvidence(
            s_key, v_key, course,
            other_victims=len(victims_of[s_key]) - 1,
            orders_against_suspect=orders_against.get(s_key, 0),
            live_spo_for_victim=(s_key, v_key) in live_spo,
            today=today,
        )  # fmt: skip
        if evidence.qualifies(config):
            queued[(s_key, v_key)] = (evidence, [f.report_id for f in course])

    with transaction.atomic():
        existing = {(c.suspect_key, c.victim_key): c for c in Candidate.objects.filter(force=force)}
        for pair, (evidence, report_ids) in queued.items():
            score, _ = evidence.score(config)
            values: dict[str, Any] = {
                "suspect_id": latest_person[pair[0]][1],
                "victim_id": latest_person[pair[1]][1],
                "score": score,
                "summary": evidence.summary(),
                "reasons": evidence.reasons(),
                "evidence": evidence.as_json(config),
                "last_report_at": evidence.last_reported_at,
                "below_threshold": False,
                "updated_at": now,
            }
            cand = existing.pop(pair, None)
            if cand is None:
                cand = Candidate.objects.create(
                    force=force,
                    suspect_key=pair[0],
                    victim_key=pair[1],
                    first_flagged_at=now,
                    **values,
                )
            else:
                for k, v in values.items():
                    setattr(cand, k, v)
                cand.save()
            cand.reports.set(report_ids)
        # No longer over the threshold: kept if someone has worked on it, else removed.
        for cand in existing.values():
            if cand.status == CandidateStatus.NEW and cand.order_id is None:
                cand.delete()
            elif not cand.below_threshold:
                cand.below_threshold = True
                cand.save(update_fields=["below_threshold"])

        PerpetratorScore.objects.filter(force=force).delete()
        scores = []
        for s_key, items in incidents.items():
            distinct = list({i.report_id: i for i in items}.values())
            result = rfgv(distinct, today, config)
            if result.score <= 0:
                continue
            scores.append(
                PerpetratorScore(
                    force=force,
                    identity_key=s_key,
                    person_id=latest_person[s_key][1],
                    score=result.score,
                    recency=result.recency,
                    frequency=result.frequency,
                    gravity=result.gravity,
                    victims=result.victims,
                    inputs=result.inputs,
                    config=config.as_dict(),
                    computed_at=now,
                    run=run,
                )
            )
        PerpetratorScore.objects.bulk_create(scores, batch_size=2000)
    return len(queued)


def screen(
    force: Force, *, full: bool = True, engine: str = "duckdb", spark: Any = None
) -> ScreeningRun:
    """Link, evaluate and queue for one force. A full run retrains the linkage model; an
    incremental run (new reports) scores with the saved one."""
    t0 = time.perf_counter()
    outcome = link_people(force, retrain=full, engine=engine, spark=spark)
    count = evaluate(force, outcome.identities, outcome.run)
    run = outcome.run
    run.candidates = count
    run.finished_at = timezone.now()
    run.seconds = time.perf_counter() - t0
    run.save(update_fields=["candidates", "finished_at", "seconds"])
    ScreeningState.objects.update_or_create(
        force=force, defaults={"last_run_at": run.finished_at, "pending_since": None}
    )
    return run


def mark_pending(force_id: int) -> None:
    """Note that a force has new or changed reports; the screening worker picks it up."""
    state, _ = ScreeningState.objects.get_or_create(force_id=force_id)
    if state.pending_since is None:
        state.pending_since = timezone.now()
        state.save(update_fields=["pending_since"])


def screen_pending(engine: str = "duckdb") -> list[ScreeningRun]:
    """Run incremental screening for every force with reports waiting."""
    runs = []
    for state in ScreeningState.objects.filter(pending_since__isnull=False).select_related("force"):
        has_model = LinkageModel.objects.filter(force=state.force, active=True).exists()
        runs.append(screen(state.force, full=not has_model, engine=engine))
    return runs


# --- Users' decisions -----------------------------------------------------------------------------


class ScreeningError(ValueError):
    pass


@transaction.atomic
def decide_link(user: User, a: Person, b: Person, decision: str, reason: str) -> LinkDecision:
    """Record that two person records are (confirm) or are not (split) the same human. Kept and
    respected by every later run; the force is marked for re-screening."""
    if a.pk == b.pk:
        raise ScreeningError("Choose two different records")
    if a.force_id != b.force_id or a.force_id != user.force_id:
        raise ScreeningError("Both records must belong to your force")
    if decision not in Decision.values:
        raise ScreeningError("Choose whether they are the same person or different people")
    if not reason.strip():
        raise ScreeningError("Give the reason for your decision")
    lo, hi = sorted((a, b), key=lambda p: p.pk)
    row, _ = LinkDecision.objects.update_or_create(
        person_a=lo,
        person_b=hi,
        defaults={
            "force_id": a.force_id,
            "decision": decision,
            "reason": reason.strip(),
            "decided_by": user,
        },
    )
    mark_pending(a.force_id)
    return row


def _victim_first(evidence: dict[str, Any]) -> dict[str, Any]:
    """The grounds of an application, by statutory test, from the screening evidence."""
    tests = evidence.get("spo_tests", [])
    return {str(n): {"test": t["test"], "evidence": t["evidence"]} for n, t in enumerate(tests, 1)}


@transaction.atomic
def start_application(user: User, candidate: Candidate) -> Order:
    """A draft SPO application for the candidate's suspect, protecting the victim, carrying the
    linked reports and the evidence as grounds (orders.services does the rest)."""
    if candidate.order_id is not None:
        raise ScreeningError("An application has already been started for this case")
    order = order_services.create_order(
        force=candidate.force,
        order_type="spo",
        defendant=candidate.suspect,
        protected_persons=[candidate.victim],
        by=user,
        reports=list(candidate.reports.all()),
        officer=user,
        team=user.team,
        grounds=_victim_first(candidate.evidence),
    )
    candidate.order = order
    candidate.status = CandidateStatus.APPLICATION
    candidate.updated_at = timezone.now()
    candidate.save(update_fields=["order", "status", "updated_at"])
    return order


def set_status(user: User, candidate: Candidate, status: str, note: str = "") -> Candidate:
    if status not in CandidateStatus.values or status == CandidateStatus.APPLICATION:
        raise ScreeningError("Choose a status")
    if status == CandidateStatus.DISMISSED and not note.strip():
        raise ScreeningError("Give the reason for dismissing this case")
    before = candidate.status
    candidate.status = status
    candidate.status_note = note.strip()
    candidate.updated_at = timezone.now()
    candidate.save(update_fields=["status", "status_note", "updated_at"])
    # Screening's tables have no audit trigger (its runs rewrite them wholesale), so a person's
    # decision about a flagged case is recorded here: who, when, what and why.
    audit.record(
        AuditKind.UPDATE,
        user=user,
        table_name=Candidate._meta.db_table,
        object_id=candidate.pk,
        purpose=candidate.status_note,
        details={"status": [before, status]},
    )
    return candidate


def identities_of(person_ids: Iterable[int]) -> dict[int, str]:
    return dict(
        PersonIdentity.objects.filter(person_id__in=list(person_ids)).values_list(
            "person_id", "key"
        )
    )
