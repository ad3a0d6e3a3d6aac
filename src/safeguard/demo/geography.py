"""Synthetic geography for a demo force: postcode districts, towns, teams, courts, stations.

Postcode districts and towns are real (so the demo reads like the force's own area); the full
postcodes are made up: a real district and sector with random unit letters. Team names are
invented. Court and police station names are public places, used only as labels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Letters used in the last two characters of a UK postcode (Royal Mail excludes C I K M O V).
_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@dataclass(frozen=True)
class District:
    code: str  # outward code, e.g. "NR3"
    town: str
    weight: float  # relative share of the force's population
    team: str  # the safeguarding team covering it


@dataclass(frozen=True)
class ForceGeography:
    name: str
    code: str
    ons_code: str
    districts: tuple[District, ...]
    teams: tuple[str, ...]  # the last is the force-wide public protection (SPO) unit
    magistrates_courts: dict[str, str]  # team -> court
    crown_court: str
    stations: dict[str, str]  # team -> police station where defendants notify (SPA s.10)

    def district_weights(self) -> list[float]:
        return [d.weight for d in self.districts]


def postcode(rng: random.Random, district: District) -> str:
    sector = rng.randint(0, 9)
    return f"{district.code} {sector}{rng.choice(_UNIT_LETTERS)}{rng.choice(_UNIT_LETTERS)}"


_NORWICH = "Norwich Safeguarding Team"
_BROADLAND = "Broadland and North Norfolk Safeguarding Team"
_YARMOUTH = "Great Yarmouth Safeguarding Team"
_LYNN = "King's Lynn and West Norfolk Safeguarding Team"
_BRECKLAND = "Breckland and South Norfolk Safeguarding Team"
_PPU = "Public Protection Unit (SPO coordination)"


def _d(code: str, town: str, weight: float, team: str) -> District:
    return District(code, town, weight, team)


NORFOLK = ForceGeography(
    name="Norfolk",
    code="norfolk",
    ons_code="E23000024",  # ONS police force area code (ONS PFA tables, Table P1)
    districts=(
        _d("NR1", "Norwich", 3.0, _NORWICH),
        _d("NR2", "Norwich", 3.0, _NORWICH),
        _d("NR3", "Norwich", 4.0, _NORWICH),
        _d("NR4", "Norwich", 2.5, _NORWICH),
        _d("NR5", "Norwich", 3.0, _NORWICH),
        _d("NR6", "Norwich", 2.5, _NORWICH),
        _d("NR7", "Norwich", 3.0, _NORWICH),
        _d("NR8", "Norwich", 1.5, _NORWICH),
        _d("NR9", "Hingham", 1.0, _BRECKLAND),
        _d("NR10", "Horsford", 1.0, _BROADLAND),
        _d("NR11", "Aylsham", 1.0, _BROADLAND),
        _d("NR12", "Wroxham", 1.0, _BROADLAND),
        _d("NR13", "Brundall", 1.5, _BROADLAND),
        _d("NR14", "Poringland", 1.2, _BRECKLAND),
        _d("NR15", "Long Stratton", 0.8, _BRECKLAND),
        _d("NR16", "Banham", 0.5, _BRECKLAND),
        _d("NR17", "Attleborough", 1.0, _BRECKLAND),
        _d("NR18", "Wymondham", 1.3, _BRECKLAND),
        _d("NR19", "Dereham", 1.5, _BRECKLAND),
        _d("NR20", "Dereham", 1.0, _BRECKLAND),
        _d("NR21", "Fakenham", 1.0, _BROADLAND),
        _d("NR22", "Walsingham", 0.2, _BROADLAND),
        _d("NR23", "Wells-next-the-Sea", 0.3, _BROADLAND),
        _d("NR24", "Melton Constable", 0.3, _BROADLAND),
        _d("NR25", "Holt", 0.6, _BROADLAND),
        _d("NR26", "Sheringham", 0.6, _BROADLAND),
        _d("NR27", "Cromer", 0.7, _BROADLAND),
        _d("NR28", "North Walsham", 1.0, _BROADLAND),
        _d("NR29", "Great Yarmouth", 1.0, _YARMOUTH),
        _d("NR30", "Great Yarmouth", 3.0, _YARMOUTH),
        _d("NR31", "Gorleston-on-Sea", 2.5, _YARMOUTH),
        _d("NR35", "Bungay", 0.3, _YARMOUTH),
        _d("PE30", "King's Lynn", 3.5, _LYNN),
        _d("PE31", "King's Lynn", 0.8, _LYNN),
        _d("PE32", "King's Lynn", 0.6, _LYNN),
        _d("PE33", "King's Lynn", 0.6, _LYNN),
        _d("PE34", "King's Lynn", 0.7, _LYNN),
        _d("PE35", "Sandringham", 0.2, _LYNN),
        _d("PE36", "Hunstanton", 0.5, _LYNN),
        _d("PE37", "Swaffham", 0.8, _BRECKLAND),
        _d("PE38", "Downham Market", 1.0, _LYNN),
        _d("IP20", "Harleston", 0.4, _BRECKLAND),
        _d("IP21", "Diss", 0.4, _BRECKLAND),
        _d("IP22", "Diss", 0.8, _BRECKLAND),
        _d("IP24", "Thetford", 1.8, _BRECKLAND),
        _d("IP25", "Watton", 0.6, _BRECKLAND),
        _d("IP26", "Thetford", 0.3, _BRECKLAND),
        _d("IP27", "Brandon", 0.2, _BRECKLAND),
    ),
    teams=(_NORWICH, _BROADLAND, _YARMOUTH, _LYNN, _BRECKLAND, _PPU),
    magistrates_courts={
        _NORWICH: "Norwich Magistrates' Court",
        _BROADLAND: "Norwich Magistrates' Court",
        _YARMOUTH: "Great Yarmouth Magistrates' Court",
        _LYNN: "King's Lynn Magistrates' Court",
        _BRECKLAND: "Norwich Magistrates' Court",
        _PPU: "Norwich Magistrates' Court",
    },
    crown_court="Norwich Crown Court",
    stations={
        _NORWICH: "Bethel Street Police Station, Norwich",
        _BROADLAND: "North Walsham Police Station",
        _YARMOUTH: "Great Yarmouth Police Station",
        _LYNN: "King's Lynn Police Investigation Centre",
        _BRECKLAND: "Thetford Police Station",
        _PPU: "Bethel Street Police Station, Norwich",
    },
)

GEOGRAPHIES: dict[str, ForceGeography] = {NORFOLK.name.lower(): NORFOLK}


def geography_for(force_name: str) -> ForceGeography:
    try:
        return GEOGRAPHIES[force_name.strip().lower()]
    except KeyError:
        known = ", ".join(g.name for g in GEOGRAPHIES.values())
        raise ValueError(
            f"No demo geography for a force called {force_name!r}. Forces with demo data: {known}"
        ) from None
