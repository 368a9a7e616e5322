"""Baseline for the import benchmark: a bare polars group-by of amount by SKU.

It reads the settlement file as all-string columns, casts `amount` to Float64 (the
fastest numeric type polars offers) and sums it per `sku` on the streaming engine. It
does no validation, mapping or storing, so it is a floor on what parsing the file can
cost on this machine; `bench/run.py` compares the real import against it.

`bench/run.py` runs this as a child process so its peak RSS is measured on its own.
Prints one JSON object on stdout: {"seconds": in-process query time, "groups": n}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import polars as pl


def bare_group_by(path: Path) -> pl.DataFrame:
    """Sum `amount` per `sku`; the SUMMARY row's empty amount becomes null and is skipped."""
    return (
        pl.scan_csv(path, separator="\t", quote_char=None, infer_schema=False)
        .group_by("sku")
        .agg(pl.col("amount").cast(pl.Float64).sum())
        .collect(engine="streaming")
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: baseline.py SETTLEMENT_FILE", file=sys.stderr)
        return 2
    started = time.perf_counter()
    frame = bare_group_by(Path(argv[0]))
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "groups": frame.height}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
