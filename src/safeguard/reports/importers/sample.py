"""Write a sample crime-reports file in the documented format (docs/data-formats.md): made-up
people and reports, for trying the importer, its tests and its benchmark.

    python -m safeguard.reports.importers.sample reports.csv 11000 [--xlsx] [--seed 1]

Every name, date and address is invented by a seeded random generator; none is a real person's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from safeguard.reports.importers.columns import PARTY_COLUMNS, REPORT_COLUMNS

COLUMNS = (*REPORT_COLUMNS, *PARTY_COLUMNS)
GIVEN = (
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Priya",
    "Tom",
    "Aisha",
    "Megan",
    "Liam",
    "Zoe",
    "Owen",
    "Nia",
)
SURNAMES = (
    "Marsh",
    "Reeve",
    "Okafor",
    "Patel",
    "Nowak",
    "Hughes",
    "Evans",
    "Barker",
    "Shah",
    "Kerr",
)
STREETS = ("Mill Lane", "Church Street", "Station Road", "Park View", "The Green", "High Street")
OFFENCES: tuple[tuple[str, float], ...] = (("8Q", 0.16), ("8R", 0.45), ("8L", 0.37), ("8M", 0.02))
BEHAVIOURS = ("contact", "following", "loitering", "watching", "monitoring", "threats")
RELATIONSHIPS = ("ex_partner", "acquaintance", "neighbour", "stranger", "family", "online")


def sample_rows(
    count: int, *, seed: int = 1, start: dt.date | None = None
) -> Iterator[dict[str, str]]:
    """Rows for `count` reports: each has one victim and one suspect, and one in five a witness."""
    rng = random.Random(seed)
    start = start or dt.date(2024, 10, 1)
    codes = [code for code, _ in OFFENCES]
    weights = [weight for _, weight in OFFENCES]
    for n in range(count):
        reported = start + dt.timedelta(days=rng.randrange(365))
        began = reported - dt.timedelta(days=rng.randrange(1, 120))
        report: dict[str, str] = {
            "reference": f"SMP/{reported:%y}/{n + 1:06d}",
            "offence_code": rng.choices(codes, weights)[0],
            "reported_at": f"{reported:%d/%m/%Y} {rng.randrange(24):02d}:{rng.randrange(60):02d}",
            "occurred_from": began.isoformat(),
            "occurred_to": reported.isoformat(),
            "status": "open",
            "behaviours": ";".join(rng.sample(BEHAVIOURS, rng.randrange(1, 4))),
            "sdash": f"frightened={rng.choice(('yes', 'no'))};threats={rng.choice(('yes', 'no', 'unknown'))}",
            "summary": "Repeated unwanted contact after the relationship ended.",
        }
        victim: dict[str, str] = {
            "party_role": "victim",
            "given_name": rng.choice(GIVEN),
            "surname": rng.choice(SURNAMES),
            "date_of_birth": dt.date(
                1960 + rng.randrange(45), 1 + rng.randrange(12), 1 + rng.randrange(28)
            ).isoformat(),
            "sex": rng.choice("FFFM"),
            "home_address": f"{1 + rng.randrange(200)} {rng.choice(STREETS)}, Norwich",
            "home_postcode": f"NR{1 + rng.randrange(30)} {rng.randrange(10)}AB",
            "phone": f"07700 9{rng.randrange(10**5):05d}",
        }
        suspect: dict[str, str] = {
            "party_role": "suspect",
            "given_name": rng.choice(GIVEN),
            "surname": rng.choice(SURNAMES),
            "date_of_birth": dt.date(
                1955 + rng.randrange(50), 1 + rng.randrange(12), 1 + rng.randrange(28)
            ).isoformat(),
            "sex": rng.choice("MMMF"),
            "relationship_to_victim": rng.choice(RELATIONSHIPS),
            "pnc_id": f"{2000 + rng.randrange(25)}/{rng.randrange(10**7):07d}{rng.choice('ABCDEFGHJ')}",
        }
        yield {**report, **victim}
        yield {"reference": report["reference"], **suspect}
        if rng.random() < 0.2:
            yield {
                "reference": report["reference"],
                "party_role": "witness",
                "given_name": rng.choice(GIVEN),
                "surname": rng.choice(SURNAMES),
            }


def write_csv(path: Path, count: int, *, seed: int = 1) -> int:
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS)
        writer.writeheader()
        for row in sample_rows(count, seed=seed):
            writer.writerow(row)
            rows += 1
    return rows


def write_xlsx(path: Path, count: int, *, seed: int = 1) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("reports")
    sheet.append(list(COLUMNS))
    rows = 0
    for row in sample_rows(count, seed=seed):
        sheet.append([row.get(c, "") for c in COLUMNS])
        rows += 1
    workbook.save(path)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("reports", type=int)
    parser.add_argument("--xlsx", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = (write_xlsx if args.xlsx else write_csv)(args.path, args.reports, seed=args.seed)
    print(f"{args.path}: {args.reports:,} reports in {rows:,} rows")


if __name__ == "__main__":
    main()
