"""`make bench`: time and size Lianxing's settlement import and profit query.

One run does, in a fresh temporary folder:
  1. generate a synthetic Amazon settlement flat file V2 (`bench/generate_v2.py`);
  2. baseline: a bare polars group-by of amount by SKU over the same file
     (`bench/baseline.py`), run as child processes;
  3. `lianxing init` + `lianxing import FILE --store bench-us` as child processes;
  4. the profit query by SKU: through the CLI (`lianxing profit --by sku --format json`)
     and, when `lianxing.app.Lianxing` is importable, through the Python API in-process;
  5. with `--scaling`, a second import of a file a quarter the size, to show that peak
     memory does not grow with the file.

Each child is reaped with `os.wait4`, so its own peak RSS is read from its rusage
rather than mixed with the others'. Results go to `bench/results.md` and a summary to
stderr. The exit code is 0 even when a target is missed: this is a measurement, not a
test; it is non-zero only when the harness itself cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from generate_v2 import generate  # noqa: E402  (bench/ is not a package)

STORE = "bench-us"
# Targets from the performance brief.
MAX_IMPORT_VS_BASELINE = 4.0  # issue 13
MAX_PROFIT_S = 0.5
MAX_IMPORT_RSS_MB = 1500.0
# Our own yardstick for "memory does not grow with the file": 4x the rows may cost at
# most this factor in peak RSS (DuckDB's buffers and fixed overheads still grow a bit).
MAX_SCALING_RSS_RATIO = 1.5
BASELINE_RUNS = 3
WARM_PROFIT_RUNS = 5


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---- child processes ------------------------------------------------------------------


@dataclass
class Child:
    """What one finished child process did and cost."""

    argv: list[str]
    returncode: int
    wall_s: float
    maxrss_mb: float
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 8) -> str:
        """The last lines of stderr (or stdout), for reporting why a step failed."""
        text = self.stderr.strip() or self.stdout.strip()
        return "\n".join(text.splitlines()[-lines:])


def run_child(argv: list[str], env: dict[str, str] | None = None) -> Child:
    """Run argv to completion; measure wall time and that child's own peak RSS.

    Output goes to anonymous temp files rather than pipes: reading pipes would need
    `communicate`, which reaps the child itself and loses its rusage.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen it was reaped
        out.seek(0)
        err.seek(0)
        return Child(
            argv=argv,
            returncode=proc.returncode,
            wall_s=wall,
            maxrss_mb=usage.ru_maxrss * 1024 / 1e6,  # ru_maxrss is KiB on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def lianxing_argv() -> list[str]:
    """The installed console script when there is one, else `python -m lianxing`."""
    script = Path(sys.executable).with_name("lianxing")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "lianxing"]


def lianxing_env(workspace: Path) -> dict[str, str]:
    env = dict(os.environ)
    # src/ on the path lets the bench run before `pip install -e .` has happened.
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    env["LIANXING_WORKSPACE"] = str(workspace)
    # Time lianxing as an installed tool runs: with its compiled modules cached (the
    # first child writes them), as every package the baseline imports has them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def cli_works() -> Child:
    return run_child([*lianxing_argv(), "--help"], lianxing_env(Path(tempfile.gettempdir())))


# ---- measurements ---------------------------------------------------------------------


@dataclass
class Import:
    rows: int
    file_mb: float
    init: Child | None = None
    run: Child | None = None


@dataclass
class Results:
    rows: int
    file_mb: float = 0.0
    generate_s: float = 0.0
    baseline: list[Child] = field(default_factory=list)
    baseline_inner_s: float | None = None
    baseline_groups: int | None = None
    cli_error: str | None = None
    main_import: Import | None = None
    profit_cli: Child | None = None
    profit_objects: int | None = None
    profit_sku_objects: int | None = None
    api_note: str | None = None
    api_open_s: float | None = None
    api_first_s: float | None = None
    api_warm_s: float | None = None
    api_rows: int | None = None
    scaling_import: Import | None = None
    floor: Child | None = None


