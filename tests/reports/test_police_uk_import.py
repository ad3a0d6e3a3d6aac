"""The data.police.uk street-level crime importer, on real files (tests/reports/data/SOURCE.md)
and on broken copies of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguard.reports.importers import ImportFailed, runner
from safeguard.reports.models import ImportStatus, StreetCrime

DATA = Path(__file__).parent / "data"
JUNE = DATA / "2023-06-city-of-london-street.csv"
JULY = DATA / "2023-07-city-of-london-street.csv"


def import_file(path: Path, kind: str = "police-uk-street") -> object:
    preview = runner.check(kind, path, force=None, user=None)
    started = runner.start(
        kind,
        path,
        file_name=path.name,
        force=None,
        user=None,
        preview=preview,
        stored_path=str(path),
    )
    if started.already_done:
        return started.run
    return runner.execute(started.run.pk, path=path)


def test_a_real_file_imports_every_row(db):
    preview = runner.check("police-uk-street", JUNE, force=None, user=None)
    assert preview["rows"] == 759
    assert preview["new"] == 759
    assert preview["months"] == ["2023-06"]
    assert preview["forces"] == {"City of London Police": 759}
    run = import_file(JUNE)
    assert run.status == ImportStatus.DONE
    assert StreetCrime.objects.count() == 759
    # Rows sharing a Crime ID, and rows identical in every column, are all kept.
    with_id = StreetCrime.objects.exclude(crime_id="")
    assert with_id.values("crime_id").distinct().count() < with_id.count()
    no_location = StreetCrime.objects.filter(longitude__isnull=True)
    assert no_location.exists()
    assert all(c.location == "No Location" for c in no_location)


def test_importing_again_or_overlapping_changes_nothing(db, tmp_path):
    import_file(JUNE)
    import_file(JULY)
    total = StreetCrime.objects.count()
    assert total == 759 + 726
    import_file(JUNE)
    # The same rows in another file (June and July concatenated, re-saved with CRLF endings).
    both = tmp_path / "both.csv"
    june, july = JUNE.read_text().splitlines(), JULY.read_text().splitlines()
    both.write_text("\r\n".join([*june, *july[1:]]) + "\r\n")
    preview = runner.check("police-uk-street", both, force=None, user=None)
    assert preview["new"] == 0
    assert preview["existing"] == total
    import_file(both)
    assert StreetCrime.objects.count() == total


@pytest.mark.parametrize(
    ("change", "row", "column"),
    [
        (lambda cells: cells.__setitem__(1, "2023/06"), 5, "Month"),
        (lambda cells: cells.__setitem__(4, "51.5"), 6, "Longitude"),  # swapped coordinates
        (lambda cells: cells.__setitem__(9, "Stalking"), 7, "Crime type"),
        (lambda cells: cells.__setitem__(0, "not-an-id"), 8, "Crime ID"),
        (lambda cells: cells.__setitem__(7, "X01000001"), 9, "LSOA code"),
    ],
)
def test_a_broken_row_is_named_and_nothing_is_written(db, tmp_path, change, row, column):
    import csv

    rows = list(csv.reader(JUNE.open(encoding="utf-8")))
    change(rows[row - 1])
    path = tmp_path / "broken.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    with pytest.raises(ImportFailed) as failed:
        runner.check("police-uk-street", path, force=None, user=None)
    [problem] = failed.value.problems
    assert (problem.file, problem.row, problem.column) == ("broken.csv", row, column)
    assert problem.fix
    assert StreetCrime.objects.count() == 0


def test_a_file_in_another_layout_is_refused_with_the_expected_columns(db, tmp_path):
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Outcome type\n"
    )
    with pytest.raises(ImportFailed) as failed:
        runner.check("police-uk-street", path, force=None, user=None)
    assert any("Crime type" in (p.column or "") for p in failed.value.problems)
    assert any("data.police.uk" in p.fix for p in failed.value.problems)


def test_the_open_data_kind_hands_the_file_to_oversight(db):
    from safeguard.oversight.models import OpenDataFile
    from safeguard.oversight.opendata import SHIPPED_DIR

    path = SHIPPED_DIR / "spo-bbc-sdu-2021" / "spo_foi_by_force_2020-2021.csv"
    preview = runner.check("open-data", path, force=None, user=None)
    assert preview["format"] == "bbc-spo-foi"
    run = import_file(path, "open-data")
    assert run.status == ImportStatus.DONE
    assert OpenDataFile.objects.filter(name=path.name).count() == 1
    assert runner.check("open-data", path, force=None, user=None)["existing"] == preview["rows"]
