"""Run every benchmark in this folder (`make bench`) and print a summary table.

Each benchmark is a script that prints its own figures and exits non-zero if it misses its
target. A benchmark can be run alone: `python benchmarks/<name>.py`.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    only = set(argv)
    scripts = sorted(
        p for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != "run.py"
    )
    results = []
    for script in scripts:
        if only and script.stem not in only:
            continue
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script)])
        results.append((script.stem, code, time.perf_counter() - started))
    print("\nbenchmark            result   wall time")
    for name, code, seconds in results:
        print(f"{name:<20} {'ok' if code == 0 else 'MISSED':<8} {seconds:7.1f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
