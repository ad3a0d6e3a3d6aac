"""The same linkage model on Spark (local mode, for national scale) gives the same identities as
on the embedded DuckDB. Starts a JVM: the slowest test here (well under two minutes)."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from safeguard.screening.linkage import pipeline, prepare
from safeguard.screening.linkage.default_model import default_model
from safeguard.screening.linkage.synthetic import PoliceLikeGenerator

pyspark = pytest.importorskip("pyspark")
pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17")


@pytest.fixture(scope="module")
def spark():
    session = pipeline.local_spark(cores=2, memory="1g")
    yield session
    session.stop()


def test_spark_and_duckdb_agree(spark):
    records = PoliceLikeGenerator(seed=21).generate(800)
    model = default_model()
    results = {}
    for engine in ("duckdb", "spark"):
        con = duckdb.connect()
        prepare.load_records(con, records)
        prepare.prepare(con)
        result = pipeline.link_prepared(
            con,
            engine=engine,
            model=model,
            train_model=False,
            spark=spark if engine == "spark" else None,
        )
        results[engine] = dict(zip(result.record_ids, result.person_ids, strict=True))
    assert results["spark"] == results["duckdb"]
    assert len(set(results["spark"].values())) < len(records)  # it did link records
