"""`make bench` part 5: memory bounds on hostile files (issue 12, item 17).

Each case runs the real CLI (`python -m lianxing`) in its own process and reads that
process's peak resident memory; the baseline is the same command on a small valid file,
so the ratios say what a hostile file costs over a normal one on this machine:
  - an Ads API report packed as a gzip bomb (1 GiB of JSON in about 1 MB): refused at the
    unpacked limit;
  - a 300 MB file that is not a report, given to `products import` and `cogs import`:
    refused before it is read;
  - the same 300 MB file given to `import` (the sniffer reads only its first bytes);
  - an .xlsx whose sheet unpacks to `--xlsx-bomb-mib` (refused from its zip directory),
    and the largest shared-strings part an .xlsx may have (16 MB of unique strings: read).
Writes `bench/results-bounds.md`.
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import textwrap
import zipfile
from collections.abc import Iterator
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


def write_xlsx_parts(path: Path, parts: dict[str, Iterator[bytes]]) -> None:
    """A one-row Sponsored Products workbook with `parts` written (streamed) into it."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Campaign Name", "Advertised SKU", "Spend"])
    sheet.append(["2026-10-01", "C", "MUG", 1.5])
    base = path.with_suffix(".base.xlsx")
    book.save(base)
    types = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename in parts:
                continue
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", types.encode())
            out.writestr(info.filename, data)
        for name, chunks in parts.items():
            with out.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    base.unlink()


def sheet_bomb(unpacked: int) -> Iterator[bytes]:
    """A sheet's XML: its start, then `unpacked` bytes of spaces inside sheetData."""
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b"<sheetData>"
    chunk = b" " * (16 * 1024 * 1024)
    for start in range(0, unpacked, len(chunk)):
        yield chunk[: min(len(chunk), unpacked - start)]
    yield b"</sheetData></worksheet>"


def shared_strings(size: int) -> Iterator[bytes]:
    """A shared-strings part of about `size` bytes, every string different."""
    yield b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    n = written = 0
    while written < size:
        chunk = b"".join(b"<si><t>s%d</t></si>" % i for i in range(n, n + 10000))
        n, written = n + 10000, written + len(chunk)
        yield chunk
    yield b"</sst>"


def write_junk(path: Path, size: int) -> None:
    line = b"lorem,ipsum,dolor,sit,amet,consectetur,adipiscing,elit,sed,do\n"
    with path.open("wb") as out:
        for _ in range(size // len(line)):
            out.write(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mib", type=int, default=1024, help="unpacked size of the bomb")
    parser.add_argument("--junk-mib", type=int, default=300, help="size of the non-report")
    parser.add_argument("--xlsx-bomb-mib", type=int, default=2048, help="unpacked xlsx sheet")
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
        bomb = root / "sp-bomb.xlsx"
        write_xlsx_parts(bomb, {"xl/worksheets/sheet1.xml": sheet_bomb(opts.xlsx_bomb_mib << 20)})
        log(f"xlsx bomb: {bomb.stat().st_size / 1048576:.1f} MiB packed")
        code, used = peak(["-w", str(ws), "import", str(bomb), "--store", "bench-us"])
        label = f".xlsx sheet bomb, {opts.xlsx_bomb_mib:,} MiB unpacked (refused)"
        rows.append((label, code, used))
        strings = root / "sp-strings.xlsx"
        write_xlsx_parts(strings, {"xl/sharedStrings.xml": shared_strings(15 << 20)})
        log("xlsx with 15 MiB of unique shared strings (under the 16 MiB limit)")
        code, used = peak(["-w", str(ws), "import", str(strings), "--store", "bench-us"])
        rows.append((".xlsx with 15 MiB of shared strings (read)", code, used))
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
        read = label.endswith("(read)")
        ok = ratio <= MAX_RATIO and (code == 0) == read
        failed |= not ok
        status = "**PASS**" if ok else "**FAIL**"
        lines.append(
            f"| {label} | {code} | {used:.0f} MiB | {ratio:.2f}x "
            f"| {'read' if read else 'refused'}, ≤ {MAX_RATIO:.0f}x | {status} |"
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