def make_file(folder: Path, rows: int) -> tuple[Path, float, float]:
    """Generate a settlement file; return its path, size in MB and generation seconds."""
    path = folder / f"settlement-v2-{rows}.txt"
    log(f"generating {rows:,} rows -> {path}")
    started = time.perf_counter()
    generate(path, rows)
    seconds = time.perf_counter() - started
    size_mb = path.stat().st_size / 1e6
    log(f"  {size_mb:.1f} MB in {seconds:.2f} s")
    # Flush the new file's dirty pages now: otherwise the kernel writes them back in the
    # middle of the import, whose DuckDB checkpoint then waits behind them (seen: 4 s
    # import measured as 7 s). The file stays in the page cache for both contenders.
    os.sync()
    return path, size_mb, seconds


def measure_baseline(path: Path, results: Results) -> None:
    """Run the polars baseline a few times; keep every run, the median is reported."""
    inner: list[float] = []
    for i in range(BASELINE_RUNS):
        child = run_child([sys.executable, str(BENCH_DIR / "baseline.py"), str(path)])
        if not child.ok:
            log(f"baseline failed:\n{child.tail()}")
            return
        payload = json.loads(child.stdout)
        inner.append(payload["seconds"])
        results.baseline_groups = payload["groups"]
        results.baseline.append(child)
        log(
            f"  baseline run {i + 1}: {child.wall_s:.2f} s wall, {payload['seconds']:.2f} s "
            f"query, {child.maxrss_mb:.0f} MB peak RSS"
        )
    results.baseline_inner_s = statistics.median(inner)


