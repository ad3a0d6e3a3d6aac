"""One declarative spec per order type, each item citing its source (DESIGN.md, Rules as data).

Code elsewhere asks these specs; it never hard-codes "2 years", "14 to 28 days" or "48 hours".
DOMAIN.md gives the confidence of each item.
"""

from __future__ import annotations

from safeguard.rules.config import DEFAULT_CONFIG
from safeguard.rules.orders.model import (
    Action,
    BreachRule,
    Cited,
    ConditionOption,
    OrderSpec,
    Term,
)

# --- Condition catalogues -------------------------------------------------------------------

SPA = "Stalking Protection Act 2019"
CSA = "Crime and Security Act 2010"
DAA = "Domestic Abuse Act 2021"

_SPO_CONDITIONS = (
    # SPA 2019 s.1(2): prohibitions and/or requirements; s.2(2): each must be necessary.
    ConditionOption(
        "no-contact",
        "prohibition",
        "Not to contact the protected person by any means, including social media",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "no-approach",
        "prohibition",
        "Not to approach within a set distance of the protected person",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "exclusion-zone",
        "prohibition",
        "Not to enter a defined area (home, workplace, school)",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "no-publishing",
        "prohibition",
        "Not to publish material about the protected person",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "no-monitoring",
        "prohibition",
        "Not to monitor the protected person's communications or whereabouts, including by tracking devices",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "no-third-party-contact",
        "prohibition",
        "Not to contact the protected person through others",
        f"{SPA} s.1(2)(a)",
    ),
    ConditionOption(
        "device-access",
        "requirement",
        "To give police access to devices and accounts on request",
        f"{SPA} s.1(2)(b)",
    ),
    ConditionOption(
        "perpetrator-programme",
        "requirement",
        "To attend a perpetrator intervention programme",
        f"{SPA} s.1(2)(b)",
    ),
    ConditionOption(
        "mental-health-assessment",
        "requirement",
        "To attend a mental health assessment",
        f"{SPA} s.1(2)(b)",
    ),
    ConditionOption(
        "substance-assessment",
        "requirement",
        "To attend a drug or alcohol assessment",
        f"{SPA} s.1(2)(b)",
    ),
)

_NOTICE_PREMISES_CONDITIONS = (
    ConditionOption(
        "no-molestation", "prohibition", "Not to molest the protected person", "s.24(5) / s.23(2)"
    ),
    ConditionOption(
        "no-eviction",
        "prohibition",
        "Not to evict or exclude the protected person from shared premises",
        "s.24(8) / s.23(3)",
    ),
    ConditionOption("no-entry", "prohibition", "Not to enter the premises", "s.24(8) / s.23(3)"),
    ConditionOption("leave-premises", "requirement", "To leave the premises", "s.24(8) / s.23(3)"),
    ConditionOption(
        "keep-distance",
        "prohibition",
        "Not to come within a set distance of the premises",
        "s.24(8) / s.23(3)",
    ),
)

_DAPO_CONDITIONS = (
    ConditionOption(
        "no-contact", "prohibition", "Not to contact the protected person", f"{DAA} s.35"
    ),
    ConditionOption("exclusion-zone", "prohibition", "Not to enter a defined area", f"{DAA} s.35"),
    ConditionOption("no-entry", "prohibition", "Not to enter the premises", f"{DAA} s.35"),
    ConditionOption("leave-premises", "requirement", "To leave the premises", f"{DAA} s.35"),
    ConditionOption(
        "behaviour-programme",
        "requirement",
        "To attend a behaviour change programme",
        f"{DAA} s.35",
    ),
    ConditionOption(
        "substance-assessment",
        "requirement",
        "To attend a drug or alcohol assessment",
        f"{DAA} s.35",
    ),
    ConditionOption(
        "mental-health-assessment",
        "requirement",
        "To attend a mental health assessment",
        f"{DAA} s.35",
    ),
    ConditionOption(
        "electronic-monitoring",
        "requirement",
        "To submit to electronic monitoring",
        f"{DAA} ss.37, 38(5)",
        max_months=12,
    ),
)

