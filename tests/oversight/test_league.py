"""The national league table reproduces the published FOI figures exactly (BBC Shared Data
Unit, June 2021), shows forces that did not answer as such, and the CLI keeps its contract."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from safeguard.oversight.areas import BY_CODE
from safeguard.oversight.league import build_league, sort_rows
from safeguard.oversight.opendata import SHIPPED_DIR
from safeguard.oversight.services import load_file

pytestmark = pytest.mark.django_db

FOI = SHIPPED_DIR / "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv"
STALKING = SHIPPED_DIR / "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv"
SH_2019 = SHIPPED_DIR / "ons-pfa-tables/pfatablesdec19.xlsx"


@pytest.fixture
def loaded():
    for path in (FOI, STALKING, SH_2019):
        load_file(path)


def league_json() -> list[dict]:
    out = StringIO()
    call_command("oversight", "league", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_every_force_in_england_and_wales_once(loaded):
    league = build_league()
    assert len(league.rows) == 43
    assert {r.ons_code for r in league.rows} == set(BY_CODE)


def test_norfolk_as_published(loaded):
    norfolk = next(r for r in build_league().rows if r.force == "Norfolk")
    assert (
        norfolk.spo_applied,
        norfolk.spo_granted,
        norfolk.spo_rejected,
        norfolk.spo_not_heard,
    ) == (4, 2, 1, 1)
    assert norfolk.answered_on.isoformat() == "2021-04-29"
    assert norfolk.stalking_offences == 1166  # April to December 2020
    assert norfolk.granted_per_1000_stalking == pytest.approx(2 / 1166 * 1000)
    assert norfolk.grant_rate_percent == 50.0
    assert norfolk.stalking_and_harassment_offences == 5358  # ONS, YE Dec 2019
    assert norfolk.population == 903700
    assert norfolk.rank == 23


def test_other_published_figures(loaded):
    rows = {r.force: r for r in build_league().rows}
    met = rows["Metropolitan Police"]
    assert (met.spo_applied, met.spo_granted, met.spo_rejected, met.spo_not_heard) == (
        123,
        59,
        3,
        61,
    )
    for force in ("Dorset", "Humberside", "Suffolk", "Thames Valley"):
        assert rows[force].answered
        assert rows[force].spo_applied == 0
        assert rows[force].granted_per_1000_stalking == 0.0  # answered: a real zero
    notts = rows["Nottinghamshire"]
    assert (notts.spo_applied, notts.spo_granted, notts.spo_rejected, notts.spo_not_heard) == (
        13,
        13,
        None,
        None,
    )


def test_national_totals_over_the_forces_that_answered(loaded):
    totals = build_league().totals
    assert (totals.answered, totals.did_not_answer, totals.not_in_data) == (40, 2, 1)
    assert (totals.spo_applied, totals.spo_granted, totals.spo_rejected) == (427, 294, 22)
    assert totals.spo_not_heard == 111
    assert totals.rejected_forces == 39  # Nottinghamshire answered "n/a"
    # The rate: forces that answered and have a stalking count (not GMP): 294 - 13 granted over
    # 59,950 - 994 (Lincolnshire) - 554 (North Yorkshire) stalking offences.
    assert totals.rate_forces == 39
    assert (totals.rate_granted, totals.rate_stalking_offences) == (281, 58402)
    assert totals.granted_per_1000_stalking == pytest.approx(281 / 58402 * 1000)


def test_forces_that_did_not_answer_are_not_zero(loaded):
    rows = {r["force"]: r for r in league_json()}
    for force in ("Lincolnshire", "North Yorkshire"):
        row = rows[force]
        assert row["answered"] is False
        assert row["status"] == "Did not answer"
        assert row["spo_applied"] is None
        assert row["spo_granted"] is None
        assert row["granted_per_1000_stalking"] is None
        assert row["rank"] is None
        assert row["stalking_offences"] is not None  # their offences are still known
    city = rows["City of London"]
    assert city["answered"] is False
    assert city["in_foi_data"] is False
    assert city["status"] == "Not in the FOI data"
    gmp = rows["Greater Manchester"]
    assert gmp["answered"] is True
    assert (gmp["spo_applied"], gmp["spo_granted"]) == (15, 13)
    assert gmp["stalking_offences"] is None
    assert gmp["rank"] is None


def test_cli_league_json_contract(loaded):
    rows = league_json()
    assert len(rows) == 43
    for row in rows:
        for key in (
            "force",
            "stalking_offences",
            "spo_applied",
            "spo_granted",
            "granted_per_1000_stalking",
            "answered",
        ):
            assert key in row
        assert isinstance(row["answered"], bool)
    norfolk = next(r for r in rows if r["force"] == "Norfolk")
    assert (norfolk["spo_applied"], norfolk["spo_granted"], norfolk["stalking_offences"]) == (
        4,
        2,
        1166,
    )


def test_ranks_share_ties_and_skip(loaded):
    rows = [r for r in build_league().rows if r.rank is not None]
    assert len(rows) == 39
    zero = sorted(r.force for r in rows if r.granted_per_1000_stalking == 0)
    assert zero == ["Dorset", "Gwent", "Humberside", "South Wales", "Suffolk", "Thames Valley"]
    assert {r.rank for r in rows if r.force in zero} == {34}
    top = min(rows, key=lambda r: r.rank)
    assert (top.force, top.rank) == ("Surrey", 1)


def test_sorting_keeps_missing_figures_last(loaded):
    league = build_league()
    by_applied = sort_rows(league.rows, "-applied")
    assert by_applied[0].force == "Metropolitan Police"
    assert {r.force for r in by_applied[-3:]} == {
        "City of London",
        "Lincolnshire",
        "North Yorkshire",
    }
    by_name = sort_rows(league.rows, "force")
    assert by_name[0].force == "Avon and Somerset"


def test_without_data_the_league_says_so():
    league = build_league()
    assert not league.loaded
    assert all(not r.in_foi_data for r in league.rows)
