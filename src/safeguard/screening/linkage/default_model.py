"""The model a force starts with: trained (unsupervised, as always) on 50,000 records of the
police-like synthetic population, shipped as data/default_model.json. A force with fewer than
MIN_TRAINING_RECORDS person records scores with it instead of training on too little data.

Regenerate: .venv/bin/python -m safeguard.screening.linkage.default_model
"""

from __future__ import annotations

import functools
import json
from typing import Any

from safeguard.screening.linkage.prepare import DATA_DIR

PATH = DATA_DIR / "default_model.json"
MIN_TRAINING_RECORDS = 500


@functools.cache
def default_model() -> dict[str, Any]:
    return json.loads(PATH.read_text(encoding="utf-8"))


def build(n: int = 50_000, seed: int = 2024) -> dict[str, Any]:
    import duckdb

    from safeguard.screening.linkage import pipeline, prepare, synthetic

    con = duckdb.connect()
    prepare.load_records(con, synthetic.PoliceLikeGenerator(seed=seed).generate(n))
    prepare.prepare(con)
    return pipeline.link_prepared(con, train_model=True).model


if __name__ == "__main__":
    model = build()
    PATH.write_text(json.dumps(model, indent=1), encoding="utf-8")
    print(f"Wrote {PATH}")