_RO_CONDITIONS = (
    ConditionOption(
        "no-contact",
        "prohibition",
        "Not to contact the protected person",
        "Sentencing Act 2020 s.360",
    ),
    ConditionOption(
        "exclusion-zone", "prohibition", "Not to enter a defined area", "Sentencing Act 2020 s.360"
    ),
    ConditionOption(
        "no-approach",
        "prohibition",
        "Not to approach the protected person",
        "Sentencing Act 2020 s.360",
    ),
)

_SPO_BREACH = BreachRule(
    offence="Breach of a stalking protection order without reasonable excuse",
    criminal=True,
    max_on_indictment="5 years' imprisonment and/or a fine",
    max_summary=DEFAULT_CONFIG.magistrates_general_limit + " and/or a fine",
    basis=f"{SPA} s.8",
    conditional_discharge_available=None,  # DOMAIN 1.5: UNCONFIRMED
)

_SPO_DUTIES = (
    Cited(
        "Notify name(s) and home address within 3 days beginning with the day of service",
        f"{SPA} s.9(1)-(2)",
    ),
    Cited(
        "Notify a new name within 3 days beginning with the day it is first used", f"{SPA} s.9(3)"
    ),
    Cited(
        "Notify a change of home address within 3 days beginning with the day of the change",
        f"{SPA} s.9(4)",
    ),
    Cited(
        "Notify in person at a police station; allow fingerprints and photographs if required",
        f"{SPA} s.10",
    ),
)

_SPO_TESTS = (
    Cited("The defendant has carried out acts associated with stalking", f"{SPA} s.2(1)(a)"),
    Cited(
        "The defendant poses a risk associated with stalking to another person", f"{SPA} s.2(1)(b)"
    ),
    Cited("The order is necessary to protect that person from the risk", f"{SPA} s.2(1)(c)"),
)

_SPO_APPEALS = (
    Cited(
        "Defendant: against the making of the order, or a s.4 order on a police application",
        f"{SPA} s.7(1)",
    ),
    Cited("Chief officer: against a refusal to make the order or a s.4 order", f"{SPA} s.7(2)"),
    Cited(
        "Relevant chief officer: against a s.4 order made on the defendant's application",
        f"{SPA} s.7(3)",
    ),
)

_SPO_CLOCK = {
    "served": "spo-served",
    "name-changed": "spo-name-changed",
    "address-changed": "spo-address-changed",
    "soa-notification-ended": "spo-soa-notification-ended",
}

ORDER_TYPES: dict[str, OrderSpec] = {}


def _register(spec: OrderSpec) -> OrderSpec:
    ORDER_TYPES[spec.key] = spec
    return spec


SPO = _register(
    OrderSpec(
        key="spo",
        title="Stalking Protection Order",
        act=SPA,
        applicant=Cited(
            "A chief officer of police (not the CPS); territorial limit in s.1(3)",
            f"{SPA} s.1(1), (3)",
        ),
        court=Cited("Magistrates' court, by complaint", f"{SPA} s.1(1)"),
        tests=_SPO_TESTS,
        standard=Cited(
            "Balance of probabilities (statutory guidance April 2024, after Malik [2023] EWHC 3213)",
            "Home Office SPO statutory guidance (2024)",
        ),
        term=Term(
            text="A fixed period of at least 2 years beginning with the day made, or until further order",
            basis=f"{SPA} s.3",
            until_further_order_allowed=True,
            minimum_years=2,
        ),
        actions=frozenset(
            {
                Action.SUBMIT,
                Action.GRANT,
                Action.REFUSE,
                Action.ADJOURN,
                Action.WITHDRAW,
                Action.VARY,
                Action.RENEW,
                Action.DISCHARGE,
                Action.EXPIRE,
                Action.QUASH,
            }
        ),
        breach=_SPO_BREACH,
        conditions=_SPO_CONDITIONS,
        duties=_SPO_DUTIES,
        clock_events={"made": "spo-made", **_SPO_CLOCK},
        initial_notification_on="served",
        may_vary_renew_discharge=Cited(
            "The defendant or the chief officer may apply to a magistrates' court to vary, renew or discharge",
            f"{SPA} s.4",
        ),
        appeals=_SPO_APPEALS,
        notes=(
            "Each prohibition or requirement must itself be necessary (s.2(2)); conditions avoid religious beliefs and work or education times so far as practicable (s.2(3)); UK-wide unless limited (s.2(4)).",
        ),
    )
)

