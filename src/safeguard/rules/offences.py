"""Home Office Counting Rules classifications a stalking case meets (DOMAIN.md 5.3)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offence:
    code: str
    title: str
    stalking_group: bool  # counted in ONS "stalking and harassment"
    basis: str


OFFENCES: dict[str, Offence] = {
    o.code: o
    for o in (
        # [ONS-HIER] H: the stalking and harassment group.
        Offence("8Q", "Stalking", True, "Protection from Harassment Act 1997 ss.2A, 4A"),
        Offence("8L", "Harassment", True, "Protection from Harassment Act 1997 ss.2, 4"),
        Offence(
            "8M",
            "Racially or religiously aggravated harassment",
            True,
            "Crime and Disorder Act 1998 s.32",
        ),
        Offence(
            "8R",
            "Malicious communications",
            True,
            "Malicious Communications Act 1988 s.1; Communications Act 2003 s.127",
        ),
        # Offences a stalking case often meets, recorded alongside (HOCR Apr 2018 change).
        # The HOCR code of controlling or coercive behaviour is UNCONFIRMED (DOMAIN 5.3), so it
        # is keyed by name, not by a guessed code.
        Offence("CCB", "Controlling or coercive behaviour", False, "Serious Crime Act 2015 s.76"),
        Offence("8N", "Assault with injury", False, "Offences Against the Person Act 1861 s.47"),
        Offence("58C", "Criminal damage to a dwelling", False, "Criminal Damage Act 1971 s.1"),
        Offence("9A", "Public fear, alarm or distress", False, "Public Order Act 1986 ss.4, 4A, 5"),
        Offence(
            "8SPO",
            "Breach of a Stalking Protection Order",
            False,
            "Stalking Protection Act 2019 s.8",
        ),
        Offence(
            "8DAPO",
            "Breach of a Domestic Abuse Protection Order",
            False,
            "Domestic Abuse Act 2021 s.39",
        ),
        Offence(
            "8RO",
            "Breach of a restraining order",
            False,
            "Protection from Harassment Act 1997 s.5(5); Sentencing Act 2020 s.363",
        ),
    )
}

STALKING_CODES = frozenset({"8Q"})
STALKING_AND_HARASSMENT_CODES = frozenset(c for c, o in OFFENCES.items() if o.stalking_group)

# Acts associated with stalking: SPA 2019 s.1(6), pointing to PHA 1997 s.2A(3).
BEHAVIOURS: dict[str, str] = {
    "following": "Following the person",
    "contact": "Contacting, or attempting to contact, the person by any means",
    "publishing": "Publishing material about the person, or purporting to be from them",
    "monitoring": "Monitoring the person's use of the internet, e-mail or other communication",
    "loitering": "Loitering in a public or private place",
    "property": "Interfering with the person's property",
    "watching": "Watching or spying on the person",
    "threats": "Threats of violence",
}
