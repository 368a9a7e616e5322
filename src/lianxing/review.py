"""The one-page review (复盘) of a person's period, as HTML and as XLSX.

The facade gathers the numbers (`Lianxing.team_review`): the scorecard with each KPI
against its target, the KPIs' monthly trend, the SKUs whose net profit rose or fell
most against the period before (on the person's own days), the person's targets that
are off track, and the adjustments. This module only lays them out: one self-contained
HTML page (no scripts, no outside files; every text escaped) with room for comments,
and a workbook with the same tables.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from lianxing import cogs_check
from lianxing.export import write_sheets, write_text
from lianxing.i18n import t

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       margin: 24px; color: #1f2933; max-width: 980px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 20px 0 6px; }
.meta { color: #52606d; margin-bottom: 12px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #d9e2ec; padding: 4px 8px; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.total { font-size: 28px; font-weight: bold; }
.bad { color: #b42318; } .good { color: #067647; }
.comments { border: 1px solid #9fb3c8; height: 120px; margin-top: 6px; }
@media print { body { margin: 8mm; } }
"""


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value:,.4f}"
    return str(value)


def _unit(value: Any, unit: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, tuple):  # a band: floor–ceiling
        return "–".join(_unit(v, unit) for v in value)
    number = Decimal(value)
    if unit in ("percent",):
        return f"{number * 100:.1f}%"
    if unit == "count":
        return f"{number:,.0f}"
    return f"{number:,.2f}"


def _table(headers: Sequence[str], rows: Sequence[Sequence[tuple[str, bool, str]]]) -> str:
    """An HTML table: each cell is (text, numeric, css class); all text escaped."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"n " if numeric else ""}{css}">{html.escape(text)}</td>'
            for text, numeric, css in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(review: Mapping[str, Any]) -> str:
    """The review as one HTML page (in the current language)."""
    score = review["score"]
    units: Mapping[str, str] = review["units"]
    labels: Mapping[str, str] = review["labels"]
    parts = [
        f"<h1>{html.escape(t('review.title', name=score['name'], period=score['period']))}</h1>",
        '<div class="meta">'
        + html.escape(
            t(
                "review.meta",
                person=score["person"],
                team=score["team"] or "—",
                card=score["scorecard"],
            )
        )
        + "</div>",
        f'<div class="total">{html.escape(_text(score["total"]))}</div>',
        f"<div>{html.escape(t('review.rank', rank=score['rank'], of=review['people']))}</div>",
        f"<h2>{html.escape(t('review.kpis'))}</h2>",
    ]
    warning = cogs_check.warning(review.get("missing_costs") or [], "cogs.missing_pay")
    if warning:
        parts.insert(-1, f'<p class="bad">{html.escape(warning)}</p>')
    kpi_rows = []
    for line in score["kpis"]:
        unit = units[line["name"]]
        state = "bad" if line["status"] in ("gated", "no_target", "no_data", "bad_floor") else ""
        kpi_rows.append(
            [
                (labels.get(line["name"], line["name"]), False, ""),
                (_text(line["weight"]), True, ""),
                (_unit(line["value"], unit), True, ""),
                (_unit(line["target"], unit), True, ""),
                (_unit(line["attainment"], "percent"), True, ""),
                (_text(line["points"]), True, ""),
                (t(f"team.status.{line['status']}"), False, state),
            ]
        )
    parts.append(
        _table(
            [
                t("review.kpi"),
                t("review.weight"),
                t("review.value"),
                t("review.target"),
                t("review.attainment"),
                t("review.points"),
                t("review.status"),
            ],
            kpi_rows,
        )
    )
    if score.get("adjustments"):
        parts.append(f"<h2>{html.escape(t('review.adjustments'))}</h2>")
        parts.append(
            _table(
                [t("review.points"), t("review.reason"), t("review.by")],
                [
                    [
                        (_text(a["points"]), True, ""),
                        (a["reason"], False, ""),
                        (a["made_by"], False, ""),
                    ]
                    for a in score["adjustments"]
                ],
            )
        )
    trend = review["trend"]
    if trend:
        names = [line["name"] for line in score["kpis"]]
        parts.append(f"<h2>{html.escape(t('review.trend'))}</h2>")
        parts.append(
            _table(
                [t("review.period"), *(labels.get(n, n) for n in names)],
                [
                    [
                        (row["period"], False, ""),
                        *((_unit(row.get(n), units[n]), True, "") for n in names),
                    ]
                    for row in trend
                ],
            )
        )
    for key, found, css in (
        ("review.helped", review["helped"], "good"),
        ("review.hurt", review["hurt"], "bad"),
    ):
        parts.append(f"<h2>{html.escape(t(key, before=review['before']))}</h2>")
        parts.append(
            _table(
                [t("review.sku"), t("review.now"), t("review.before_col"), t("review.change")],
                [
                    [
                        (r["sku"] or "—", False, ""),
                        (_text(r["now"]), True, ""),
                        (_text(r["before"]), True, ""),
                        (_text(r["change"]), True, css),
                    ]
                    for r in found
                ],
            )
            if found
            else f"<p>{html.escape(t('review.none'))}</p>"
        )
    parts.append(f"<h2>{html.escape(t('review.alerts'))}</h2>")
    alerts = review["alerts"]
    parts.append(
        _table(
            [t("review.kpi"), t("review.value"), t("review.target"), t("review.status")],
            [
                [
                    (labels.get(a["kpi"], a["kpi"]), False, ""),
                    (_unit(a.get("value"), units[a["kpi"]]), True, ""),
                    (_unit(a.get("goal"), units[a["kpi"]]), True, ""),
                    (t(f"targets.status.{a['status']}"), False, "bad"),
                ]
                for a in alerts
            ],
        )
        if alerts
        else f"<p>{html.escape(t('review.no_alerts'))}</p>"
    )
    parts.append(f"<h2>{html.escape(t('review.comments'))}</h2>")
    parts.append('<div class="comments"></div>')
    title = html.escape(t("review.title", name=score["name"], period=score["period"]))
    return (
        '<!DOCTYPE html>\n<html lang="' + html.escape(review["lang"]) + '"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<title>{title}</title><style>{STYLE}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>\n"
    )


def write_review(path: Path, review: Mapping[str, Any]) -> Path:
    """The review to `path`: .html (one page) or .xlsx (the same tables, one sheet
    each). Written whole or not at all."""
    if path.suffix.lower() == ".html":
        page = render_html(review)
        return write_text(path, page)
    score = review["score"]
    sheets = [
        (
            t("review.kpis"),
            [{**line, "status": t(f"team.status.{line['status']}")} for line in score["kpis"]],
            ["name", "weight", "value", "target", "attainment", "points", "status"],
        ),
        (
            t("review.trend"),
            list(review["trend"]),
            ["period", *(line["name"] for line in score["kpis"])],
        ),
        (
            t("review.skus"),
            [*review["helped"], *review["hurt"]],
            ["sku", "now", "before", "change"],
        ),
    ]
    warning = cogs_check.warning(review.get("missing_costs") or [], "cogs.missing_pay")
    if warning:
        sheets.append((t("review.warnings"), [{"warning": warning}], ["warning"]))
    labels = {**review["labels"], "now": t("review.now"), "before": t("review.before_col"),
              "change": t("review.change"), "warning": t("review.warnings")}  # fmt: skip
    return write_sheets(path, sheets, labels)
