"""Link prepared person records into identities, on DuckDB (embedded) or Spark.

    records (prepared table) -> train (unsupervised) or load a model -> score pairs -> cluster

Training, all without labels (Splink's standard recipe):
1. the prior (how likely two records picked at random are the same person), from a few strict
   rules whose recall is assumed;
2. u probabilities (how often each level occurs among different people), from random pairs;
3. m probabilities (how often among the same person), by expectation maximisation in two
   sessions: pairs with the same date of birth (trains name, postcode, sex) and pairs with the
   same surname and given name (trains date of birth, postcode, sex);
4. where random pairs never met swapped names, that level's u from the exact full name's
   (`model.fill_unobserved_u`).

The trained model is a JSON document (Splink's format plus our version); `train=False` with a
model scores with it as it is, which is how incremental runs stay fast and comparable.
"""

from __future__ import annotations

import copy
import logging
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on

from safeguard.screening.linkage import model as model_mod
from safeguard.screening.linkage.cluster import cluster, identity_ids
from safeguard.screening.linkage.default_model import MIN_TRAINING_RECORDS, default_model

DEFAULT_THRESHOLD = 0.9  # match probability at which two records are taken to be one person
ENGINES = ("duckdb", "spark")

Progress = Callable[[str], None]


@dataclass
class LinkResult:
    record_ids: list[str]
    person_ids: list[str]
    pairs: pa.Table  # scored pairs at or above the review threshold
    model: dict[str, Any]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def identities(self) -> int:
        return len(set(self.person_ids))


def _no_progress(_: str) -> None:
    return None


def _linker_for(
    con: duckdb.DuckDBPyConnection,
    table: str,
    engine: str,
    settings: dict[str, Any],
    spark: Any = None,
) -> Linker:
    db_api: Any
    if engine == "duckdb":
        db_api = DuckDBAPI(connection=con)
        sdf = db_api.register(table)
    elif engine == "spark":
        from splink import SparkAPI

        if spark is None:
            spark = local_spark()
        db_api = SparkAPI(
            spark_session=spark,
            break_lineage_method="persist",
            num_partitions_on_repartition=int(spark.conf.get("spark.sql.shuffle.partitions")),
        )
        arrow = con.table(table).arrow()
        if hasattr(arrow, "read_all"):
            arrow = arrow.read_all()
        sdf = db_api.register(spark.createDataFrame(arrow.to_pandas()))
    else:
        raise ValueError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    return Linker(sdf, settings, log_level=None)


