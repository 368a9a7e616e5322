"""Layers import in one direction, and only the store layer speaks SQL to DuckDB."""

from __future__ import annotations

import ast

from conftest import REPO

PACKAGE = REPO / "src" / "lianxing"
# A module may import from its own layer and the layers below it (lower number).
LAYERS = {
    "errors": 0,
    "i18n": 0,
    "money": 0,
    "data": 0,
    "formats": 0,
    "categories": 1,
    "codemap": 1,
    "kpis": 1,
    "kpi_sources": 1,  # which report each measure needs (the KPI catalogue's sources)
    "targets": 1,
    "templates": 1,
    "products": 1,
    "people": 1,
    "scorecards": 1,
    "workspace": 1,
    "store": 2,
    "ingest": 3,
    "profit": 3,
    "health": 3,
    "kpi_report": 3,
    "cogs_check": 3,  # SKUs sold without a unit cost, for the warnings
    "bridge": 1,
    "app": 4,
    "output": 4,
    "demo_data": 0,
    "demo_costing": 1,  # the demo's specs and batches, and its FBA rate card (fees)
    "yaml_list": 0,
    "notices": 0,  # what a command notes beside its result, shown by the interface
    "demo_reports": 0,
    "demo_long_term": 0,  # the demo's long-term storage fee reports
    "demo_transactions": 0,  # the demo's Date Range transaction report
    "demo_platforms": 0,
    "demo_sheets": 0,
    "demo_team": 0,
    "demo_workbooks": 0,  # the demo's .xlsx downloads, typed cells as Amazon writes them
    "pay": 1,
    "periods": 1,  # targets and pay over quarters, years, days; partial periods
    "team_checks": 1,  # the team's files checked against each other
    "product_specs": 0,
    "fees": 1,  # fee schedules and the estimator: data and arithmetic, no database
    "landed": 3,  # duties and batches (reads batch files with the sheet reader)
    "costing": 4,  # derives fee estimates and landed lots, audits fees, what-if
    "export": 4,
    "review": 4,
    "demo": 5,
    "private": 0,  # owner-only files and folders (personal and pay data)
    "demo_folder": 2,  # the demo's marker: which files in its folder it wrote
    "cli": 6,
    "cli_costing": 6,
    "cli_sources": 6,
    "cli_tables": 6,
    "cli_options": 6,  # option values as typed (any case, months); reads the choices
    "__main__": 7,
}


def modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        top = parts[0] if parts[0] != "__init__" else "__init__"
        found.append((top, ast.parse(path.read_text("utf-8"))))
    return found


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "lianxing":
            # `from lianxing import private`: the module private (not `__version__`)
            names.update(f"lianxing.{a.name}" for a in node.names if not a.name.startswith("_"))
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_layers_import_downward_only() -> None:
    for top, tree in modules():
        if top == "__init__":
            continue
        for name in imported(tree):
            if not name.startswith("lianxing."):
                continue
            target = name.split(".")[1]
            if name.endswith("messages"):
                continue  # a package's message table is data (both languages), layer 0
            assert LAYERS[target] <= LAYERS[top], f"{top} must not import {name}"


def test_only_the_store_layer_uses_duckdb() -> None:
    for top, tree in modules():
        if "duckdb" in {n.split(".")[0] for n in imported(tree)}:
            assert top == "store", f"{top} imports duckdb"