# The least DuckDB does to store the file: read it as text and write it to a table of a
# new database file, one commit, no parsing, checks or mapping (the import's floor).
FLOOR = """
import duckdb, json, sys, time
started = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("SET memory_limit = '512MB'")
con.execute(
    "CREATE TABLE raw AS SELECT * FROM read_csv(?, delim = '\\t', quote = '', escape = '',"
    " header = true, all_varchar = true, max_line_size = 1048576)",
    [sys.argv[1]],
)
con.close()
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def measure_floor(path: Path, folder: Path, results: Results) -> None:
    log("floor: DuckDB reads the file into a table, nothing else")
    results.floor = run_child([sys.executable, "-c", FLOOR, str(path), str(folder / "floor.db")])
    if results.floor.ok:
        log(f"  {results.floor.wall_s:.2f} s wall, {results.floor.maxrss_mb:.0f} MB peak RSS")
    else:
        log(f"floor failed:\n{results.floor.tail()}")


def import_file(path: Path, rows: int, size_mb: float, workspace: Path) -> Import:
    """`lianxing init WS` then `lianxing import FILE --store bench-us`, as children."""
    env = lianxing_env(workspace)
    result = Import(rows=rows, file_mb=size_mb)
    log(f"lianxing init {workspace}")
    result.init = run_child([*lianxing_argv(), "init", str(workspace)], env)
    if not result.init.ok:
        log(f"init failed:\n{result.init.tail()}")
        return result
    log(f"lianxing import {path.name} --store {STORE}")
    result.run = run_child([*lianxing_argv(), "import", str(path), "--store", STORE], env)
    if result.run.ok:
        log(f"  {result.run.wall_s:.2f} s wall, {result.run.maxrss_mb:.0f} MB peak RSS")
    else:
        log(f"import failed:\n{result.run.tail()}")
    return result


def measure_profit_cli(workspace: Path, results: Results) -> None:
    argv = [*lianxing_argv(), "profit", "--by", "sku", "--format", "json"]
    log("lianxing profit --by sku --format json")
    child = run_child(argv, lianxing_env(workspace))
    results.profit_cli = child
    if not child.ok:
        log(f"profit failed:\n{child.tail()}")
        return
    try:
        parsed = json.loads(child.stdout)
    except json.JSONDecodeError as exc:
        log(f"profit output is not JSON: {exc}")
        return
    if isinstance(parsed, list):
        results.profit_objects = len(parsed)
        # Account-level costs (storage, ads) come as one extra object with sku null.
        results.profit_sku_objects = sum(
            1 for obj in parsed if isinstance(obj, dict) and obj.get("sku") is not None
        )
    log(
        f"  {child.wall_s:.2f} s wall, {results.profit_objects} objects "
        f"({results.profit_sku_objects} with a SKU)"
    )


def _row_count(value: Any) -> int | None:
    """Rows in whatever the API returned, when it can tell (list, frame, report...)."""
    for attr in ("rows", "lines", "items"):
        inner = getattr(value, attr, None)
        if inner is not None and not callable(inner) and hasattr(inner, "__len__"):
            return len(inner)
    return len(value) if hasattr(value, "__len__") else None


def measure_profit_api(workspace: Path, results: Results) -> None:
    """Time `Lianxing.open(ws).profit(by="sku")` in this process, cold then warm.

    The API is being written alongside this bench; when it is missing or shaped
    differently, the CLI wall time stands in and the note says so.
    """
    sys.path.insert(0, str(REPO / "src"))
    os.environ["LIANXING_WORKSPACE"] = str(workspace)
    try:
        from lianxing.app import Lianxing  # type: ignore[import-not-found,unused-ignore]

        started = time.perf_counter()
        app = Lianxing.open(workspace)
        results.api_open_s = time.perf_counter() - started
        timings = []
        for _ in range(1 + WARM_PROFIT_RUNS):
            started = time.perf_counter()
            report = app.profit(by="sku")
            timings.append(time.perf_counter() - started)
        results.api_first_s = timings[0]
        results.api_warm_s = statistics.median(timings[1:])
        results.api_rows = _row_count(report)
        close = getattr(app, "close", None)
        if callable(close):
            close()
        log(
            f"  API profit: open {results.api_open_s:.3f} s, first {timings[0]:.3f} s, "
            f"warm median {results.api_warm_s:.3f} s"
        )
    except Exception as exc:  # any shape mismatch: fall back, do not abort the bench
        results.api_note = f"{type(exc).__name__}: {exc}"
        log(f"API profit not measured ({results.api_note}); using the CLI wall time")


# ---- report ---------------------------------------------------------------------------


def status(ok: bool | None) -> str:
    if ok is None:
        return "n/a"
    return "**PASS**" if ok else "**FAIL**"


def machine_info() -> list[str]:
    import duckdb
    import polars

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{mem_kib / 1024**2:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        memory = "unknown"
    return [
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- nproc: {len(os.sched_getaffinity(0))} ({cpu}), memory {memory}",
        f"- Python {platform.python_version()}, duckdb {duckdb.__version__}, "
        f"polars {polars.__version__}, {platform.system()} {platform.release()}",
        f"- lianxing command: `{' '.join(Path(a).name for a in lianxing_argv())}`",
        # Other work on the machine slows both sides of every ratio, unevenly: say so.
        "- load average when written (1, 5, 15 min): "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
    ]


def baseline_wall(results: Results) -> float | None:
    if not results.baseline:
        return None
    return statistics.median(c.wall_s for c in results.baseline)


def profit_query(results: Results) -> tuple[float | None, str]:
    """The profit query time the target is judged on, and what was measured."""
    if results.api_first_s is not None:
        return results.api_first_s, "in-process `Lianxing.profit(by='sku')`, first call"
    if results.profit_cli is not None and results.profit_cli.ok:
        return results.profit_cli.wall_s, "CLI wall time (API not measured, see TODO)"
    return None, "not measured"


Row = tuple[str, str, str, str]


def row(label: str, value: str, target: str = "", verdict: str = "") -> Row:
    return (label, value, target, verdict)


def table(results: Results) -> list[str]:
    rows = [
        row(
            "Settlement file",
            f"{results.rows:,} rows, {results.file_mb:.1f} MB "
            f"(generated in {results.generate_s:.2f} s)",
        ),
        *baseline_rows(results),
        *import_rows(results),
        *profit_rows(results),
        *scaling_rows(results),
    ]
    lines = ["| Measure | Value | Target | Status |", "| --- | --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return lines


def baseline_rows(results: Results) -> list[Row]:
    base = baseline_wall(results)
    if base is None or results.baseline_inner_s is None:
        return [row("Baseline: polars group-by amount by SKU", "not measured")]
    rss = max(c.maxrss_mb for c in results.baseline)
    value = f"{base:.2f} s wall ({results.baseline_inner_s:.2f} s query), {rss:.0f} MB peak RSS"
    return [row("Baseline: polars group-by amount by SKU", value)]


def import_rows(results: Results) -> list[Row]:
    run = results.main_import.run if results.main_import else None
    if run is None or not run.ok:
        target = f"≤ {MAX_IMPORT_VS_BASELINE:.0f}x baseline"
        return [row("Import", "not measured", target, status(None))]
    out = [row("Import wall time", f"{run.wall_s:.2f} s ({results.rows / run.wall_s:,.0f} rows/s)")]
    base = baseline_wall(results)
    if base is not None:
        ratio = run.wall_s / base
        value = f"{ratio:.1f}x"
        if results.baseline_inner_s:
            # The stricter reading too: against the baseline's query alone, no start-up.
            value += f" ({run.wall_s / results.baseline_inner_s:.1f}x its query time alone)"
        verdict = status(ratio <= MAX_IMPORT_VS_BASELINE)
        out.append(row("Import / baseline", value, f"≤ {MAX_IMPORT_VS_BASELINE:.0f}x", verdict))
    floor = results.floor
    if floor is not None and floor.ok and base is not None:
        value = (
            f"{floor.wall_s:.2f} s wall ({floor.wall_s / base:.1f}x baseline): DuckDB reads "
            "the file as text into a new database file, no parsing, checks or mapping"
        )
        out.append(row("Floor: store the file unparsed", value))
    verdict = status(run.maxrss_mb < MAX_IMPORT_RSS_MB)
    out.append(
        row("Import peak RSS", f"{run.maxrss_mb:.0f} MB", f"< {MAX_IMPORT_RSS_MB:.0f} MB", verdict)
    )
    return out


def profit_rows(results: Results) -> list[Row]:
    seconds, what = profit_query(results)
    value = f"{seconds:.3f} s — {what}" if seconds is not None else what
    verdict = status(None if seconds is None else seconds < MAX_PROFIT_S)
    out = [row("Profit query by SKU", value, f"< {MAX_PROFIT_S} s", verdict)]
    if results.api_warm_s is not None and results.api_open_s is not None:
        value = (
            f"{results.api_warm_s:.3f} s median of {WARM_PROFIT_RUNS}; "
            f"`Lianxing.open` {results.api_open_s:.3f} s"
        )
        out.append(row("Profit query, warm (API)", value))
    cli = results.profit_cli
    if cli is not None and cli.ok:
        value = f"{cli.wall_s:.2f} s wall, {cli.maxrss_mb:.0f} MB peak RSS"
        out.append(row("`lianxing profit --by sku --format json`", value))
        # The baseline's groups include one null-SKU group (SUMMARY and account rows).
        skus = results.baseline_groups - 1 if results.baseline_groups else None
        value = (
            f"{results.profit_objects} ({results.profit_sku_objects} with a SKU; "
            f"the file has {skus} SKUs)"
        )
        verdict = status(None if skus is None else results.profit_sku_objects == skus)
        out.append(row("Profit JSON objects", value, "one per SKU", verdict))
    return out


def scaling_rows(results: Results) -> list[Row]:
    small, big = results.scaling_import, results.main_import
    if small is None or big is None:
        return []
    if not (small.run and small.run.ok and big.run and big.run.ok):
        return [row("Peak RSS scaling", "not measured", "", status(None))]
    ratio = big.run.maxrss_mb / small.run.maxrss_mb
    sizes = (
        f"{small.rows:,} rows: {small.run.maxrss_mb:.0f} MB; "
        f"{big.rows:,} rows: {big.run.maxrss_mb:.0f} MB"
    )
    target = f"≤ {MAX_SCALING_RSS_RATIO}x"
    return [
        row("Import peak RSS by size", sizes),
        row(
            f"Peak RSS ratio ({big.rows // small.rows}x rows)",
            f"{ratio:.2f}x",
            target,
            status(ratio <= MAX_SCALING_RSS_RATIO),
        ),
    ]


def notes(results: Results) -> list[str]:
    out = []
    if results.cli_error:
        out.append(
            f"- TODO: the `lianxing` CLI did not run, so import and profit were not "
            f"measured:\n\n```\n{results.cli_error}\n```"
        )
    for label, imp in (("main", results.main_import), ("scaling", results.scaling_import)):
        for step in (imp.init, imp.run) if imp else ():
            if step is not None and not step.ok:
                out.append(
                    f"- {label} `{' '.join(step.argv[-4:])}` exited {step.returncode}:"
                    f"\n\n```\n{step.tail()}\n```"
                )
    if results.profit_cli is not None and not results.profit_cli.ok:
        out.append(
            f"- `lianxing profit` exited {results.profit_cli.returncode}:\n\n"
            f"```\n{results.profit_cli.tail()}\n```"
        )
    if results.api_note:
        out.append(
            f"- TODO: the in-process API (`lianxing.app.Lianxing.open(ws).profit(by="
            f"'sku')`) was not measured ({results.api_note}); the profit query row "
            "shows the CLI wall time, which includes interpreter start-up."
        )
    return out


EXPLANATION = """\
How to read this: the settlement file is a synthetic Amazon flat file V2
(`bench/generate_v2.py`: order items with price, tax, withheld tax, commission and FBA
fee rows, ~5% refunds, a few storage/advertising/reserve rows, ~2,000 SKUs, one
settlement). The baseline is the cheapest useful pass over it — polars' streaming
engine reading all-string columns and summing `amount` as Float64 per `sku`, with no
validation, mapping or storage — so "import / baseline" says how much the real import
costs above bare parsing. Both ratio terms are child-process wall times (interpreter
start-up and imports included on both sides; the baseline is the median of
{runs} runs); the file sits in the page cache for both, and is synced to disk
first so its write-back does not land inside the import. Peak RSS is each child's own
`ru_maxrss` from `os.wait4`. The profit target is judged on the first in-process API
call after `Lianxing.open`, the closest thing to what a person waits for; the CLI time
adds Python start-up. Targets are from the performance brief; the RSS scaling ratio
(`--scaling`) is this bench's own yardstick for "memory does not grow with the file".
Regenerate with `make bench` (options: `.venv/bin/python bench/run.py --help`).
"""


def write_report(results: Results, out: Path, command: str) -> None:
    found = notes(results)
    parts = [
        "# Lianxing benchmark: settlement import and profit query",
        "",
        f"Run: `{command}`",
        "",
        *table(results),
        "",
        *([*found, ""] if found else []),
        EXPLANATION.format(runs=BASELINE_RUNS),
        "## Machine",
        "",
        *machine_info(),
        "",
    ]
    out.write_text("\n".join(parts), encoding="utf-8")
    log(f"wrote {out}")


# ---- driver ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark Lianxing's import and profit.")
    parser.add_argument(
        "--rows",
        type=int,
        default=1_000_000,
        help="data rows in the settlement file (default 1,000,000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--scaling", action="store_true", help="also import a file of rows/4 and compare peak RSS"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=BENCH_DIR / "results.md",
        help="markdown report to write (default bench/results.md)",
    )
    return parser.parse_args(argv)


def bench(args: argparse.Namespace, folder: Path) -> Results:
    results = Results(rows=args.rows)
    path, results.file_mb, results.generate_s = make_file(folder, args.rows)
    log("baseline: polars group-by amount by SKU")
    measure_baseline(path, results)
    check = cli_works()
    if not check.ok:
        results.cli_error = check.tail()
        log(f"lianxing CLI not usable; skipping import and profit:\n{check.tail()}")
        return results
    workspace = folder / "ws"
    measure_floor(path, folder, results)
    results.main_import = import_file(path, args.rows, results.file_mb, workspace)
    if results.main_import.run is not None and results.main_import.run.ok:
        measure_profit_cli(workspace, results)
        measure_profit_api(workspace, results)
    if args.scaling:
        if not args.keep:
            path.unlink()  # the second file needs the disk space more than this one
        small_rows = max(1, args.rows // 4)
        small, small_mb, _ = make_file(folder, small_rows)
        results.scaling_import = import_file(small, small_rows, small_mb, folder / "ws-small")
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="lianxing-bench-"))
    try:
        results = bench(args, folder)
        command = " ".join(["bench/run.py", *(sys.argv[1:] if argv is None else argv)])
        write_report(results, args.out, command)
        print(args.out.read_text(encoding="utf-8"), file=sys.stderr)
    finally:
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
