"""The identity linkage model: Splink (Fellegi-Sunter, trained by EM without labels).

Four comparisons, each with levels from strongest agreement to disagreement; Splink learns how
much each level says (its m and u probabilities, hence a match weight in bits) from the data:

- name: given name and surname together, so that swapped names, nicknames, initials, typing
  errors, double-barrelled and changed surnames each have their own level, with term-frequency
  adjustment (two records of "John Smith" agree less tellingly than two of "Ezekiel Thorncroft");
- date of birth: exact, day and month swapped, one character different (a typing error or a
  birth year off by one in its last digit), year off by one, same year where one date is
  1 January (the usual placeholder when only the year is known), different;
- postcode: exact (term-frequency adjusted), one character different, same sector, same
  district, different;
- sex: same or different (missing on either side says nothing).

A missing value on either side is a null level with weight 0: it neither links nor separates.
The same settings are built for DuckDB and for Spark (`settings_for(dialect)`); a trained model
is moved between them by its parameters (`with_parameters`), not its SQL.
"""

from __future__ import annotations

import copy
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

MODEL_VERSION = 1
EXACT_NAME_LABEL = "Exact full name"
SWAPPED_LABEL = "Given name and surname swapped"


def _sql(condition: str, label: str) -> cll.CustomLevel:
    return cll.CustomLevel(condition, label_for_charts=label, base_dialect_str="duckdb")


def _given_same() -> Any:
    """The given names agree, or one is a nickname of the other (Bill, William)."""
    # A scalar comparison of the first formal name (not an array intersection): cheap enough to
    # evaluate on every pair of a million records.
    return cll.Or(cll.ExactMatchLevel("given"), cll.ExactMatchLevel("given_canon"))


def _jw(col: str, threshold: float) -> Any:
    return cll.JaroWinklerLevel(col, threshold)


def _eq(left: str, right: str) -> Any:
    return _sql(f"{left}_l = {right}_r", f"{left} = {right}")


def name_comparison() -> cl.CustomComparison:
    surname = cll.ExactMatchLevel("surname")
    initial = _sql(
        "given_initial_l = given_initial_r AND (length(given_l) = 1 OR length(given_r) = 1)",
        "initial agrees",
    )
    surname_part = cll.Or(
        _eq("surname_first", "surname_first"),
        _eq("surname_first", "surname_last"),
        _eq("surname_last", "surname_first"),
        _eq("surname_last", "surname_last"),
    )
    swapped = cll.Or(
        cll.And(_eq("given", "surname"), _eq("surname", "given")),
        cll.And(_eq("given_full", "surname"), _eq("surname", "given_full")),
        cll.And(_eq("given", "surname_first"), _eq("surname_first", "given")),
    )
    levels: list[Any] = [
        cll.And(cll.NullLevel("given"), cll.NullLevel("surname")).configure(
            is_null_level=True, label_for_charts="Name missing"
        ),
        cll.ExactMatchLevel("full_name").configure(
            label_for_charts=EXACT_NAME_LABEL, tf_adjustment_column="full_name"
        ),
        cll.And(surname, _given_same()).configure(
            label_for_charts="Same surname, nickname of the same given name",
            tf_adjustment_column="surname",
        ),
        swapped.configure(label_for_charts=SWAPPED_LABEL),
        cll.And(surname, _jw("given", 0.88)).configure(
            label_for_charts="Same surname, given name misspelt", tf_adjustment_column="surname"
        ),
        cll.And(
            _given_same(), cll.Or(_jw("surname", 0.9), cll.DamerauLevenshteinLevel("surname", 1))
        ).configure(label_for_charts="Same given name, surname misspelt"),
        cll.And(
            surname, _sql("given_l IS NULL OR given_r IS NULL", "given name missing")
        ).configure(
            label_for_charts="Same surname, given name missing", tf_adjustment_column="surname"
        ),
        cll.And(surname, initial).configure(
            label_for_charts="Same surname, initial agrees", tf_adjustment_column="surname"
        ),
        cll.And(_given_same(), surname_part).configure(
            label_for_charts="Same given name, one part of a double-barrelled surname"
        ),
        cll.And(_jw("given", 0.88), _jw("surname", 0.88)).configure(
            label_for_charts="Both names similar"
        ),
        _given_same().configure(label_for_charts="Same given name, different surname"),
        cll.ExactMatchLevel("surname").configure(
            label_for_charts="Same surname, different given name",
            tf_adjustment_column="surname",
        ),
        cll.ElseLevel().configure(label_for_charts="Different names"),
    ]
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="Given name and surname",
        comparison_levels=levels,
    )


def dob_comparison() -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel("dob"),
        cll.ExactMatchLevel("dob").configure(label_for_charts="Same date of birth"),
        _sql("dob_swapped_l = dob_r", "Day and month swapped"),
        cll.DamerauLevenshteinLevel("dob", 1).configure(label_for_charts="One digit different"),
        _sql(
            "dob_month_day_l = dob_month_day_r AND "
            "abs(CAST(dob_year_l AS INTEGER) - CAST(dob_year_r AS INTEGER)) = 1",
            "Year off by one",
        ),
        _sql(
            "dob_year_l = dob_year_r AND (dob_month_day_l = '01-01' OR dob_month_day_r = '01-01')",
            "Same year; one date is 1 January (often written when only the year is known)",
        ),
        cll.ElseLevel().configure(label_for_charts="Different date of birth"),
    ]
    return cl.CustomComparison(
        output_column_name="dob", comparison_description="Date of birth", comparison_levels=levels
    )


