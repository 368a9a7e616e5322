"""`make bench` part 2: import a whole year of the demo seller, every format.

Writes the demo seller's files at `--scale` (default 20: about a million order items
across settlements, order reports, returns and the other platforms), then for each
kind of file, in a fresh workspace and in the order a user's folder import takes:

  - baseline: a bare polars scan of the same files (every column read as text),
    run as a child process;
  - `lianxing import FILES...` as a child process (wall time, peak RSS).

Each child's own peak RSS comes from `os.wait4`. Results go to `bench/results-year.md`.
The target is the whole year imported within 6x the bare scans of the same files.
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

MAX_YEAR_VS_BASELINE = 6.0  # issue 13

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


@dataclass
class Whole:
    """The whole folder: one bare scan and one `lianxing import FOLDER`."""

    files: int
    megabytes: float
    rows: int = 0
    baseline: Child | None = None
    run: Child | None = None


STORES = """
from lianxing.app import Lianxing
from lianxing.demo import DEMO_STORES
with Lianxing.open() as lx:
    for store in DEMO_STORES:
        lx.workspace.add_store(store)
    lx.workspace.save()
"""


def new_workspace(folder: Path, name: str) -> tuple[Path, dict[str, str]]:
    """A workspace with the demo's stores and mapping files, as `lianxing demo` makes."""
    workspace = folder / name
    env = lianxing_env(workspace)
    for argv in ([*lianxing_argv(), "init", str(workspace)], [sys.executable, "-c", STORES]):
        step = run_child(argv, env)
        if not step.ok:
            raise SystemExit(f"setting up {workspace} failed:\n{step.tail()}")
    if (folder / "mappings").is_dir():  # the demo's ERP / freight / customs mappings
        shutil.copytree(folder / "mappings", workspace / "mappings", dirs_exist_ok=True)
    return workspace, env


def bench(scale: int, folder: Path) -> tuple[Whole, list[Group], float]:
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
    sources = folder / "sources"
    groups = groups_of(sources)
    files = [p for g in groups for p in g.files]
    whole = Whole(len(files), sum(p.stat().st_size for p in files) / 1e6)

    # What a user runs: the whole folder in one command, against one bare scan of it.
    _, env = new_workspace(folder, "ws")
    log(f"bare scan of all {len(files)} files")
    whole.baseline = run_child([sys.executable, "-c", SCAN, *map(str, files)])
    if whole.baseline.ok:
        whole.rows = json.loads(whole.baseline.stdout)["rows"]
    log(f"lianxing import {sources}")
    whole.run = run_child([*lianxing_argv(), "import", str(sources), "--format", "json"], env)
    log(f"  {whole.run.wall_s:.2f} s (scan {whole.baseline.wall_s:.2f} s)")

    # Per kind, in a second workspace: each kind by its own command.
    _, env = new_workspace(folder, "ws-by-kind")
    for group in groups:
        names = [str(p) for p in group.files]
        group.baseline = run_child([sys.executable, "-c", SCAN, *names])
        if group.baseline.ok:
            group.rows = json.loads(group.baseline.stdout)["rows"]
        group.run = run_child([*lianxing_argv(), "import", *names, "--format", "json"], env)
        state = "ok" if group.run.ok else f"FAILED\n{group.run.tail()}"
        log(
            f"  {group.kind}: {len(group.files)} files, {group.rows:,} rows, "
            f"import {group.run.wall_s:.2f} s, scan {group.baseline.wall_s:.2f} s — {state}"
        )
    return whole, groups, written.wall_s


def report(whole: Whole, groups: list[Group], generated: float, scale: int, out: Path) -> None:
    assert whole.run is not None and whole.baseline is not None
    ratio = whole.run.wall_s / whole.baseline.wall_s
    ok = whole.run.ok and all(g.run is not None and g.run.ok for g in groups)
    verdict = "**PASS**" if ok and ratio <= MAX_YEAR_VS_BASELINE else "**FAIL**"
    lines = [
        "# Lianxing benchmark: a year of every format",
        "",
        f"Run: `bench/year.py --scale {scale}` — the demo seller's year at scale {scale}: "
        f"{whole.files} files, {whole.megabytes:.1f} MB, {whole.rows:,} data rows "
        f"(written in {generated:.1f} s).",
        "",
        "| Measure | Value | Target | Status |",
        "| --- | --- | --- | --- |",
        f"| Bare scan of every file (polars, one process) | {whole.baseline.wall_s:.2f} s | | |",
        f"| `lianxing import sources/` (the whole folder, one process) | "
        f"{whole.run.wall_s:.2f} s, {whole.rows / whole.run.wall_s:,.0f} rows/s, "
        f"{whole.run.maxrss_mb:.0f} MB peak RSS | | |",
        f"| Import / bare scan | {ratio:.1f}x | ≤ {MAX_YEAR_VS_BASELINE:.0f}x | {verdict} |",
        "",
        "Per kind of file (each kind imported by its own command into a second workspace,"
        " settlements first):",
        "",
        "| Kind | Files | MB | Rows | Bare scan (s) | Import (s) | Rows/s | Import / scan | "
        "Peak RSS (MB) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    failed = [] if whole.run.ok else [("whole folder", whole.run)]
    for g in groups:
        if g.run is None or g.baseline is None:
            continue
        if not g.run.ok:
            failed.append((g.kind, g.run))
        lines.append(
            f"| {g.kind} | {len(g.files)} | {g.megabytes:.1f} | {g.rows:,} | "
            f"{g.baseline.wall_s:.2f} | {g.run.wall_s:.2f} | {g.rows / g.run.wall_s:,.0f} | "
            f"{g.run.wall_s / g.baseline.wall_s:.1f}x | {g.run.maxrss_mb:.0f} |"
        )
    lines.append("")
    for name, child in failed:
        lines += [f"- {name}: import failed:", "", "```", child.tail(), "```", ""]
    lines += [
        "How to read this: every figure is a child process's wall time, interpreter "
        "start-up included (about 0.2 s for polars, 0.4 s for `lianxing`). The bare scan "
        "reads the same files with polars on all cores, every column as text, with no "
        "validation, mapping or storage; the import checks every value, maps every code, "
        "reads the files of one report layout together and writes a folder (or the files "
        "of one command) in one transaction. Rows are data lines (JSON records "
        "for the Ads API report). Peak RSS is each child's own `ru_maxrss`.",
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
        whole, groups, generated = bench(args.scale, folder)
        report(whole, groups, generated, args.scale, args.out)
        print(args.out.read_text(encoding="utf-8"), file=sys.stderr)
    finally:
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
