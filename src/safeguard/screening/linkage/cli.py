"""`safeguard link INPUT.csv --out OUTPUT.csv [--engine duckdb|spark] [--threshold P]`

Links the person records of a CSV file into identities and writes `record_id,person_id`, every
input record exactly once. INPUT has a header with at least
record_id,given_name,surname,date_of_birth,postcode (date ISO 8601 or blank; blanks allowed
anywhere but record_id) and may have sex. No database is used: this runs on the embedded DuckDB,
or on Spark in local mode with --engine spark.

Exit status: 0 done; 2 bad arguments or bad input (the message names the problem); 1 the linkage
itself failed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="safeguard link",
        description="Link person records (one per report) into identities.",
    )
    p.add_argument("input", metavar="INPUT.csv", help="records to link (UTF-8 CSV with header)")
    p.add_argument(
        "--out", required=True, metavar="OUTPUT.csv", help="where to write record_id,person_id"
    )
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    p.add_argument(
        "--threshold",
        type=float,
        default=None,
        metavar="P",
        help="match probability at which two records are one person (default 0.9)",
    )
    p.add_argument("--model", type=Path, help="score with this saved model instead of training")
    p.add_argument("--save-model", type=Path, help="save the trained model (JSON) here")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    return p


class _Progress:
    """A progress bar over the stages, on a terminal only."""

    STAGES = 6

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.bar: Any = None
        if enabled and stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.STAGES, file=stream, unit="step", leave=False)

    def __call__(self, message: str) -> None:
        if self.bar is not None:
            self.bar.set_description(message)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def main(
    argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_BAD_INPUT
    threshold = 0.9 if args.threshold is None else args.threshold
    if not 0 < threshold < 1:
        print(f"safeguard link: --threshold must be between 0 and 1, not {threshold}", file=stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out)
    if out.resolve() == Path(args.input).resolve():
        print("safeguard link: --out must not be the input file", file=stderr)
        return EXIT_BAD_INPUT
    if not out.parent.exists():
        print(f"safeguard link: {out.parent}: no such folder for --out", file=stderr)
        return EXIT_BAD_INPUT

    import duckdb

    from safeguard.screening.linkage import pipeline, prepare

    progress = _Progress(stderr, not args.quiet)
    started = time.perf_counter()
    con = duckdb.connect()
    try:
        threads = os.cpu_count() or 2
        con.execute(f"SET threads = {threads}")
        progress("Reading the records")
        try:
            n = prepare.load_csv(con, Path(args.input))
            model = None
            if args.model:
                try:
                    model = json.loads(args.model.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise prepare.LinkInputError(
                        f"{args.model}: not a saved model ({exc})"
                    ) from None
        except prepare.LinkInputError as exc:
            progress.close()
            print(f"safeguard link: {exc}", file=stderr)
            return EXIT_BAD_INPUT
        progress("Normalising names, dates and postcodes")
        prepare.prepare(con)
        try:
            result = pipeline.link_prepared(
                con,
                engine=args.engine,
                threshold=threshold,
                model=model,
                train_model=model is None,
                progress=progress,
            )
        except prepare.LinkInputError as exc:
            progress.close()
            print(f"safeguard link: {exc}", file=stderr)
            return EXIT_BAD_INPUT
        progress("Writing the identities")
        _write(con, result.record_ids, result.person_ids, out)
        if args.save_model:
            args.save_model.write_text(json.dumps(result.model, indent=1), encoding="utf-8")
    except Exception as exc:  # the summary line, not a traceback, for a user of the command
        progress.close()
        print(f"safeguard link: the linkage failed: {type(exc).__name__}: {exc}", file=stderr)
        return EXIT_FAILED
    finally:
        con.close()
    progress.close()
    if not args.quiet:
        seconds = time.perf_counter() - started
        print(
            f"Linked {n:,} records into {result.identities:,} identities in {seconds:.1f} s "
            f"({args.engine}, threshold {threshold}; "
            + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
            + f"); wrote {out}",
            file=stdout,
        )
    return 0


def _write(con: Any, record_ids: list[str], person_ids: list[str], out: Path) -> None:
    import pyarrow as pa

    table = pa.table({"record_id": record_ids, "person_id": person_ids})
    con.register("_out", table)
    tmp = out.with_name(out.name + ".part")
    con.execute(f"COPY _out TO '{_quote(str(tmp))}' (HEADER, DELIMITER ',')")
    con.unregister("_out")
    tmp.replace(out)


def _quote(path: str) -> str:
    return path.replace("'", "''")


if __name__ == "__main__":
    raise SystemExit(main())
