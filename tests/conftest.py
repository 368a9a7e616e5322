"""Shared fixtures: a fresh workspace, the real sample files, a V2 file writer, and an
in-process CLI runner."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from lianxing.app import Lianxing
from lianxing.i18n import set_language

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "tests" / "data" / "amazon-settlement-legacy-ca"

# Written out from report-formats.md on purpose, not imported from lianxing.formats:
# the tests check the code against the documented format, not against itself.
V2_HEADER = [
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
]


@pytest.fixture(autouse=True)
def _piped_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables print as into a pipe (200 columns) whether or not the test runner sets
    $COLUMNS (pytest-xdist sets 80); tests of narrow windows set it themselves."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Each test starts in English: a test that runs the CLI with `--lang zh` must not
    leave Chinese set for the next test in the same worker."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def samples() -> list[Path]:
    files = sorted(SAMPLES.glob("*.txt"))
    assert len(files) == 6, f"the six real samples are expected in {SAMPLES}"
    return files


@pytest.fixture
def lx(tmp_path: Path) -> Iterator[Lianxing]:
    with Lianxing.init(tmp_path / "ws") as facade:
        yield facade


def v2_row(
    tt: str,
    at: str,
    ad: str,
    amount: str,
    *,
    order: str = "",
    sku: str = "",
    qty: str = "",
    item: str = "",
    when: str = "2026-03-02 15:00:00 UTC",
    adjustment: str = "",
    marketplace: str | None = None,
) -> dict[str, str]:
    """One V2 data row; order rows get the marketplace and shipment by default."""
    is_item = bool(order)
    return {
        "transaction-type": tt,
        "amount-type": at,
        "amount-description": ad,
        "amount": amount,
        "order-id": order,
        "merchant-order-id": "",
        "adjustment-id": adjustment,
        "shipment-id": "SHIP1" if is_item and not adjustment else "",
        "marketplace-name": marketplace
        if marketplace is not None
        else ("Amazon.com" if is_item else ""),
        "fulfillment-id": "AFN" if is_item else "",
        "posted-date": when[:10],
        "posted-date-time": when,
        "order-item-code": item,
        "sku": sku,
        "quantity-purchased": qty,
    }


def write_v2(
    path: Path,
    rows: Sequence[dict[str, str]],
    *,
    settlement_id: str = "11111111111",
    total: str | None = None,
    currency: str = "USD",
    encoding: str = "utf-8",
    header: Sequence[str] = V2_HEADER,
) -> Path:
    """Write a V2 settlement; the summary total is the exact sum unless given."""
    if total is None:
        total = str(sum((Decimal(r["amount"]) for r in rows), Decimal("0.00")))
    summary = {
        "settlement-id": settlement_id,
        "settlement-start-date": "2026-03-01 08:00:00 UTC",
        "settlement-end-date": "2026-03-15 08:00:00 UTC",
        "deposit-date": "2026-03-17 08:00:00 UTC",
        "total-amount": total,
        "currency": currency,
    }
    lines = ["\t".join(header), "\t".join(summary.get(c, "") for c in header)]
    for row in rows:
        full = {"settlement-id": settlement_id, **row}
        lines.append("\t".join(full.get(c, "") for c in header))
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(args: Sequence[str], monkeypatch: pytest.MonkeyPatch | None = None) -> CliResult:
    """Run `lianxing ARGS` in this process, as a user would from a shell."""
    from lianxing import cli

    out, err = io.StringIO(), io.StringIO()
    old_argv = sys.argv
    sys.argv = ["lianxing", *args]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old_argv
    return CliResult(code, out.getvalue(), err.getvalue())


def ledger_fingerprint(facade: Lianxing) -> tuple[object, ...]:
    """Everything an import can change, to prove a failed import changed nothing."""
    con = facade.db.con
    return (
        con.execute("SELECT count(*), coalesce(sum(amount), 0) FROM ledger").fetchone(),
        con.execute("SELECT count(*), list(sha256 ORDER BY source_id) FROM sources").fetchone(),
        con.execute("SELECT count(*) FROM cogs").fetchone(),
        con.execute("SELECT count(*) FROM fx_rates").fetchone(),
        tuple(con.execute(f"SELECT count(*) FROM {table}").fetchone() for table in FACT_TABLES),
        facade.workspace.config_path.read_text("utf-8"),
    )


FACT_TABLES = (
    "ad_spend",
    "storage_fees",
    "returns",
    "inventory",
    "inventory_age",
    "traffic",
    "sku_aliases",
    "inventory_events",
    "long_term_storage_fees",
)


def write_table(
    path: Path,
    header: Sequence[str],
    rows: Sequence[dict[str, str]],
    *,
    delimiter: str = "\t",
    encoding: str = "utf-8",
) -> Path:
    """Write a report: header, then each row's values by column name (missing: empty).

    Comma-separated files are quoted the way spreadsheet exports quote them.
    """
    import csv

    buffer = io.StringIO()
    if delimiter == ",":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(c, "") for c in header])
    else:
        buffer.write("\t".join(header) + "\n")
        for row in rows:
            buffer.write("\t".join(row.get(c, "") for c in header) + "\n")
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path
