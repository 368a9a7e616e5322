"""`make bench` part 5: memory bounds on hostile files (issue 12, item 17).

Each case runs the real CLI (`python -m lianxing`) in its own process and reads that
process's peak resident memory; the baseline is the same command on a small valid file,
so the ratios say what a hostile file costs over a normal one on this machine:
  - an Ads API report packed as a gzip bomb (1 GiB of JSON in about 1 MB): refused at the
    unpacked limit;
  - a 300 MB file that is not a report, given to `products import` and `cogs import`:
    refused before it is read;
  - the same 300 MB file given to `import` (the sniffer reads only its first bytes).
Writes `bench/results-bounds.md`.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from run import log, machine_info  # noqa: E402

# Target: a refused hostile file may cost at most this many times the valid baseline.
MAX_RATIO = 5.0
ADS_ROW = (
    b'{"date": "2026-10-01", "campaignId": "1", "campaignName": "C", '
    b'"adGroupName": "G", "advertisedSku": "MUG", "advertisedAsin": "B000000001", '
    b'"impressions": 100, "clicks": 3, "cost": 1.5, "sales14d": 20.0, '
    b'"purchases14d": 1, "unitsSoldClicks14d": 1}'
)
# Runs a CLI command in this child process, then prints its own peak RSS (KiB).
CHILD = textwrap.dedent(
    """
    import resource, sys
    from lianxing import cli
    sys.argv = ["lianxing", *sys.argv[1:]]
    try:
        cli.main()
    except SystemExit as stop:
        code = stop.code
    else:
        code = 0
    print(f"RESULT {code} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
    """
)


def peak(args: list[str]) -> tuple[int, float]:
    """(exit code, peak resident MiB) of `lianxing ARGS` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=False,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("RESULT ")][-1]
    _, code, kib = line.split()
    return int(code), int(kib) / 1024


def write_bomb(path: Path, unpacked: int) -> None:
    """A valid start of an Ads API report, then `unpacked` bytes of spaces, gzip'd."""
    chunk = b" " * (16 * 1024 * 1024)
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(b"[" + ADS_ROW)
        left = unpacked
        while left > 0:
            out.write(chunk[: min(left, len(chunk))])
            left -= len(chunk)
        out.write(b"]")


def write_junk(path: Path, size: int) -> None:
    line = b"lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do\n"
    with path.open("wb") as out:
        for _ in range(size // len(line)):
            out.write(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mib", type=int, default=1024, help="unpacked size of the bomb")
    parser.add_argument("--junk-mib", type=int, default=300, help="size of the non-report")
    opts = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        ws = root / "ws"
        code, _ = peak(["init", str(ws)])
        assert code == 0, "init failed"
        small = root / "sp-small.json.gz"
        small.write_bytes(gzip.compress(b"[" + ADS_ROW + b"]"))
        log("baseline: a one-row Ads API report")
        code, base = peak(["-w", str(ws), "import", str(small), "--store", "bench-us"])
        rows.append(("Valid one-row Ads API report (baseline)", code, base))
        bomb = root / "sp-bomb.json.gz"
        write_bomb(bomb, opts.bomb_mib * 1024 * 1024)
        log(f"gzip bomb: {bomb.stat().st_size / 1048576:.1f} MiB packed")
        code, used = peak(["-w", str(ws), "import", str(bomb), "--store", "bench-us"])
        rows.append((f"Gzip bomb, {opts.bomb_mib:,} MiB unpacked (refused)", code, used))
        junk = root / "products.csv"
        write_junk(junk, opts.junk_mib * 1024 * 1024)
        for label, args in (
            ("products import", ["products", "import", str(junk)]),
            ("cogs import", ["cogs", "import", str(junk)]),
            ("import", ["import", str(junk), "--store", "bench-us"]),
        ):
            log(f"{opts.junk_mib} MiB non-report: {label}")
            code, used = peak(["-w", str(ws), *args])
            rows.append((f"{opts.junk_mib:,} MiB non-report, `{label}` (refused)", code, used))
    lines = [
        "# Lianxing benchmark: memory bounds on hostile files",
        "",
        "Run: `bench/bounds.py` — each command in its own process (the real CLI); peak "
        "resident memory of that process. Before issue 12 the gzip bomb peaked at about "
        "2.2 GB and a 1 GB non-report at 6.4 GB.",
        "",
        "| Case | Exit | Peak RSS | × baseline | Target | Status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    failed = False
    for i, (label, code, used) in enumerate(rows):
        ratio = used / base
        if i == 0:
            lines.append(f"| {label} | {code} | {used:.0f} MiB | 1.00x | | |")
            continue
        ok = ratio <= MAX_RATIO and code != 0
        failed |= not ok
        status = "**PASS**" if ok else "**FAIL**"
        lines.append(
            f"| {label} | {code} | {used:.0f} MiB | {ratio:.2f}x "
            f"| refused, ≤ {MAX_RATIO:.0f}x | {status} |"
        )
    lines += ["", "## Machine", "", *machine_info(), ""]
    out = BENCH_DIR / "results-bounds.md"
    out.write_text("\n".join(lines), "utf-8")
    log(f"wrote {out}")
    print("\n".join(lines))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
