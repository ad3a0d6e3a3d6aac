"""The linkage model on small cases: the variations police records contain, the relatives it
must keep apart, and the clustering that respects people's decisions."""

from __future__ import annotations

import copy

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from safeguard.screening.linkage import pipeline, prepare
from safeguard.screening.linkage.cluster import cluster, identity_ids
from safeguard.screening.linkage.default_model import default_model


def link(records, **kw):
    con = duckdb.connect()
    prepare.load_records(con, records)
    prepare.prepare(con)
    result = pipeline.link_prepared(con, **kw)
    return dict(zip(result.record_ids, result.person_ids, strict=True)), result


def rec(rid, given, surname, dob="", postcode="", sex=""):
    return {"record_id": rid, "given_name": given, "surname": surname,
            "date_of_birth": dob, "postcode": postcode, "sex": sex}  # fmt: skip


SAME = {
    "nickname": (
        rec("", "William", "Turner", "1980-03-04", "NR1 1AA", "M"),
        rec("", "Bill", "TURNER", "1980-03-04", "", "M"),
    ),
    "swapped names": (
        rec("", "Sarah", "Okafor", "1991-07-02", "IP4 2WQ"),
        rec("", "Okafor", "Sarah", "1991-07-02", "ip42wq"),
    ),
    "day and month swapped": (
        rec("", "Gemma", "Holloway", "1985-11-03", "PE1 4AB"),
        rec("", "Gemma", "Holloway", "1985-03-11", "PE1 4AB"),
    ),
    "year off by one": (
        rec("", "Kieran", "Ashworth", "1979-05-20", "NR3 9RT"),
        rec("", "Kieran", "Ashworth", "1980-05-20", "NR3 9RT"),
    ),
    "double-barrelled": (
        rec("", "Joanne", "Smith-Fairley", "1970-01-15", "CB2 1TN"),
        rec("", "Joanne", "Fairley", "1970-01-15", ""),
    ),
    "initial": (
        rec("", "Marcus", "Pemberton", "1988-02-29", "NR2 3EF"),
        rec("", "M", "Pemberton", "1988-02-29", "NR2 3EF"),
    ),
    "typing error": (
        rec("", "Stephanie", "Whitworth", "1975-06-01", "IP2 8BB", "F"),
        rec("", "Stepahnie", "Whitwroth", "1975-06-01", "", "F"),
    ),
    "swapped names, date of birth only": (
        rec("", "George", "Blackcombe", "1964-09-19", "", "M"),
        rec("", "BLACKCOMBE", "GEORGE", "1964-09-19", "", "M"),
    ),
    "missing date of birth": (
        rec("", "Priya", "Ravensworth", "1993-12-24", "NR14 6PL", "F"),
        rec("", "PRIYA", "RAVENSWORTH", "", "NR14 6PL", "F"),
    ),
}
DIFFERENT = {
    "namesakes": (rec("", "John", "Smith", "1961-04-02", "NR5 8PD", "M"), rec("", "John", "Smith", "1990-10-12", "IP1 2XX", "M")),
    "father and son": (rec("", "Nicholas", "Wescroft", "1960-07-04", "CB28 8XL", "M"), rec("", "Nicholas", "Wescroft", "1987-02-05", "CB28 8XL", "M")),
    "twins": (rec("", "Claire", "Marmore", "1990-09-19", "CB7 2JD", "F"), rec("", "Sarah", "Marmore", "1990-09-19", "CB7 2JD", "F")),
    "brothers at one address": (rec("", "Piotr", "Winburyton", "1942-11-12", "CB34 6FZ", "M"), rec("", "David", "Winburyton", "", "CB34 6FZ", "M")),
    "sisters at one address": (rec("", "Charlotte", "Thornmorecombe", "1964-02-07", "CB10 0FP", "F"), rec("", "Amy", "Thornmorecombe", "1954-09-25", "CB10 0FP", "F")),
}  # fmt: skip


@pytest.fixture(scope="module")
def linked() -> dict[str, str]:
    records = []
    for case, (a, b) in {**SAME, **DIFFERENT}.items():
        records += [{**a, "record_id": f"{case}/a"}, {**b, "record_id": f"{case}/b"}]
    ids, _ = link(records)
    return ids


@pytest.mark.parametrize("case", SAME)
def test_variations_are_linked(linked, case):
    assert linked[f"{case}/a"] == linked[f"{case}/b"]


@pytest.mark.parametrize("case", DIFFERENT)
def test_different_people_are_kept_apart(linked, case):
    assert linked[f"{case}/a"] != linked[f"{case}/b"]


