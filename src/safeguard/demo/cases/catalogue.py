"""Which cases the demo makes (type, state, variant), and the words their conditions use."""

from __future__ import annotations

# --- Planning -------------------------------------------------------------------------------------

SPO_CASES: tuple[tuple[str, dict], ...] = (
    ("draft", {}),
    ("draft", {"missing_necessity": True}),
    ("draft", {}),
    # Prepared with the application builder (orders/services/applications.py): part done, with
    # the legal adviser, sent back with comments, and approved (so made to the court).
    ("draft", {"builder": "tests"}),
    ("draft", {"review": "pending"}),
    ("draft", {"review": "pending", "hearing_listed": True}),
    ("draft", {"review": "changes_requested"}),
    ("applied", {"review": "approved"}),
    ("applied", {}),
    ("applied", {"adjourned": True}),
    ("applied", {"interim": "in_force"}),
    ("applied", {"interim": "applied"}),
    ("applied", {"interim": "refused"}),
    ("in_force", {"notify": "on_time"}),
    ("in_force", {"notify": "late"}),
    ("in_force", {"notify": "overdue"}),
    ("in_force", {"notify": "due"}),
    ("in_force", {"notify": "on_time", "vary": True, "address_change": "on_time"}),
    ("in_force", {"notify": "on_time", "renew": True}),
    ("in_force", {"notify": "on_time", "breaches": 2}),
    ("in_force", {"notify": "late", "breaches": 1, "address_change": "late"}),
    ("in_force", {"notify": "on_time", "appeal": "dismissed"}),
    ("in_force", {"notify": "on_time", "two_victims": True, "ufo": True}),
    ("in_force", {"interim": "ended"}),
    ("refused", {"appeal": "pending"}),
    ("refused", {"interim": "ended"}),
    ("refused", {}),
    ("withdrawn", {}),
    ("withdrawn", {"from_draft": True}),
    ("discharged", {"notify": "on_time"}),
    ("expired", {"notify": "on_time"}),
    ("expired", {"notify": "late", "breaches": 1}),
    ("quashed", {"notify": "on_time"}),
)

# (order type, notice state, order state or None, options)
NOTICE_CASES: tuple[tuple[str, str, str | None, dict], ...] = (
    ("dvpo", "ended", "in_force", {}),
    ("dvpo", "ended", "in_force", {"breaches": 1}),
    ("dvpo", "ended", "expired", {"notice_breach": True}),
    ("dvpo", "ended", "expired", {}),
    ("dvpo", "ended", "refused", {}),
    ("dvpo", "in_force", "applied", {}),
    ("dvpo", "lapsed", "withdrawn", {}),
    ("dvpo", "draft", None, {}),
    ("dvpo", "withdrawn", None, {}),
    ("dapo", "withdrawn", None, {}),
    ("dapo", "ended", "in_force", {"notify": "on_time", "monitoring": True}),
    ("dapo", "ended", "in_force", {"notify": "late", "ufo": True, "address_change": "overdue", "breaches": 1}),
    ("dapo", "ended", "in_force", {"notify": "on_time", "vary": True}),
    ("dapo", "ended", "expired", {"notify": "on_time"}),
    ("dapo", "ended", "discharged", {"notify": "on_time"}),
    ("dapo", "ended", "refused", {}),
    ("dapo", "ended", "withdrawn", {}),
    ("dapo", "in_force", "applied", {}),
    ("dapo", "lapsed", "withdrawn", {"authoriser": "superintendent"}),
    ("dapo", "draft", None, {}),
)  # fmt: skip

RO_CASES: tuple[tuple[str, str, dict], ...] = (
    ("ro-conviction", "in_force", {}),
    ("ro-conviction", "in_force", {"ufo": True}),
    ("ro-conviction", "in_force", {"breaches": 1}),
    ("ro-conviction", "expired", {}),
    ("ro-conviction", "discharged", {}),
    ("ro-conviction", "refused", {}),
    ("ro-conviction", "applied", {}),
    ("ro-conviction", "withdrawn", {}),
    ("ro-conviction", "draft", {}),
    ("ro-acquittal", "in_force", {}),
    ("ro-acquittal", "quashed", {}),
)


# --- Wording --------------------------------------------------------------------------------------

NECESSITY = {
    "no-contact": "{sub} has contacted {obj} {n} times since being told to stop, including from new accounts after being blocked; any contact continues the fixation.",
    "no-approach": "{sub} has approached {obj} in the street and at {pos} door; a set distance removes the chance of a confrontation.",
    "exclusion-zone": "{sub} has waited near {pos} home and workplace in {town} on at least {k} occasions; an exclusion zone around both protects {obj} where {obj_sub} is most exposed.",
    "no-publishing": "{sub} has posted about {obj} online and threatened to publish private images.",
    "no-monitoring": "{sub} tracked {pos} location through a shared account and turned up where {obj_sub} was.",
    "no-third-party-contact": "{sub} has used friends and family to pass on messages after direct contact was blocked.",
    "device-access": "Much of the conduct is online and hard to see; access lets police check compliance with the no-contact prohibition.",
    "perpetrator-programme": "The fixation has lasted over a year despite warnings; the programme addresses the behaviour behind it.",
    "mental-health-assessment": "{sub} has described intrusive thoughts about {obj}; an assessment is needed to manage the risk.",
    "substance-assessment": "Most incidents happened when {sub} had been drinking; the assessment addresses that trigger.",
    "no-molestation": "Required in every notice and order (CSA 2010 s.24(5) / DAA 2021 s.23).",
    "leave-premises": "They live together and the victim is at risk of further violence at home.",
    "no-entry": "They live together and the victim is at risk of further violence at home.",
    "keep-distance": "{sub} has come to {pos} home repeatedly since the relationship ended.",
    "behaviour-programme": "A pattern of controlling behaviour over several years; the programme addresses it.",
    "electronic-monitoring": "The exclusion zone has been breached before; monitoring lets police know at once.",
}


def pronouns(person_sex: str) -> dict[str, str]:
    if person_sex == "M":
        return {"obj": "him", "pos": "his", "obj_sub": "he"}
    return {"obj": "her", "pos": "her", "obj_sub": "she"}