INTERIM_SPO = _register(
    OrderSpec(
        key="interim-spo",
        title="Interim Stalking Protection Order",
        act=SPA,
        applicant=Cited(
            "The chief officer who made the main application, with it or later", f"{SPA} s.5(2)"
        ),
        court=Cited("Magistrates' court", f"{SPA} s.5(1)"),
        tests=(
            Cited(
                "The court considers it appropriate while the main application is undetermined",
                f"{SPA} s.5(3)",
            ),
        ),
        standard=Cited(
            "The court considers it appropriate (a discretionary test)", f"{SPA} s.5(3)"
        ),
        term=Term(
            text="A fixed period specified in the order; ends when the main application is determined",
            basis=f"{SPA} s.5(6)",
            fixed_term_required=True,
        ),
        actions=frozenset(
            {
                Action.SUBMIT,
                Action.GRANT,
                Action.REFUSE,
                Action.ADJOURN,
                Action.WITHDRAW,
                Action.VARY,
                Action.RENEW,
                Action.DISCHARGE,
                Action.EXPIRE,
                Action.END,
                Action.QUASH,
            }
        ),
        breach=_SPO_BREACH,
        conditions=_SPO_CONDITIONS,
        duties=_SPO_DUTIES,
        clock_events={**_SPO_CLOCK, "served": "interim-spo-served"},
        initial_notification_on="served",
        may_vary_renew_discharge=Cited(
            "The defendant or the applying chief officer may apply to vary, renew or discharge",
            f"{SPA} s.5(7)-(8)",
        ),
        appeals=_SPO_APPEALS[:2],
        interim_for="spo",
    )
)

DVPN = _register(
    OrderSpec(
        key="dvpn",
        title="Domestic Violence Protection Notice",
        act=CSA,
        applicant=Cited("Issued by the police", f"{CSA} s.24(1)"),
        authoriser=Cited("An officer not below the rank of superintendent", f"{CSA} s.24(1)"),
        authoriser_min_rank="superintendent",
        court=None,
        tests=(
            Cited(
                "P has been violent, or threatened violence, towards an associated person",
                f"{CSA} s.24(2)(a)",
            ),
            Cited("The notice is necessary to protect that person", f"{CSA} s.24(2)(b)"),
        ),
        standard=Cited("Reasonable grounds for believing", f"{CSA} s.24(2)"),
        term=Term(
            text="Lasts until the DVPO application is determined; lapses if not heard within 48 hours",
            basis=f"{CSA} ss.25, 27",
            fixed_term_allowed=False,
            lasts_until_hearing=True,
        ),
        actions=frozenset({Action.ISSUE, Action.END, Action.LAPSE, Action.WITHDRAW}),
        breach=BreachRule(
            offence="Breach of a DVPN is not an offence: arrest without warrant, court within 24 hours",
            criminal=False,
            max_on_indictment=None,
            max_summary=None,
            basis=f"{CSA} s.26",
        ),
        subject_min_age=18,
        conditions=tuple(
            ConditionOption(c.code, c.kind, c.title, f"{CSA} {c.basis.split(' / ')[0]}")
            for c in _NOTICE_PREMISES_CONDITIONS
        ),
        mandatory_conditions=("no-molestation",),
        clock_events={"issued": "dvpn-served", "breach-arrest": "dvpn-breach-arrest"},
    )
)

