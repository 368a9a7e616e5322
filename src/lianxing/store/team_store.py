"""Team scores kept in the database: manager adjustments, closed periods and the log of
both (the audit trail). Adjustments and log rows are only ever added."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from lianxing.store.database import Database


def adjustments(db: Database, period: str) -> list[dict[str, Any]]:
    cursor = db.con.execute(
        """SELECT adjustment_id, person, points, reason, made_by, made_at
           FROM score_adjustments WHERE period = ? ORDER BY adjustment_id""",
        [period],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def add_adjustment(
    db: Database, period: str, person: str, points: Decimal, reason: str, made_by: str
) -> int:
    now = datetime.now(UTC)
    with db.transaction() as con:
        row = con.execute(
            """INSERT INTO score_adjustments (period, person, points, reason, made_by, made_at)
               VALUES (?, ?, ?, ?, ?, ?) RETURNING adjustment_id""",
            [period, person, points, reason, made_by, now],
        ).fetchone()
        con.execute(
            "INSERT INTO score_log VALUES (?, ?, 'adjust', ?, ?)",
            [now, period, made_by, f"{person} {points:+} — {reason}"],
        )
    assert row is not None
    return int(row[0])


def closed(db: Database, period: str) -> tuple[str, str, datetime] | None:
    """(scores JSON, closed by, closed at) of a closed period; None if open."""
    row = db.con.execute(
        "SELECT scores, closed_by, closed_at FROM closed_scores WHERE period = ?", [period]
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def close(db: Database, period: str, scores: str, made_by: str, detail: str | None = None) -> None:
    now = datetime.now(UTC)
    with db.transaction() as con:
        con.execute("INSERT INTO closed_scores VALUES (?, ?, ?, ?)", [period, made_by, now, scores])
        con.execute(
            "INSERT INTO score_log VALUES (?, ?, 'close', ?, ?)", [now, period, made_by, detail]
        )


def has_data(db: Database, first: date, last: date) -> bool:
    """Whether the ledger has any row dated from `first` to `last`."""
    row = db.con.execute(
        "SELECT 1 FROM ledger WHERE business_date BETWEEN ? AND ? LIMIT 1", [first, last]
    ).fetchone()
    return row is not None


def reopen(db: Database, period: str, made_by: str, reason: str) -> None:
    now = datetime.now(UTC)
    with db.transaction() as con:
        con.execute("DELETE FROM closed_scores WHERE period = ?", [period])
        con.execute(
            "INSERT INTO score_log VALUES (?, ?, 'reopen', ?, ?)", [now, period, made_by, reason]
        )


def log(db: Database, period: str | None = None) -> list[dict[str, Any]]:
    cursor = db.con.execute(
        """SELECT logged_at, period, action, made_by, detail FROM score_log
           WHERE ? IS NULL OR period = ? ORDER BY logged_at""",
        [period, period],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def ledger_skus(db: Database) -> set[str]:
    """Every SKU the ledger has a row for."""
    rows = db.con.execute("SELECT DISTINCT sku FROM ledger WHERE sku IS NOT NULL").fetchall()
    return {str(row[0]) for row in rows}
