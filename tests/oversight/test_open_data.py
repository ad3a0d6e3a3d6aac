"""Loading the public national data shipped in the project: every shipped file loads, loading
is idempotent, a changed file replaces its own figures, and files in an unknown format, or that
fail a check, are refused with the file, row and column named."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safeguard.oversight import opendata
from safeguard.oversight.models import OffenceCount, OpenDataFile, Population, SpoFoiReturn
from safeguard.oversight.opendata import SHIPPED_DIR, SHIPPED_FILES, OpenDataError
from safeguard.oversight.services import load_file, load_open_data

pytestmark = pytest.mark.django_db
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"


def counts() -> tuple[int, int, int, int]:
    return (
        OpenDataFile.objects.count(),
        OffenceCount.objects.count(),
        Population.objects.count(),
        SpoFoiReturn.objects.count(),
    )


def test_every_shipped_file_has_its_source_note():
    for name in SHIPPED_FILES:
        path = SHIPPED_DIR / name
        assert path.is_file(), f"{name} is not shipped"
        assert (path.parent / "SOURCE.md").is_file(), f"{path.parent.name} has no SOURCE.md"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/data is not beside the checkout")
def test_shipped_files_are_unchanged_copies_of_the_originals():
    for name in SHIPPED_FILES:
        original = SHARED / name
        if original.is_file():
            assert (SHIPPED_DIR / name).read_bytes() == original.read_bytes(), name


def test_load_everything_shipped_then_again_changes_nothing():
    out = StringIO()
    call_command("oversight", "load-open-data", stdout=out)
    first = counts()
    assert first == (12, 2871, 342, 42)  # 2,236 + 8 tables x 43 (42 twice) + 43 + 250
    assert "12 files checked" in out.getvalue()
    ids = set(OffenceCount.objects.values_list("pk", flat=True))

    again = StringIO()
    call_command("oversight", "load-open-data", stdout=again)
    assert counts() == first
    assert set(OffenceCount.objects.values_list("pk", flat=True)) == ids
    assert again.getvalue().count("unchanged") == 12


def test_checks_against_published_figures():
    load_open_data()

    # SOURCE.md checks: Norfolk (E23000024) stalking and harassment, YE Dec 2019 = 5,358 and
    # YE Jun 2025 = 5,530; population mid-2018 = 903,700; rec-crime-pfa YE Dec 2018 = 4,120.
    def sh(year: int, month: int, kind: str) -> int:
        return OffenceCount.objects.get(
            area__ons_code="E23000024",
            offence_group="stalking_and_harassment",
            period_end__year=year,
            period_end__month=month,
            source__kind=kind,
        ).count

    assert sh(2019, 12, "ons-pfa-tables") == 5358
    assert sh(2025, 6, "ons-pfa-table-p1-csv") == 5530
    assert sh(2018, 12, "ons-rec-crime-pfa") == 4120
    assert sh(2018, 9, "ons-pfa-tables") == 3717  # the corrected table
    assert sh(2018, 9, "ons-rec-crime-pfa") == 3749  # the older vintage
    assert (
        Population.objects.get(
            area__ons_code="E23000024", mid_year=2018, source__name="pfatablesdec19.xlsx"
        ).count
        == 903700
    )
    # The one row dated 30-12-2017 is read as the year ending 31 December 2017.
    assert (
        OffenceCount.objects.filter(
            source__kind="ons-rec-crime-pfa", period_end="2017-12-31"
        ).count()
        == 43
    )
    assert not OffenceCount.objects.filter(period_end="2017-12-30").exists()
    # Greater Manchester: no figure where the source has none (".." and the BBC's 0).
    gmp = OffenceCount.objects.filter(area__ons_code="E23000005")
    assert not gmp.filter(period_end="2019-12-31").exists()
    assert not gmp.filter(offence_group="stalking", period_start="2020-04-01").exists()
    assert gmp.filter(offence_group="stalking", period_start="2018-04-01").get().count == 342


def test_a_changed_file_replaces_only_its_own_figures(tmp_path):
    original = SHIPPED_DIR / "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv"
    copy = tmp_path / original.name
    shutil.copy(original, copy)
    load_file(copy)
    assert load_file(copy).status == "unchanged"
    copy.write_text(original.read_text().replace("Norfolk ,yes,2,1,1,4", "Norfolk ,yes,3,1,0,4"))
    result = load_file(copy)
    assert result.status == "replaced"
    assert SpoFoiReturn.objects.count() == 42
    assert SpoFoiReturn.objects.get(area__name="Norfolk").granted == 3


def test_unrecognised_formats_are_refused_clearly(tmp_path):
    charges = SHIPPED_DIR / "spo-bbc-sdu-2021/stalking_charges_by_force_2015-2021.csv"
    with pytest.raises(CommandError, match=r"not a format Safeguard recognises\. Recognised: ONS"):
        call_command("oversight", "load-open-data", str(charges))
    binary = tmp_path / "table.xlsx"
    binary.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(OpenDataError, match=r"table\.xlsx: not a format Safeguard recognises"):
        opendata.read(binary)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Police force,\xe9\n".encode("latin-1"))
    with pytest.raises(OpenDataError, match="not UTF-8"):
        opendata.read(latin)
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("Norfolk ,yes,2,1,1,4", "Norfolk ,yes,2,1,1,x"),
            r"row 26, column 'Total SPOs applied for': expected a whole number",
        ),
        (
            ("Norfolk ,yes,2,1,1,4", "Norfolk ,yes,2,1,1,3"),
            r"row 26: Norfolk's granted, rejected and not heard \(4\) do not add up to the 3",
        ),
        (("Norfolk ,yes", "Norfolk ,maybe"), r"row 26, column 'foi_response': expected yes or no"),
        (
            ("Norfolk ,yes,2,1,1,4,29/04/21,E23000024", "Narnia ,yes,2,1,1,4,29/04/21,E23000099"),
            r"row 26, column 'code': unknown police force 'Narnia'",
        ),
        (
            ("29/04/21,E23000024", "2021-04-29,E23000024"),
            r"column 'date_correct': expected a date as DD/MM/YY",
        ),
    ],
)
def test_bad_foi_rows_name_the_row_and_column(tmp_path, change, message):
    original = SHIPPED_DIR / "spo-bbc-sdu-2021/spo_foi_by_force_2020-2021.csv"
    bad = tmp_path / original.name
    bad.write_text(original.read_text().replace(*change))
    with pytest.raises(OpenDataError, match=message):
        load_file(bad)
    assert counts() == (0, 0, 0, 0)  # nothing half-loaded


def test_totals_that_do_not_add_up_are_refused(tmp_path):
    original = SHIPPED_DIR / "ons-pfa-tables/ons-pfa-table-P1-ye-june2025.csv"
    text = original.read_text(encoding="utf-8-sig")
    bad = tmp_path / original.name
    # Norfolk's stalking and harassment figure, changed by one.
    line = next(row for row in text.splitlines() if row.startswith("E23000024"))
    assert '"5,530"' in line
    bad.write_text(text.replace(line, line.replace('"5,530"', '"5,531"')))
    with pytest.raises(
        OpenDataError, match="add up to 605,729, but the England and Wales row says 605,728"
    ):
        load_file(bad)
    offences = SHIPPED_DIR / "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv"
    bad = tmp_path / offences.name
    bad.write_text(offences.read_text().replace("Norfolk,47,", "Norfolk,48,"))
    with pytest.raises(OpenDataError, match="the forces add up to"):
        load_file(bad)


def test_an_unknown_area_name_is_an_error_not_a_silent_skip(tmp_path):
    original = SHIPPED_DIR / "spo-bbc-sdu-2021/stalking_offences_by_force_2015-2021.csv"
    bad = tmp_path / original.name
    bad.write_text(original.read_text().replace("Norfolk,", "Norfolkshire,"))
    with pytest.raises(
        OpenDataError, match=r"row 26, column 'force': unknown police force 'Norfolkshire'"
    ):
        load_file(bad)