DVPO = _register(
    OrderSpec(
        key="dvpo",
        title="Domestic Violence Protection Order",
        act=CSA,
        applicant=Cited("A constable, by complaint; mandatory after a DVPN", f"{CSA} s.27"),
        court=Cited("Magistrates' court", f"{CSA} s.27"),
        tests=(
            Cited(
                "P has been violent, or threatened violence, towards an associated person",
                f"{CSA} s.28(2)",
            ),
            Cited("The order is necessary to protect that person", f"{CSA} s.28(3)"),
        ),
        standard=Cited("Balance of probabilities", f"{CSA} s.28(2)"),
        term=Term(
            text="At least 14 and at most 28 days, counting the day it is made",
            basis=f"{CSA} s.28(10)",
            fixed_term_required=True,
            minimum_days=14,
            maximum_days=28,
        ),
        actions=frozenset(
            {
                Action.SUBMIT,
                Action.GRANT,
                Action.REFUSE,
                Action.ADJOURN,
                Action.WITHDRAW,
                Action.EXPIRE,
                Action.QUASH,
            }
        ),
        breach=BreachRule(
            offence="Breach of a DVPO is civil contempt, not a criminal offence",
            criminal=False,
            max_on_indictment=None,
            max_summary="£5,000 fine or 2 months' imprisonment",
            basis="Magistrates' Courts Act 1980 s.63(3); Crime and Security Act 2010 s.29",
        ),
        subject_min_age=18,
        conditions=tuple(
            ConditionOption(c.code, c.kind, c.title, f"{CSA} s.28(6)-(9)")
            for c in _NOTICE_PREMISES_CONDITIONS
        ),
        mandatory_conditions=("no-molestation",),
        clock_events={"made": "dvpo-made", "breach-arrest": "dvpo-breach-arrest"},
        follows_notice="dvpn",
        notes=(
            "The Act is believed to give no power to vary or discharge a DVPO (UNCONFIRMED: RulesConfig.dvpo_may_be_varied).",
        ),
    )
)

DAPN = _register(
    OrderSpec(
        key="dapn",
        title="Domestic Abuse Protection Notice",
        act=DAA,
        applicant=Cited("Given by a senior police officer", f"{DAA} s.22(1)"),
        authoriser=Cited("A constable of at least the rank of inspector", f"{DAA} s.22(8)"),
        authoriser_min_rank="inspector",
        court=None,
        tests=(
            Cited(
                "P has been abusive towards a person aged 16 or over who is personally connected to P",
                f"{DAA} s.22(3)",
            ),
            Cited(
                "The notice is necessary to protect that person from domestic abuse or its risk",
                f"{DAA} s.22(3)",
            ),
        ),
        standard=Cited("Reasonable grounds for believing", f"{DAA} s.22(3)"),
        term=Term(
            text="Until the DAPO application is determined or withdrawn",
            basis=f"{DAA} s.25",
            fixed_term_allowed=False,
            lasts_until_hearing=True,
        ),
        actions=frozenset({Action.ISSUE, Action.END, Action.LAPSE, Action.WITHDRAW}),
        breach=BreachRule(
            offence="Breach of a DAPN: arrest without warrant, court within 24 hours (days disregarded)",
            criminal=False,
            max_on_indictment=None,
            max_summary=None,
            basis=f"{DAA} s.26",
        ),
        subject_min_age=18,
        conditions=tuple(
            ConditionOption(c.code, c.kind, c.title, f"{DAA} {c.basis.split(' / ')[1]}")
            for c in _NOTICE_PREMISES_CONDITIONS
        ),
        clock_events={"issued": "dapn-given", "breach-arrest": "dapn-breach-arrest"},
    )
)

DAPO = _register(
    OrderSpec(
        key="dapo",
        title="Domestic Abuse Protection Order",
        act=DAA,
        applicant=Cited(
            "The victim, the appropriate chief officer (must apply after a DAPN), or others with leave",
            f"{DAA} s.28(2)-(4)",
        ),
        court=Cited(
            "Magistrates' court by complaint for police applications; family court otherwise",
            f"{DAA} s.28(5)-(7)",
        ),
        tests=(
            Cited(
                "P has been abusive towards a personally connected person aged 16 or over",
                f"{DAA} s.32",
            ),
            Cited("The order is necessary and proportionate to protect that person", f"{DAA} s.32"),
        ),
        standard=Cited("Balance of probabilities", f"{DAA} s.32"),
        term=Term(
            text="A specified period, until a specified event, or until further order; no statutory minimum or maximum",
            basis=f"{DAA} s.38(1)-(4)",
            until_further_order_allowed=True,
        ),
        actions=frozenset(
            {
                Action.SUBMIT,
                Action.GRANT,
                Action.REFUSE,
                Action.ADJOURN,
                Action.WITHDRAW,
                Action.VARY,
                Action.DISCHARGE,
                Action.EXPIRE,
                Action.QUASH,
            }
        ),
        breach=BreachRule(
            offence="Breach of a domestic abuse protection order without reasonable excuse",
            criminal=True,
            max_on_indictment="5 years' imprisonment and/or a fine",
            max_summary=DEFAULT_CONFIG.magistrates_general_limit + " and/or a fine",
            basis=f"{DAA} s.39",
            conditional_discharge_available=False,  # s.39(6)
        ),
        conditions=_DAPO_CONDITIONS,
        duties=(
            Cited(
                "Notify name(s) and home address within 3 days beginning with the day the order is made",
                f"{DAA} s.41",
            ),
            Cited(
                "Notify a new name, a new address, or having no home address, within 3 days",
                f"{DAA} s.41",
            ),
        ),
        clock_events={
            "made": "dapo-made",
            "name-changed": "dapo-name-changed",
            "address-changed": "dapo-address-changed",
            "no-home-address": "dapo-no-home-address",
        },
        initial_notification_on="made",
        may_vary_renew_discharge=Cited(
            "Any court may vary or discharge on the application of the listed persons",
            f"{DAA} ss.44-45",
        ),
        follows_notice="dapn",
    )
)

