"""`make bench` part 2: import a whole year of the demo seller, every format.

Writes the demo seller's files at `--scale` (default 20: about a million order items
across settlements, order reports, returns and the other platforms), then for each
kind of file, in a fresh workspace and in the order a user's folder import takes:

  - baseline: a bare polars scan of the same files (every column read as text),
    run as a child process;
  - `lianxing import FILES...` as a child process (wall time, peak RSS).

Each child's own peak RSS comes from `os.wait4`. Results go to `bench/results-year.md`.
The target is the whole year imported within 3x the bare scans of the same files.
Like run.py, a missed target is reported, not raised: this is a measurement.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO / "src"))

from run import Child, lianxing_argv, lianxing_env, log, machine_info, run_child  # noqa: E402

MAX_YEAR_VS_BASELINE = 3.0

SCAN = """
import gzip, json, sys, time
import polars as pl
started = time.perf_counter()
rows = 0
for name in sys.argv[1:]:
    if name.endswith(".json.gz"):
        with gzip.open(name, "rt", encoding="utf-8") as handle:
            rows += len(json.load(handle))
        continue
    if name.endswith(".xlsx"):
        continue  # no bare scan for spreadsheets; counted on the import side only
    tab = name.endswith(".txt")
    frame = (
        pl.scan_csv(name, separator="\\t" if tab else ",", quote_char=None if tab else '"',
                    infer_schema=False, truncate_ragged_lines=True)
        .select(pl.len().alias("rows"), pl.all().str.len_bytes().sum())
        .collect(engine="streaming")
    )
    rows += frame["rows"][0]
print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows}))
"""


@dataclass
class Group:
    kind: str
    files: list[Path]
    rows: int = 0
    baseline: Child | None = None
    run: Child | None = None

    @property
    def megabytes(self) -> float:
        return sum(p.stat().st_size for p in self.files) / 1e6


def kind_of(path: Path) -> str:
    """The importer Lianxing picks for a file (the same detection as `lianxing import`)."""
    from lianxing.ingest import registry
    from lianxing.ingest.csv_sheet import sheet_kind

    sheet = sheet_kind(path)
    if sheet:
        return sheet
    found = registry.detect(path)
    if found is not None:
        return found[0].kind
    # The rest: settlements by their header, else files a workspace mapping reads.
    return "amazon_settlement" if "settlement-id" in registry.first_line(path) else "mapped"


def groups_of(sources: Path) -> list[Group]:
    by_kind: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(p for p in sources.iterdir() if p.is_file()):
        by_kind[kind_of(path)].append(path)
    # Settlements first: they create the stores the other reports belong to.
    order = sorted(by_kind, key=lambda k: (not k.startswith("amazon_settlement"), k))
    return [Group(k, by_kind[k]) for k in order]


def bench(scale: int, folder: Path) -> tuple[list[Group], float, int]:
    log(f"writing the demo seller's year at scale {scale}")
    # In a child: the generator holds the whole year in memory, and children forked from
    # a big parent would report its pages as their own peak RSS.
    code = (
        "import sys; from pathlib import Path; from lianxing.demo_data import write_demo_files; "
        "write_demo_files(Path(sys.argv[1]), scale=int(sys.argv[2]), seed=7)"
    )
    written = run_child(
        [sys.executable, "-c", code, str(folder), str(scale)], lianxing_env(folder / "ws")
    )
    if not written.ok:
        raise SystemExit(f"writing the demo files failed:\n{written.tail()}")
    generated = written.wall_s
    groups = groups_of(folder / "sources")
    workspace = folder / "ws"
    env = lianxing_env(workspace)
    init = run_child([*lianxing_argv(), "init", str(workspace)], env)
    if not init.ok:
        raise SystemExit(f"lianxing init failed:\n{init.tail()}")
    mappings = folder / "mappings"
    if mappings.is_dir():  # the demo's mapping files for ERP/freight/customs exports
        shutil.copytree(mappings, workspace / "mappings", dirs_exist_ok=True)
    for group in groups:
        names = [str(p) for p in group.files]
        group.baseline = run_child([sys.executable, "-c", SCAN, *names])
        if group.baseline.ok:
            group.rows = json.loads(group.baseline.stdout)["rows"]
        argv = [*lianxing_argv(), "import", *names, "--format", "json"]
        if group.kind.startswith("amazon_settlement"):
            argv += ["--store", "amazon-us"]
        group.run = run_child(argv, env)
        state = "ok" if group.run.ok else f"FAILED\n{group.run.tail()}"
        log(
            f"  {group.kind}: {len(group.files)} files, {group.rows:,} rows, "
            f"import {group.run.wall_s:.2f} s, scan {group.baseline.wall_s:.2f} s — {state}"
        )
    return groups, generated, scale


def report(groups: list[Group], generated: float, scale: int, out: Path) -> None:
    lines = [
        "# Lianxing benchmark: a year of every format",
        "",
        f"Run: `bench/year.py --scale {scale}` — the demo seller's year at scale {scale} "
        f"(files written in {generated:.1f} s).",
        "",
        "| Kind | Files | MB | Rows | Bare scan (s) | Import (s) | Rows/s | Import / scan | "
        "Peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total_scan = total_import = 0.0
    total_rows = 0
    peak = 0.0
    failed = []
    for g in groups:
        if g.run is None or g.baseline is None:
            continue
        if not g.run.ok:
            failed.append(g)
        total_scan += g.baseline.wall_s
        total_import += g.run.wall_s
        total_rows += g.rows
        peak = max(peak, g.run.maxrss_mb)
        lines.append(
            f"| {g.kind} | {len(g.files)} | {g.megabytes:.1f} | {g.rows:,} | "
            f"{g.baseline.wall_s:.2f} | {g.run.wall_s:.2f} | {g.rows / g.run.wall_s:,.0f} | "
            f"{g.run.wall_s / g.baseline.wall_s:.1f}x | {g.run.maxrss_mb:.0f} |"
        )
    ratio = total_import / total_scan if total_scan else float("nan")
    verdict = "**PASS**" if ratio <= MAX_YEAR_VS_BASELINE and not failed else "**FAIL**"
    lines += [
        f"| **all** | {sum(len(g.files) for g in groups)} | "
        f"{sum(g.megabytes for g in groups):.1f} | {total_rows:,} | {total_scan:.2f} | "
        f"{total_import:.2f} | {total_rows / total_import:,.0f} | {ratio:.1f}x | {peak:.0f} |",
        "",
        f"Target: the whole year within {MAX_YEAR_VS_BASELINE:.0f}x the bare scans — "
        f"{ratio:.1f}x: {verdict}.",
        "",
    ]
    for g in failed:
        assert g.run is not None
        lines += [f"- {g.kind} import failed:", "", "```", g.run.tail(), "```", ""]
    lines += [
        "How to read this: each kind of file is imported by one `lianxing import` child "
        "process (interpreter start-up included, as a user runs it) into one workspace, "
        "settlements first. The bare scan is a child process that reads the same files "
        "with polars, every column as text, with no validation, mapping or storage. "
        "Rows are data lines (JSON records for the Ads API report).",
        "",
        "## Machine",
        "",
        *machine_info(),
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
    log(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Import a year of every format; time it.")
    parser.add_argument("--scale", type=int, default=20, help="demo scale (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results-year.md")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="lianxing-bench-year-"))
    try:
        groups, generated, scale = bench(args.scale, folder)
        report(groups, generated, scale, args.out)
        print(args.out.read_text(encoding="utf-8"), file=sys.stderr)
    finally:
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
