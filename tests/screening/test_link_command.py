"""The `safeguard link` contract: input checks, output shape, exit codes (no database)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from safeguard.screening.linkage.cli import EXIT_BAD_INPUT, main
from safeguard.screening.linkage.synthetic import PoliceLikeGenerator, write_csv

HEADER = "record_id,given_name,surname,date_of_birth,postcode,sex\n"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, list[dict[str, str]]]:
    records = PoliceLikeGenerator(seed=3).generate(1200)
    path = tmp_path_factory.mktemp("link") / "people.csv"
    write_csv(records, path)
    return path, records


def test_links_every_record_exactly_once(generated, tmp_path):
    src, records = generated
    out = tmp_path / "out.csv"
    code, stdout, stderr = run(str(src), "--out", str(out), "--threshold", "0.9")
    assert code == 0, stderr
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["record_id", "person_id"]
    assert sorted(r["record_id"] for r in rows) == sorted(r["record_id"] for r in records)
    assert "Linked 1,200 records into" in stdout
    assert "identities in" in stdout
    # The identities are mostly right (the benchmark measures this properly).
    truth = {r["record_id"]: r["true_id"] for r in records}
    by_person: dict[str, set[str]] = {}
    for r in rows:
        by_person.setdefault(r["person_id"], set()).add(truth[r["record_id"]])
    pure = sum(1 for ids in by_person.values() if len(ids) == 1)
    assert pure / len(by_person) > 0.97


def test_saved_model_is_reused(generated, tmp_path):
    src, _ = generated
    model = tmp_path / "model.json"
    code, _, err = run(
        str(src), "--out", str(tmp_path / "a.csv"), "--save-model", str(model), "--quiet"
    )
    assert code == 0, err
    code, _, err = run(str(src), "--out", str(tmp_path / "b.csv"), "--model", str(model), "--quiet")
    assert code == 0, err
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_blanks_allowed_except_record_id_and_sex_optional(tmp_path):
    src = write(
        tmp_path,
        "record_id,given_name,surname,date_of_birth,postcode\n"
        "1,William,Turner,1980-03-04,NR1 1AA\n2,Bill,TURNER,1980-03-04,\n3,,,,\n",
    )
    code, _, err = run(str(src), "--out", str(tmp_path / "o.csv"), "--quiet")
    assert code == 0, err
    rows = list(csv.DictReader((tmp_path / "o.csv").open()))
    assert [r["record_id"] for r in rows] == ["1", "2", "3"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("record_id,given_name,surname,postcode\n1,a,b,c\n", "missing column date_of_birth"),
        ("record_id,given_name,surname,date_of_birth,postcode\n", None),
        (HEADER + "1,A,B,,,\n1,C,D,,,\n", "duplicate record_id: '1' on rows 2, 3"),
        (HEADER + "1,A,B,,,\n,C,D,,,\n", "row 3: record_id is blank"),
        (HEADER + "1,A,B,04/03/1980,,\n", "row 2, column date_of_birth: '04/03/1980'"),
        (HEADER + "1,A,B,1980-02-30,,\n", "is not a date in ISO 8601 form"),
        ("", "is empty"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_problem(tmp_path, text, message):
    src = write(tmp_path, text)
    code, _, err = run(str(src), "--out", str(tmp_path / "o.csv"))
    if message is None:  # a header and no records is valid: an empty output
        assert code == 0
        assert (tmp_path / "o.csv").read_text().strip() == "record_id,person_id"
        return
    assert code == EXIT_BAD_INPUT
    assert message in err
    assert not (tmp_path / "o.csv").exists()


def test_unreadable_files(tmp_path):
    code, _, err = run(str(tmp_path / "nope.csv"), "--out", str(tmp_path / "o.csv"))
    assert code == EXIT_BAD_INPUT
    assert "no such file" in err
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01record_id")
    code, _, err = run(str(binary), "--out", str(tmp_path / "o.csv"))
    assert code == EXIT_BAD_INPUT
    assert "not UTF-8" in err
    code, _, err = run(str(tmp_path), "--out", str(tmp_path / "o.csv"))
    assert code == EXIT_BAD_INPUT
    assert "folder" in err


def test_bad_arguments(tmp_path):
    src = write(tmp_path, HEADER + "1,A,B,,,\n")
    assert run(str(src))[0] == EXIT_BAD_INPUT  # no --out
    code, _, err = run(str(src), "--out", str(tmp_path / "o.csv"), "--threshold", "1.5")
    assert code == EXIT_BAD_INPUT
    assert "--threshold" in err
    code, _, err = run(str(src), "--out", str(tmp_path / "no" / "o.csv"))
    assert code == EXIT_BAD_INPUT
    assert "no such folder" in err
    assert run(str(src), "--out", "x.csv", "--engine", "oracle")[0] == EXIT_BAD_INPUT