_RO_BREACH = BreachRule(
    offence="Breach of a restraining order without reasonable excuse",
    criminal=True,
    max_on_indictment="5 years' imprisonment and/or a fine",
    max_summary="6 months' imprisonment and/or a fine",
    basis="Protection from Harassment Act 1997 s.5(5); Sentencing Act 2020 s.363",
)

RO_CONVICTION = _register(
    OrderSpec(
        key="ro-conviction",
        title="Restraining order on conviction",
        act="Sentencing Act 2020",
        applicant=Cited(
            "Made by the sentencing court; the prosecutor invites it", "Sentencing Act 2020 s.359"
        ),
        court=Cited("The court dealing with the offender", "Sentencing Act 2020 s.359"),
        tests=(
            Cited(
                "Necessary to protect the victim or another person from harassment or fear of violence",
                "Sentencing Act 2020 s.360",
            ),
        ),
        standard=Cited(
            "On conviction, the court considers it necessary", "Sentencing Act 2020 s.360"
        ),
        term=Term(
            text="A fixed period or until further order",
            basis="Sentencing Act 2020 s.360(3)",
            until_further_order_allowed=True,
        ),
        actions=frozenset(
            {
                Action.SUBMIT,
                Action.GRANT,
                Action.REFUSE,
                Action.WITHDRAW,
                Action.VARY,
                Action.DISCHARGE,
                Action.EXPIRE,
                Action.QUASH,
            }
        ),
        breach=_RO_BREACH,
        conditions=_RO_CONDITIONS,
        may_vary_renew_discharge=Cited(
            "The prosecutor, the defendant or any person named may apply to vary or discharge",
            "Sentencing Act 2020 s.362",
        ),
    )
)

RO_ACQUITTAL = _register(
    OrderSpec(
        key="ro-acquittal",
        title="Restraining order on acquittal",
        act="Protection from Harassment Act 1997",
        applicant=Cited(
            "Made by the court on acquittal", "Protection from Harassment Act 1997 s.5A"
        ),
        court=Cited(
            "The court before which the defendant was acquitted",
            "Protection from Harassment Act 1997 s.5A",
        ),
        tests=(
            Cited(
                "Necessary to protect a person from harassment by the defendant",
                "Protection from Harassment Act 1997 s.5A(1)",
            ),
        ),
        standard=Cited(
            "Necessary to protect a person from harassment (a civil behaviour order)",
            "Protection from Harassment Act 1997 s.5A",
        ),
        term=Term(
            text="A fixed period or until further order",
            basis="Protection from Harassment Act 1997 s.5A(2), s.5(3A)",
            until_further_order_allowed=True,
        ),
        actions=RO_CONVICTION.actions,
        breach=_RO_BREACH,
        conditions=_RO_CONDITIONS,
        may_vary_renew_discharge=Cited(
            "The prosecutor, the defendant or any person named may apply",
            "Protection from Harassment Act 1997 s.5(4)",
        ),
        appeals=(
            Cited(
                "The defendant may appeal as if convicted",
                "Protection from Harassment Act 1997 s.5A(3)",
            ),
        ),
    )
)