def test_explanations_name_each_comparison():
    _ids, result = link(
        [
            rec("1", "William", "Turner", "1980-03-04", "NR1 1AA", "M"),
            rec("2", "Bill", "Turner", "1980-03-04", "NR1 1AA", "M"),
        ],
        explain=True,
        review_threshold=0.01,
    )
    row = result.pairs.to_pylist()[0]
    parts = pipeline.explain_pair(row, result.model)
    assert [p["comparison"] for p in parts] == [
        "Given name and surname",
        "Date of birth",
        "Postcode",
        "Sex",
    ]
    assert parts[0]["level"] == "Same surname, nickname of the same given name"
    assert parts[1]["level"] == "Same date of birth"
    assert parts[1]["weight"] > 5
    total = pipeline.prior_weight(result.model) + sum(p["weight"] for p in parts)
    assert total == pytest.approx(row["match_weight"], abs=0.05)


def test_decisions_are_respected():
    a = rec("1", "John", "Smith", "1961-04-02", "NR5 8PD", "M")
    b = rec("2", "John", "Smith", "1961-04-02", "NR5 8PD", "M")
    c = rec("3", "Jane", "Doe", "1970-01-01", "IP1 1AA", "F")
    ids, _ = link([a, b, c], cannot_link=[("1", "2")], must_link=[("1", "3")])
    assert ids["1"] != ids["2"]
    assert ids["1"] == ids["3"]


def test_cluster_split_rebuilds_from_the_strongest_links():
    # 0-1 strong, 1-2 strong, 2-3 weak; 0 and 3 split: 3 must leave, the rest stays together.
    left, right = np.array([0, 1, 2]), np.array([1, 2, 3])
    prob = np.array([0.99, 0.98, 0.91])
    labels = cluster(4, left, right, prob, cannot_link=[(0, 3)])
    assert labels[0] == labels[1] == labels[2] != labels[3]
    assert identity_ids(["a", "b", "c", "d"], labels) == ["a", "a", "a", "d"]


def test_a_recurring_misspelling_is_not_taken_for_a_twin():
    # In a large force a misspelling of a common name recurs ("Dna" for Dan): it is no real name,
    # so a Dna and a Daniel born the same day at one address are not kept apart as twins, while
    # a Claire and a Sarah are.
    records = [rec(f"dan{i}", "Dan", f"Surname{i}") for i in range(80)]
    records += [rec(f"dna{i}", "Dna", f"Other{i}") for i in range(6)]
    records += [
        rec("daniel", "Daniel", "Fairton", "1974-08-23", "PE1 1AA", "M"),
        rec("dna", "Dna", "Fairton", "1974-08-23", "PE1 1AA", "M"),
        rec("claire", "Claire", "Marmore", "1990-09-19", "CB7 2JD", "F"),
        rec("sarah", "Sarah", "Marmore", "1990-09-19", "CB7 2JD", "F"),
    ]
    con = duckdb.connect()
    prepare.load_records(con, records)
    prepare.prepare(con)
    scored = pa.table(
        {
            "unique_id_l": ["daniel", "claire"],
            "unique_id_r": ["dna", "sarah"],
            "match_probability": [0.99, 0.99],
        }
    )
    assert pipeline.relatives(con, "prepared", scored, 0.9) == [("claire", "sarah")]


def test_swapped_names_weigh_as_much_as_a_name():
    # Random pairs of different people almost never have swapped names, so training on a large
    # force leaves that level's u unobserved (as in this model); a swap must still weigh like an
    # agreeing name, not like a shared surname.
    model = copy.deepcopy(default_model())
    for level in model["comparisons"][0]["comparison_levels"]:
        if level.get("label_for_charts") == "Given name and surname swapped":
            del level["u_probability"]
    ids, result = link(
        [
            rec("a", "George", "Blackcombe", "1964-09-19", "", "M"),
            rec("b", "Blackcombe", "George", "1964-09-19", "", "M"),
        ],
        model=model,
        train_model=False,
        explain=True,
        review_threshold=0.01,
    )
    assert ids["a"] == ids["b"]
    row = result.pairs.to_pylist()[0]
    parts = pipeline.explain_pair(row, result.model)
    assert parts[0]["level"] == "Given name and surname swapped"
    assert parts[0]["weight"] > 8  # a shared surname alone weighs about 5 bits
    total = pipeline.prior_weight(result.model) + sum(p["weight"] for p in parts)
    assert total == pytest.approx(row["match_weight"], abs=0.05)