def postcode_comparison() -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel("postcode"),
        cll.ExactMatchLevel("postcode", term_frequency_adjustments=True).configure(
            label_for_charts="Same postcode"
        ),
        cll.DamerauLevenshteinLevel("postcode", 1).configure(
            label_for_charts="Postcode one character different"
        ),
        cll.ExactMatchLevel("postcode_sector").configure(label_for_charts="Same sector"),
        cll.ExactMatchLevel("postcode_district").configure(label_for_charts="Same district"),
        cll.ElseLevel().configure(label_for_charts="Different postcode"),
    ]
    return cl.CustomComparison(
        output_column_name="postcode", comparison_description="Postcode", comparison_levels=levels
    )


def sex_comparison() -> cl.CustomComparison:
    levels: list[Any] = [
        cll.NullLevel("sex"),
        cll.ExactMatchLevel("sex").configure(label_for_charts="Same sex"),
        cll.ElseLevel().configure(label_for_charts="Different sex"),
    ]
    return cl.CustomComparison(
        output_column_name="sex", comparison_description="Sex", comparison_levels=levels
    )


def blocking_rules() -> list[Any]:
    """Which pairs are compared at all. Each rule is an equality on cheap keys, so it runs as a
    hash join; together they catch every kind of variation the model scores."""
    return [
        block_on("dob", "given_initial"),
        block_on("dob", "surname_first"),
        block_on("dob", "postcode"),
        block_on("surname", "postcode"),
        block_on("surname", "given_canon"),
        block_on("surname", "dob_year"),
        block_on("surname_first", "postcode"),
        block_on("given_canon", "postcode"),
        "l.given_full = r.surname AND l.surname = r.given_full",
        "l.given = r.surname AND l.surname = r.given",
        "l.given = r.surname AND l.dob = r.dob",
        "l.dob_swapped = r.dob AND l.given_initial = r.given_initial",
        "l.surname_first = r.surname_last AND l.given_canon = r.given_canon",
        "l.surname_last = r.surname_first AND l.given_canon = r.given_canon",
    ]


def fill_unobserved_u(settings: dict[str, Any]) -> bool:
    """Give the swapped-names level a u probability where training left it unobserved.

    Two different people's records almost never have each other's given name and surname
    swapped, so random sampling seldom meets such a pair and leaves the level's u unknown; Splink
    would then weigh it by a default that makes a swap count for barely more than a shared
    surname. The u of an exact full name is taken instead: a swap is no likelier than an exact
    agreement between different people. Returns whether anything changed."""
    changed = False
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        exact = next((lv for lv in levels if lv.get("label_for_charts") == EXACT_NAME_LABEL), None)
        exact_u = exact.get("u_probability") if exact else None
        if not isinstance(exact_u, float | int) or exact_u <= 0:
            continue
        for level in levels:
            u = level.get("u_probability")
            if level.get("label_for_charts") == SWAPPED_LABEL and (
                not isinstance(u, float | int) or u <= 0
            ):
                level["u_probability"] = float(exact_u)
                changed = True
    return changed


def settings_for(
    dialect: str, *, retain_columns: bool = False, rules: list[Any] | None = None
) -> dict[str, Any]:
    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[name_comparison(), dob_comparison(), postcode_comparison(), sex_comparison()],
        blocking_rules_to_generate_predictions=rules if rules is not None else blocking_rules(),
        retain_matching_columns=retain_columns,
        retain_intermediate_calculation_columns=retain_columns,
        additional_columns_to_retain=[],
        probability_two_random_records_match=1e-5,
        em_convergence=0.001,
        max_iterations=25,
    )
    return creator.get_settings(dialect).as_dict()


def with_parameters(settings: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """`settings` (for any dialect) carrying the trained parameters of `trained`: the prior and
    each level's m and u probabilities, matched by comparison and level position."""
    out = copy.deepcopy(settings)
    out["probability_two_random_records_match"] = trained["probability_two_random_records_match"]
    by_name = {c["output_column_name"]: c for c in trained["comparisons"]}
    for comparison in out["comparisons"]:
        source = by_name.get(comparison["output_column_name"])
        if source is None or len(source["comparison_levels"]) != len(
            comparison["comparison_levels"]
        ):
            raise ValueError(
                f"The saved model does not fit this version's {comparison['output_column_name']} "
                "comparison: train it again (safeguard screen --retrain)"
            )
        for level, src in zip(
            comparison["comparison_levels"], source["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability"):
                if key in src:
                    level[key] = src[key]
    return out


def level_labels(settings: dict[str, Any]) -> dict[str, dict[int, str]]:
    """comparison name -> comparison vector value -> the level's label, for explanations."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in settings["comparisons"]:
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        mapping = {-1: "Missing on one side"}
        for i, level in enumerate(non_null):
            mapping[len(non_null) - 1 - i] = level.get("label_for_charts") or level["sql_condition"]
        labels[comparison["output_column_name"]] = mapping
    return labels