def local_spark(cores: int = 2, memory: str = "4g") -> Any:
    """A local-mode Spark session with Splink's similarity functions registered."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("safeguard-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores * 2))
        .config("spark.default.parallelism", str(cores * 2))
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="safeguard-spark-"))
    return session


def train(linker: Linker, n_records: int, *, seed: int = 1) -> None:
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("full_name", "dob"), block_on("surname", "dob", "postcode")], recall=0.7
    )
    training.estimate_u_using_random_sampling(
        max_pairs=float(min(2e6, max(1e5, n_records * 20))), seed=seed
    )
    em_pairs = float(max(2e5, min(1e6, n_records * 2)))
    training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), max_pairs=em_pairs, estimate_without_term_frequencies=True
    )
    training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "given_canon"),
        max_pairs=em_pairs,
        estimate_without_term_frequencies=True,
    )


def link_prepared(
    con: duckdb.DuckDBPyConnection,
    table: str = "prepared",
    *,
    engine: str = "duckdb",
    threshold: float = DEFAULT_THRESHOLD,
    model: dict[str, Any] | None = None,
    train_model: bool = True,
    explain: bool = False,
    review_threshold: float | None = None,
    must_link: Iterable[tuple[str, str]] = (),
    cannot_link: Iterable[tuple[str, str]] = (),
    spark: Any = None,
    progress: Progress = _no_progress,
    seed: int = 1,
    guard_relatives: bool = True,
) -> LinkResult:
    """Link the records of `table` (made by prepare.prepare) into identities."""
    if not 0 < threshold < 1:
        raise ValueError("The threshold is a match probability between 0 and 1 (exclusive)")
    started = time.perf_counter()
    timings: dict[str, float] = {}
    n = int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])  # noqa: S608 (table names are module constants)
    if model is None and n < MIN_TRAINING_RECORDS:
        # Too few records to learn from without labels: score with the shipped model.
        model, train_model = default_model(), False
    dialect = "duckdb" if engine == "duckdb" else "spark"
    settings = model_mod.settings_for(dialect, retain_columns=explain)
    if model is not None:
        settings = model_mod.with_parameters(settings, model)
        model_mod.fill_unobserved_u(settings)
    if n < MIN_TRAINING_RECORDS:
        settings = without_term_frequencies(settings)
    record_ids = [r[0] for r in con.execute(f"SELECT unique_id FROM {table}").fetchall()]  # noqa: S608 (table names are module constants)
    if n < 2:
        return LinkResult(record_ids, list(record_ids), pa.table({}), model or settings, 0.0)

    linker = _linker_for(con, table, engine, settings, spark)
    if model is None or train_model:
        progress("Training the model on the records (unsupervised)")
        t = time.perf_counter()
        train(linker, n, seed=seed)
        timings["train"] = time.perf_counter() - t
    trained = linker.misc.save_model_to_json()
    if model_mod.fill_unobserved_u(trained):
        linker = _linker_for(con, table, engine, trained, spark)
    trained["safeguard_model_version"] = model_mod.MODEL_VERSION

    progress("Scoring candidate pairs")
    t = time.perf_counter()
    floor = min(threshold, review_threshold if review_threshold is not None else threshold)
    predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    pairs = _fetch_pairs(predictions, explain)
    timings["predict"] = time.perf_counter() - t

    progress("Grouping records into identities")
    t = time.perf_counter()
    index = {rid: i for i, rid in enumerate(record_ids)}
    left = np.array([index[x] for x in pairs.column("unique_id_l").to_pylist()], dtype=np.int64)
    right = np.array([index[x] for x in pairs.column("unique_id_r").to_pylist()], dtype=np.int64)
    prob = np.asarray(pairs.column("match_probability").to_numpy(zero_copy_only=False))
    above = prob >= threshold
    guards = relatives(con, table, pairs, threshold) if guard_relatives else []
    cannot = [*cannot_link, *guards]
    labels = cluster(
        n,
        left[above],
        right[above],
        prob[above],
        must_link=[(index[a], index[b]) for a, b in must_link if a in index and b in index],
        cannot_link=[(index[a], index[b]) for a, b in cannot if a in index and b in index],
    )
    person_ids = identity_ids(record_ids, labels)
    timings["cluster"] = time.perf_counter() - t
    return LinkResult(
        record_ids, person_ids, pairs, trained, time.perf_counter() - started, timings
    )


# Pairs the model scores as one person but that look like two relatives. The model's comparisons
# are independent of each other, so agreement on surname, address and birthday can outweigh a
# different given name, and one name at one address can outweigh a generation between two dates
# of birth. Two guards keep such pairs apart (as a person's "split" would), unless a person has
# confirmed them:
# - a generation apart: both give the sex, the same, and the years of birth are 12+ apart (a
#   father and son, or a mother and daughter, with one name at one address);
# - different real given names: twins, siblings, a couple at one address. The given names are
#   both real names (neither a nickname of the other, nor an initial, nor a misspelling, nor the
#   other's surname, as when names are swapped), and at least one record gives the sex (data
#   that never record the sex, such as FEBRL, replace whole given names as errors).
GENERATION_YEARS = 12
# A given name is real if it is a known name (data/nicknames.csv and the common given names of
# England and Wales), or is recorded at least COMMON_NAME times and is not a misspelling: one
# edit away from a name recorded at least TYPO_RATIO times as often. (In a million records a
# misspelling of a common name recurs: "Dna" beside "Dan" is not a twin of Daniel.)
COMMON_NAME = 5
TYPO_RATIO = 10


def relatives(
    con: duckdb.DuckDBPyConnection, table: str, pairs: pa.Table, threshold: float
) -> list[tuple[str, str]]:
    if pairs.num_rows == 0:
        return []
    con.register("_scored_pairs", pairs.select(["unique_id_l", "unique_id_r", "match_probability"]))
    try:
        rows = con.execute(
            f"""WITH linked AS (
                SELECT p.unique_id_l AS id_l, p.unique_id_r AS id_r,
                       a.given AS given_l, b.given AS given_r,
                       abs(CAST(a.dob_year AS INTEGER) - CAST(b.dob_year AS INTEGER))
                           >= ? AND a.sex = b.sex AS generation,
                       length(a.given) > 1 AND length(b.given) > 1 AND a.given <> b.given
                       AND NOT list_has_any(a.given_canons, b.given_canons)
                       AND jaro_winkler_similarity(a.given, b.given) < 0.8
                       AND jaro_winkler_similarity(a.given, b.surname) < 0.85
                       AND jaro_winkler_similarity(a.surname, b.given) < 0.85
                       AND (a.sex IS NOT NULL OR b.sex IS NOT NULL) AS other_name
                FROM _scored_pairs p
                JOIN {table} a ON a.unique_id = p.unique_id_l
                JOIN {table} b ON b.unique_id = p.unique_id_r
                WHERE p.match_probability >= ?
            ), suspects AS (
                SELECT * FROM linked WHERE generation OR other_name
            ), asked AS (
                SELECT given_l AS given FROM suspects WHERE other_name
                UNION SELECT given_r FROM suspects WHERE other_name
            ), counts AS (
                SELECT given, count(*) AS n FROM {table} WHERE given IS NOT NULL GROUP BY given
            ), unknown AS (
                SELECT c.given, c.n FROM counts c JOIN asked q ON q.given = c.given
                WHERE c.n >= ? AND c.given NOT IN (SELECT name FROM known_given)
            ), misspelt AS (
                SELECT u.given
                FROM unknown u
                JOIN (SELECT * FROM counts WHERE n >= ? * ?) o
                  ON o.n >= ? * u.n
                 AND abs(length(o.given) - length(u.given)) <= 1
                 AND damerau_levenshtein(o.given, u.given) <= 1
                GROUP BY u.given
            ), real AS (
                SELECT given FROM asked WHERE given IN (SELECT name FROM known_given)
                UNION
                SELECT given FROM unknown WHERE given NOT IN (SELECT given FROM misspelt)
            )
            SELECT id_l, id_r FROM suspects
            WHERE generation
               OR (other_name AND given_l IN (SELECT given FROM real)
                   AND given_r IN (SELECT given FROM real))""",  # noqa: S608 (table names are module constants)
            [GENERATION_YEARS, threshold, COMMON_NAME, TYPO_RATIO, COMMON_NAME, TYPO_RATIO],
        ).fetchall()
    finally:
        con.unregister("_scored_pairs")
    return [(str(a), str(b)) for a, b in rows]


def _fetch_pairs(predictions: Any, explain: bool) -> pa.Table:
    if explain:
        table = predictions.as_pandas_dataframe()
        return pa.Table.from_pandas(table, preserve_index=False)
    sql = (
        f"SELECT unique_id_l, unique_id_r, match_probability, match_weight "  # noqa: S608 (table names are module constants)
        f"FROM {predictions.physical_name}"
    )
    result = predictions.db_api._execute_sql_against_backend(sql)
    if isinstance(result, duckdb.DuckDBPyRelation):
        arrow = result.arrow()
        return arrow.read_all() if hasattr(arrow, "read_all") else arrow
    return pa.Table.from_pandas(result.toPandas(), preserve_index=False)


COMPARISON_LABELS = {
    "name": "Given name and surname",
    "dob": "Date of birth",
    "postcode": "Postcode",
    "sex": "Sex",
}


def _exact_u(levels: list[dict[str, Any]], column: str) -> float | None:
    """The u probability of the comparison's plain exact-match level on `column`, which Splink
    uses as the base of a term-frequency adjustment."""
    plain = {
        f'"{column}_l" = "{column}_r"',
        f"`{column}_l` = `{column}_r`",
        f"{column}_l = {column}_r",
    }
    for level in levels:
        if level.get("sql_condition", "").strip() in plain:
            return level.get("u_probability")
    return None


def explain_pair(row: dict[str, Any], settings: dict[str, Any]) -> list[dict[str, Any]]:
    """Why a pair scored as it did: each comparison's level and its match weight in bits,
    log2(m/u), plus any term-frequency adjustment (a common value says less), computed as Splink
    computes them. `row` is one scored pair with the intermediate columns (explain=True)."""
    labels = model_mod.level_labels(settings)
    out = []
    for comparison in settings["comparisons"]:
        name = comparison["output_column_name"]
        gamma = row.get(f"gamma_{name}")
        levels = comparison["comparison_levels"]
        non_null = [lv for lv in levels if not lv.get("is_null_level")]
        weight = tf_adj = 0.0
        if gamma is not None and int(gamma) >= 0:
            level = non_null[len(non_null) - 1 - int(gamma)]
            m, u = level.get("m_probability"), level.get("u_probability")
            if m and u:
                weight = float(np.log2(m / u))
            column = level.get("tf_adjustment_column")
            tf_weight = level.get("tf_adjustment_weight", 1.0 if column else 0.0)
            if column and tf_weight and level.get("sql_condition") != "ELSE":
                tf_l, tf_r = row.get(f"tf_{column}_l"), row.get(f"tf_{column}_r")
                tfs = [t for t in (tf_l, tf_r) if t is not None]
                base = _exact_u(levels, column) or u
                if tfs and base:
                    floor = level.get("tf_minimum_u_value", 0.0)
                    tf_adj = tf_weight * (float(np.log2(base)) - float(np.log2(max(*tfs, floor))))
        out.append(
            {
                "comparison": COMPARISON_LABELS.get(name, name),
                "level": labels[name].get(int(gamma), str(gamma)) if gamma is not None else "",
                "weight": round(weight + tf_adj, 2),
                "tf_adjustment": round(tf_adj, 2),
            }
        )
    return out


def without_term_frequencies(settings: dict[str, Any]) -> dict[str, Any]:
    """The model with no term-frequency adjustments: on a handful of records every value is
    'common', so the adjustments would say nothing true."""
    out = copy.deepcopy(settings)
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level.pop("tf_adjustment_column", None)
            level.pop("tf_adjustment_weight", None)
    return out


def prior_weight(settings: dict[str, Any]) -> float:
    p = settings["probability_two_random_records_match"]
    return round(float(np.log2(p / (1 - p))), 2)


logging.getLogger("splink").setLevel(logging.WARNING)
