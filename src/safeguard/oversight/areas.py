"""The 43 territorial police force areas of England and Wales, by ONS code, and the names the
public data files give them.

Codes and names are from ONS Table P1 (police force area data tables, year ending June 2025).
British Transport Police is not a police force area: it has no area code, and national figures
include it, so it is read only to check a file's totals add up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    ons_code: str
    name: str
    region: str  # English region, or Wales

    @property
    def country(self) -> str:
        return "Wales" if self.ons_code.startswith("W") else "England"


AREAS: tuple[Area, ...] = tuple(
    Area(code, name, region)
    for code, name, region in (
        ("E23000013", "Cleveland", "North East"),
        ("E23000008", "Durham", "North East"),
        ("E23000007", "Northumbria", "North East"),
        ("E23000006", "Cheshire", "North West"),
        ("E23000002", "Cumbria", "North West"),
        ("E23000005", "Greater Manchester", "North West"),
        ("E23000003", "Lancashire", "North West"),
        ("E23000004", "Merseyside", "North West"),
        ("E23000012", "Humberside", "Yorkshire and The Humber"),
        ("E23000009", "North Yorkshire", "Yorkshire and The Humber"),
        ("E23000011", "South Yorkshire", "Yorkshire and The Humber"),
        ("E23000010", "West Yorkshire", "Yorkshire and The Humber"),
        ("E23000018", "Derbyshire", "East Midlands"),
        ("E23000021", "Leicestershire", "East Midlands"),
        ("E23000020", "Lincolnshire", "East Midlands"),
        ("E23000022", "Northamptonshire", "East Midlands"),
        ("E23000019", "Nottinghamshire", "East Midlands"),
        ("E23000015", "Staffordshire", "West Midlands"),
        ("E23000017", "Warwickshire", "West Midlands"),
        ("E23000016", "West Mercia", "West Midlands"),
        ("E23000014", "West Midlands", "West Midlands"),
        ("E23000026", "Bedfordshire", "East of England"),
        ("E23000023", "Cambridgeshire", "East of England"),
        ("E23000028", "Essex", "East of England"),
        ("E23000027", "Hertfordshire", "East of England"),
        ("E23000024", "Norfolk", "East of England"),
        ("E23000025", "Suffolk", "East of England"),
        ("E23000034", "City of London", "London"),
        ("E23000001", "Metropolitan Police", "London"),
        ("E23000030", "Hampshire", "South East"),
        ("E23000032", "Kent", "South East"),
        ("E23000031", "Surrey", "South East"),
        ("E23000033", "Sussex", "South East"),
        ("E23000029", "Thames Valley", "South East"),
        ("E23000036", "Avon and Somerset", "South West"),
        ("E23000035", "Devon and Cornwall", "South West"),
        ("E23000039", "Dorset", "South West"),
        ("E23000037", "Gloucestershire", "South West"),
        ("E23000038", "Wiltshire", "South West"),
        ("W15000004", "Dyfed-Powys", "Wales"),
        ("W15000002", "Gwent", "Wales"),
        ("W15000001", "North Wales", "Wales"),
        ("W15000003", "South Wales", "Wales"),
    )
)
BY_CODE: dict[str, Area] = {a.ons_code: a for a in AREAS}

# Words that differ between publishers' names for the same force ("Metropolitan Police
# Service", "Devon & Cornwall", "Dyfed Powys", "London, City of").
_NOISE = re.compile(r"\b(police|service|constabulary|force|area)\b")
_NOTE = re.compile(r"\s*\[note \d+\]|\d+(,\d+)*$")


def normalise(name: str) -> str:
    text = _NOTE.sub("", name.strip()).lower().replace("&", " and ")
    if text.startswith("london, city of"):
        text = "city of london"
    text = _NOISE.sub(" ", text)
    return " ".join(re.sub(r"[^a-z ]", " ", text).split())


_BY_NAME: dict[str, Area] = {normalise(a.name): a for a in AREAS}


def area_for_name(name: str) -> Area | None:
    """The area a publisher's name refers to, or None (the caller says which file and row)."""
    return _BY_NAME.get(normalise(name))


def clean_name(name: str) -> str:
    """A name from a table without its footnote markers ("Humberside [note 4]", "ENGLAND8")."""
    return _NOTE.sub("", name.strip()).strip()
