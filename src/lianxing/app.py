"""The facade: one object the CLI, web, reports and scheduler all use.

It opens a workspace and its database and exposes what a user can do — import,
profit, sources — without callers touching SQL or file formats.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from lianxing import cogs_check, health, private
from lianxing.bridge import MEASURES as bridge_measures
from lianxing.bridge import Bridge, decompose, parse_period
from lianxing.categories import load_categories
from lianxing.codemap import CodeMap
from lianxing.costing import audit, derive, whatif
from lianxing.costing.derive import Books, Derived
from lianxing.data import read_data
from lianxing.errors import InputError, LianxingError
from lianxing.fees.estimate import FeeEstimate
from lianxing.i18n import column_labels, language
from lianxing.ingest import (
    amazon_settlement,
    batches,
    costs,
    mapped,
    product_specs,
    rates,
    registry,
    sniff,
    textfile,
)
from lianxing.ingest.amazon_settlement import SettlementImport
from lianxing.ingest.batches import BatchImport
from lianxing.ingest.csv_sheet import SheetImport, sheet_kind
from lianxing.ingest.product_specs import ProductImport
from lianxing.ingest.tabular import ImportOptions, ReportImport
from lianxing.kpi_report import (
    COMPARES,
    KpiReport,
    build_kpis,
    compare_rows,
    compile_query,
    measure_sums,
    shift,
    shift_end,
)
from lianxing.kpis import Kpi, load_kpis
from lianxing.money import is_currency, normalize_currency
from lianxing.output import dumps
from lianxing.pay import FILE as PAY_FILE
from lianxing.pay import check_period as check_pay_period
from lianxing.pay import load_pay, plan_for
from lianxing.people import FILE as PEOPLE_FILE
from lianxing.people import Person, load_people
from lianxing.people import spans as ownership_spans
from lianxing.periods import (
    check_closable,
    closer,
    coverage,
    last_complete_month,
    mark_partial,
    period_stage,
    scaled,
    summable,
)
from lianxing.periods import kind as period_kind
from lianxing.products import FILE as PRODUCTS_FILE
from lianxing.products import read_products
from lianxing.profit import ProfitReport, build_profit
from lianxing.scorecards import FILE as SCORECARDS_FILE
from lianxing.scorecards import card_for, floor_misplaced, load_scorecards
from lianxing.scorecards import points as score_points
from lianxing.store import (
    costing_store,
    kpi_sql,
    measure_days,
    reports,
    source_admin,
    team_store,
)
from lianxing.store.database import Database
from lianxing.targets import FILE as TARGETS_FILE
from lianxing.targets import goal_attainment, load_targets, status
from lianxing.team_checks import check_audiences, check_people, check_targets
from lianxing.templates import Template, load_templates, targets_yaml
from lianxing.workspace import Workspace

ProgressFn = Callable[[int, int], None]
KPI_FILE = "kpis.yaml"
CENT = Decimal("0.01")  # a workspace's own KPIs, beside lianxing.toml
StageFn = Callable[[str], None]


class Lianxing:
    """A workspace opened for work. Use as a context manager, or call close()."""

    def __init__(self, workspace: Workspace, *, threads: int | None = None):
        self.workspace = workspace
        self.db = Database(workspace.database_path, temp_dir=workspace.temp_dir, threads=threads)
        self.categories = load_categories()
        self._kpis: tuple[int | None, dict[str, Kpi]] | None = None
        self._books: Books | None = None

    @classmethod
    def open(cls, root: Path | str | None = None) -> Lianxing:
        return cls(Workspace.find(root))

    @classmethod
    def init(
        cls, root: Path, *, reporting_currency: str = "USD", lang: str | None = None
    ) -> Lianxing:
        reporting_currency = normalize_currency(reporting_currency)
        if not is_currency(reporting_currency):
            raise InputError.at("value.currency", value=reporting_currency)
        return cls(Workspace.create(root, reporting_currency=reporting_currency, lang=lang))

    def __enter__(self) -> Lianxing:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # ---- imports ---------------------------------------------------------------------
    def import_settlement(
        self,
        path: Path,
        *,
        store_id: str | None = None,
        progress: ProgressFn | None = None,
        stage: StageFn | None = None,
    ) -> SettlementImport:
        text = textfile.open_text(path, temp_dir=self.workspace.temp_dir, progress=progress)
        try:
            return amazon_settlement.import_settlement(
                self.db, self.workspace, text, store_id=store_id, stage=stage
            )
        finally:
            text.finish_quietly()
            if text.readable_path is not None:
                text.readable_path.unlink(missing_ok=True)

    def import_file(
        self,
        path: Path,
        *,
        store_id: str | None = None,
        progress: ProgressFn | None = None,
        stage: StageFn | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        mapping: Path | None = None,
        replace: bool = False,
    ) -> SettlementImport | SheetImport | ReportImport:
        """Import any file Lianxing knows, chosen by its header: a settlement, a
        platform report, a unit-cost or rate sheet, or a file one of the workspace's
        mapping files (mappings/*.yaml) describes (so a folder imports at once).
        With `mapping`, the file is read as that mapping file says. `replace`: the file
        replaces an import of the same content under another mapping (else it is
        "already imported")."""
        sniff.refuse_not_data(path)  # a PDF, image, archive, .xls …: named, never read
        if mapping is not None:
            return self.import_mapped(path, mapping, store_id=store_id, replace=replace)
        kind = sheet_kind(path)
        if kind == "cogs":
            return self.import_costs(path)
        if kind == "fx":
            return self.import_rates(path)
        found = registry.detect(path)
        if found is not None:
            _fmt, importer = found
            options = ImportOptions(store_id, date_from, date_to)
            result: ReportImport = importer(
                self.db, self.workspace, path, options=options, progress=progress
            )
            return result
        described = mapped.find_mapping(self.workspace, path)
        if described is not None:
            return mapped.import_mapped(
                self.db, self.workspace, path, described,
                options=ImportOptions(store_id, replace=replace),
            )  # fmt: skip
        sniff.refuse_packed(path)  # a workbook or gzip file no importer above took
        return self.import_settlement(path, store_id=store_id, progress=progress, stage=stage)

    def import_costs(self, path: Path) -> SheetImport:
        return costs.import_costs(self.db, path)

    def import_mapped(
        self, path: Path, mapping: Path, *, store_id: str | None = None, replace: bool = False
    ) -> SheetImport | ReportImport:
        """Import a CSV/XLSX file as a mapping file describes it (docs/mapping.md)."""
        return mapped.import_mapped(
            self.db, self.workspace, path, mapping,
            options=ImportOptions(store_id, replace=replace),
        )  # fmt: skip

    def mapping_check(
        self, path: Path, mapping: Path, *, store_id: str | None = None, rows: int = 10
    ) -> mapped.MappingCheck:
        """Check a mapping file against a data file and preview rows; writes nothing."""
        return mapped.check_mapping(
            self.db, self.workspace, path, mapping, store_id=store_id, rows=rows
        )

    def import_rates(self, path: Path) -> SheetImport:
        return rates.import_rates(self.db, path)

    # ---- costing: specs, batches, fee schedules, audit, what-if ----------------------------
    def books(self) -> Books:
        """The fee and duty schedules: built-in, plus the workspace's `fees/*.yaml` and
        `duties.yaml` (loaded once per open workspace)."""
        if self._books is None:
            self._books = Books.load(self.workspace.root)
        return self._books

    def derive(self, *, force: bool = False) -> Derived:
        """Bring the fee estimates and landed lots up to date (cheap when nothing changed)."""
        return derive.ensure(self.db, self.books(), self.workspace.config, force=force)

    def import_products(self, path: Path, *, clear_blanks: bool = False) -> ProductImport:
        return product_specs.import_specs(self.db, path, clear_blanks=clear_blanks)

    def import_batches(self, path: Path) -> BatchImport:
        return batches.import_batches(
            self.db, path, costing_store.specs(self.db), self.books().duties,
            derive.rate_lookup(self.db),
        )  # fmt: skip

    def products(self, on: date | None = None) -> list[dict[str, Any]]:
        """Every product spec with its size tier on `on` (default today)."""
        from lianxing.fees.size_tier import size_tier

        day = on or date.today()
        rows = []
        for spec in costing_store.specs(self.db).values():
            tier, shipping = None, None
            if spec.has_dimensions:
                try:
                    found = size_tier(self.books().fees, spec, day)
                    tier, shipping = found.name, found.shipping_weight_oz
                except LianxingError as exc:
                    tier = exc.key
            rows.append({
                "sku": spec.sku, "category": spec.category, "length_in": spec.length_in,
                "width_in": spec.width_in, "height_in": spec.height_in,
                "weight_oz": spec.weight_oz, "size_tier": tier, "shipping_weight_oz": shipping,
                "hts_code": spec.hts_code, "origin": spec.origin,
                "source": f"{spec.file}:{spec.line}",
            })  # fmt: skip
        return rows

    def lots(self) -> list[dict[str, Any]]:
        """The landed cost of every batch line (USD), with its duty evidence."""
        self.derive()
        return costing_store.lots(self.db)

    def fee_estimate(
        self,
        sku: str,
        price: Decimal,
        *,
        on: date | None = None,
        platform: str = "amazon",
        fulfilment: str = "fba",
        plan: str | None = None,
    ) -> FeeEstimate:
        from lianxing.fees.estimate import estimate

        spec = costing_store.specs(self.db).get(sku)
        if spec is None:
            raise InputError.at("whatif.no_spec", sku=sku)
        if platform == "shopify" and plan is None:
            plan = self.workspace.config.shopify_plan
        return estimate(self.books().fees, spec, price, on or date.today(), platform=platform,
                        fulfilment=fulfilment, plan=plan)  # fmt: skip

    def _amazon_stores(self, store_id: str | None) -> list[str]:
        config = self.workspace.config
        if store_id is not None:
            store = config.store(store_id)
            if store.platform != "amazon":
                raise InputError.at("audit.not_amazon", store=store_id)
            return [store_id]
        return [s.id for s in config.stores if s.platform == "amazon"]

    def audit_fees(
        self,
        *,
        store_id: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        window: int = audit.RETURN_WINDOW_DAYS,
    ) -> audit.AuditReport:
        """FBA fee overcharges and reimbursements owed (lianxing.costing.audit)."""
        if not 1 <= window <= 365:
            raise InputError.at("audit.bad_window", value=str(window))
        return audit.audit(self.db, self.books().fees, self._amazon_stores(store_id),
                           date_from=date_from, date_to=date_to, window=window)  # fmt: skip

    def whatif(
        self,
        sku: str | None,
        scenario: whatif.Scenario,
        *,
        price: Decimal | None = None,
        on: date | None = None,
        store_id: str | None = None,
        days: int = 30,
        origin: str | None = None,
    ) -> Any:
        """Unit economics of a SKU now and under `scenario`; without a SKU, the change
        over a store's (or every store's) last `days` days of sales."""
        config = self.workspace.config
        self.derive()
        # Fees and lots of the day asked about (default today); prices from the last
        # sales on or before it.
        day = on or date.today()
        last = costing_store.last_day(self.db)
        sales_end = min(day, last) if last else day
        platforms = {s.id: s.platform for s in config.stores}
        if sku is None:
            if store_id is not None:
                config.store(store_id)
            return whatif.store_whatif(
                self.db, self.books().fees, scenario, store_id=store_id, platforms=platforms,
                day=day, sales_end=sales_end, days=days, origin=origin,
                plan=config.shopify_plan,
            )  # fmt: skip
        platform = platforms[store_id] if store_id else "amazon"
        if store_id is not None:
            config.store(store_id)
        return whatif.unit_whatif(
            self.db, self.books().fees, sku, scenario, price=price, day=day,
            sales_end=sales_end, store_id=store_id, platform=platform,
            plan=config.shopify_plan if platform == "shopify" else None,
        )  # fmt: skip

    # ---- reports ---------------------------------------------------------------------
    def profit(
        self,
        *,
        by: str = "sku",
        currency: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        store_id: str | None = None,
        basis: str = "all",
    ) -> ProfitReport:
        config = self.workspace.config
        if store_id is not None:
            config.store(store_id)  # unknown store: a clear error, not an empty report
        target = normalize_currency(currency or config.reporting_currency)
        if not is_currency(target):
            raise InputError.at("value.currency", value=currency or "")
        self.derive()
        return build_profit(
            self.db,
            self.categories,
            by=by,
            currency=target,
            fee_tax_recoverable=config.fee_tax_recoverable,
            date_from=date_from,
            date_to=date_to,
            store_id=store_id,
            basis=basis,
        )

    # ---- KPIs ------------------------------------------------------------------------
    def kpi_catalogue(self) -> dict[str, Kpi]:
        """The built-in KPIs, with the workspace's own `kpis.yaml` added or overriding.

        Read once per open workspace (and again if the workspace's file changes)."""
        path = self.workspace.root / KPI_FILE
        stamp = path.stat().st_mtime_ns if path.is_file() else None
        if self._kpis is None or self._kpis[0] != stamp:
            columns = [c.id for c in self.categories.columns]
            self._kpis = (
                stamp,
                load_kpis(kpi_sql.measure_names(columns), path, kpi_sql.SNAPSHOT_MEASURES),
            )
        return self._kpis[1]

    def _kpi_options(
        self,
        by: str = "store",
        period: str = "month",
        currency: str | None = None,
        store_id: str | None = None,
        basis: str = "all",
        person: str | None = None,
    ) -> dict[str, Any]:
        config = self.workspace.config
        if store_id is not None:
            config.store(store_id)
        target = normalize_currency(currency or config.reporting_currency)
        if not is_currency(target):
            raise InputError.at("value.currency", value=currency or "")
        self.derive()
        if by in kpi_sql.PRODUCT_GROUPS:
            products = read_products(self.workspace.root / PRODUCTS_FILE)
            kpi_sql.load_products(
                self.db, [(p.sku, p.parent, p.category, p.owner, p.tags) for p in products]
            )
        if by in kpi_sql.PEOPLE_GROUPS or person is not None:
            team = self.people()
            if person is not None and person not in {p.id for p in team}:
                raise InputError.at("team.unknown_person", person=person)
            found = ownership_spans(team, self.product_tags())
            kpi_sql.load_people(
                self.db,
                [(p.id, p.name, p.team) for p in team],
                [(s.person, s.store_id, s.sku, s.start, s.end, s.level) for s in found],
            )
        return {
            "by": by,
            "period": period,
            "currency": target,
            "fee_tax_recoverable": config.fee_tax_recoverable,
            "stores": [(s.id, s.platform) for s in config.stores],
            "store_id": store_id,
            "basis": basis,
            "person": person,
        }

    def people(self) -> list[Person]:
        """The workspace's team (`people.yaml`), checked against its stores, the tags of
        products.csv and the SKUs known (team_checks)."""
        stores = [s.id for s in self.workspace.config.stores]
        found = load_people(self.workspace.root / PEOPLE_FILE, stores)
        if any(o.kind != "store" for p in found for o in p.owns):
            check_people(found, self.product_tags(), self.known_skus())
        return found

    def known_skus(self) -> set[str]:
        """The SKUs of products.csv and of the ledger."""
        return set(self.product_tags()) | team_store.ledger_skus(self.db)

    def _checked_targets(self, kpis: dict[str, Kpi]) -> list[Any]:
        """targets.yaml, each scope checked against people.yaml, stores and SKUs."""
        targets = load_targets(self.workspace.root / TARGETS_FILE, _directions(kpis))
        scopes = {t.scope for t in targets}
        people = self.people() if scopes & {"person", "team"} else []
        skus = self.known_skus() if "sku" in scopes else set()
        check_targets(targets, people, {s.id for s in self.workspace.config.stores}, skus)
        return targets

    def product_tags(self) -> dict[str, tuple[str, ...]]:
        """SKU → tags, from products.csv."""
        return {p.sku: p.tags for p in read_products(self.workspace.root / PRODUCTS_FILE)}

    def kpi_sql(
        self,
        names: list[str],
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        **grouping: Any,
    ) -> tuple[str, dict[str, Any]]:
        """The query `kpi` runs and its parameters (the measure table brought up to
        date); `grouping` takes `kpi`'s by, period, currency, store_id and basis."""
        options = self._kpi_options(**grouping)
        return compile_query(
            self.db, self.categories, self.kpi_catalogue(), names, date_from=date_from,
            date_to=date_to, **options,
        )  # fmt: skip

    def kpi(
        self,
        names: list[str],
        *,
        by: str = "store",
        period: str = "month",
        currency: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        store_id: str | None = None,
        basis: str = "all",
        compare: str | None = None,
        direct: bool = False,
        person: str | None = None,
    ) -> KpiReport:
        """KPIs per group and period; with `compare` (previous | yoy) each KPI also gets
        its value one period (or one year) earlier and the change. `direct` computes the
        measures from the ledger in the query instead of the measure table (the same
        numbers, slower; for checking the table)."""
        if compare is not None and compare not in COMPARES:
            raise InputError.at("kpi.bad_compare", choices=", ".join(COMPARES))
        kpis = self.kpi_catalogue()
        options = self._kpi_options(by, period, currency, store_id, basis, person)
        options["direct"] = direct
        report = build_kpis(
            self.db, self.categories, kpis, names, date_from=date_from, date_to=date_to, **options
        )
        if compare is None:
            return report
        earlier: tuple[date | None, date | None]
        if period == "total":
            if date_from is None or date_to is None:
                raise InputError.at("kpi.compare_needs_dates")
            if compare == "previous":
                length = date_to - date_from
                earlier = (date_from - length - timedelta(days=1), date_from - timedelta(days=1))
            else:
                earlier = (shift(date_from, "month", "yoy"), shift_end(date_to, "month", "yoy"))
        else:
            earlier = (
                shift(date_from, period, compare) if date_from else None,
                shift_end(date_to, period, compare) if date_to else None,
            )
        before = build_kpis(
            self.db, self.categories, kpis, names, date_from=earlier[0], date_to=earlier[1],
            **options,
        )  # fmt: skip
        compare_rows(report, before, kpis, compare)
        return report

    def kpi_explain(self, name: str, *, by: str = "store", period: str = "month") -> str:
        """The SQL one KPI compiles to (grouped by store and month unless told)."""
        config = self.workspace.config
        sql, _ = compile_query(
            self.db,
            self.categories,
            self.kpi_catalogue(),
            [name],
            by=by,
            period=period,
            currency=config.reporting_currency,
            fee_tax_recoverable=config.fee_tax_recoverable,
            stores=[(s.id, s.platform) for s in config.stores],
        )
        return sql

    def measure_table(self) -> tuple[str, str, dict[str, Any] | None]:
        """The KPI measure table's name, the SQL it is built with, and when it was last
        built (how many rows, how long it took); `kpi_explain` brings it up to date."""
        config = self.workspace.config
        kinds = self.categories.kinds(fee_tax_recoverable=config.fee_tax_recoverable)
        categories = [(c.code, kinds[c.code], c.column) for c in self.categories.categories]
        columns = [c.id for c in self.categories.columns]
        sql = measure_days.build_sql(self.db, categories, columns)
        return measure_days.TABLE, sql, measure_days.status(self.db)

    def kpi_templates(self) -> dict[str, Template]:
        return load_templates(set(self.kpi_catalogue()))

    def apply_template(
        self, name: str, *, scope: str = "business", start: str | None = None
    ) -> Path:
        """Append a template's suggested targets to targets.yaml (created if missing);
        nothing is written if the result would not load."""
        templates = self.kpi_templates()
        if name not in templates:
            raise InputError.at("templates.unknown", template=name, known=", ".join(templates))
        first = start or date.today().strftime("%Y-%m")
        path = self.workspace.root / TARGETS_FILE
        before = path.read_text("utf-8") if path.is_file() else None
        text = before if before is not None else "# Targets: see docs/kpis.md\ntargets:\n"
        if not text.endswith("\n"):
            text += "\n"
        private.write_text(path, text + targets_yaml(templates[name], scope, first))
        try:
            for target in load_targets(path, _directions(self.kpi_catalogue())):
                if target.scope == "store":
                    self.workspace.config.store(target.scope_value or "")
        except BaseException:
            if before is None:
                path.unlink()
            else:
                private.write_text(path, before)
            raise
        return path

    def targets_check(self, period: str | None = None) -> list[dict[str, Any]]:
        """Every target of targets.yaml against its KPI for one period (default: the
        latest month with data): value, target, attainment, status, and for a miss the
        store or SKU that drives it."""
        kpis = self.kpi_catalogue()
        targets = self._checked_targets(kpis)
        span = parse_period(period or self.default_period())
        store_platform = {s.id: s.platform for s in self.workspace.config.stores}
        covered = self.period_coverage(span)
        found = []
        for target in targets:
            kpi = kpis[target.kpi]
            higher = kpi.direction == "higher"
            adds_up = summable(target.kpi, kpis, kpi_sql.SNAPSHOT_MEASURES)
            stage = period_stage(target, span, adds_up, higher)
            row: dict[str, Any] = {
                "target": target.name or target.kpi,
                "kpi": target.kpi,
                "scope": target.label,
                "period": span.label,
                **covered,
            }
            if stage is None:  # the first stage starts later
                found.append({**row, "status": "not_started"})
                continue
            value, children = self._scope_values(target, span, store_platform)
            state = status(value, stage, higher)
            driver = driver_value = None
            if state in ("warning", "critical") and children:
                # The sub-scope furthest on the wrong side: where to look first.
                low = stage.band is not None and value is not None and value < stage.band[0]
                pick = min if higher or low else max
                driver, driver_value = pick(children.items(), key=lambda kv: kv[1])
            found.append(
                {
                    **row,
                    "value": value,
                    "goal": stage.goal,
                    "attainment": goal_attainment(value, stage, higher),
                    "status": state,
                    "driver": driver,
                    "driver_value": driver_value,
                }
            )
        return found

    def default_period(self) -> str:
        """The last complete month: ended, and covered by the data to its last day."""
        return last_complete_month(reports.last_business_date(self.db), date.today(),
                                   reports.first_business_date(self.db))  # fmt: skip

    def period_coverage(self, span: Any) -> dict[str, Any]:
        """Days of the period with data, and whether its figures are estimates."""
        return coverage(span, reports.last_business_date(self.db), date.today())

    def mark_partial(self, rows: list[dict[str, Any]], key: str, grain: str) -> list[Any]:
        """Rows with each partial period's label marked, for a table (periods.py)."""
        return mark_partial(rows, key, grain, reports.last_business_date(self.db), date.today())

    def _scope_values(
        self, target: Any, span: Any, store_platform: dict[str, str]
    ) -> tuple[Any, dict[str, Any]]:
        """The KPI's value for the target's scope, and its values one level down."""
        dates = {"period": "total", "date_from": span.first, "date_to": span.last}

        def rows(by: str, store_id: str | None = None) -> list[dict[str, Any]]:
            return self.kpi([target.kpi], by=by, store_id=store_id, **dates).rows

        def values(found: list[dict[str, Any]], key: str) -> dict[str, Any]:
            return {r[key]: r[target.kpi] for r in found if r[target.kpi] is not None}

        if target.scope == "business":
            total = rows("total")
            return (total[0][target.kpi] if total else None), values(rows("store"), "store")
        if target.scope == "platform":
            mine = {r["platform"]: r[target.kpi] for r in rows("platform")}
            stores = {
                k: v
                for k, v in values(rows("store"), "store").items()
                if store_platform.get(k) == target.scope_value
            }
            return mine.get(target.scope_value), stores
        if target.scope == "store":
            self.workspace.config.store(target.scope_value)  # unknown store: say so
            total = rows("total", target.scope_value)
            value = total[0][target.kpi] if total else None
            return value, values(rows("sku", target.scope_value), "sku")
        if target.scope in ("person", "team"):
            # A person's miss is driven by their stores' SKUs; a team's by its people.
            mine = values(rows(target.scope), target.scope)
            members = {p.id for p in self.people() if p.team == target.scope_value}
            people = values(rows("person"), "person") if target.scope == "team" else {}
            return mine.get(target.scope_value), {k: v for k, v in people.items() if k in members}
        by_sku = values(rows("sku"), "sku")
        return by_sku.get(target.scope_value), {}

    def team_score(self, period: str | None, team: str | None = None) -> list[dict[str, Any]]:
        """Every scored person's scorecard for one period (2026-10, 2026-Q4, 2026): per
        card KPI the value, target, attainment and points, the gates, the manager's
        adjustments, the total and the rank (1 = best). Values come from `kpi show --by
        person` over the period; targets from targets.yaml (person:ID, else team:NAME,
        else the card's own). A closed period gives the scores it was closed with,
        whatever data came later, until it is re-opened. Without a period: the last
        complete month."""
        span = parse_period(period or self.default_period())
        people = self.people()
        if team is not None and not any(p.team == team for p in people):
            known = ", ".join(sorted({p.team for p in people if p.team}))
            raise InputError.at("team.unknown_team", team=team, known=known)
        stored = team_store.closed(self.db, span.label)
        if stored is not None:
            rows = [_revive_score(r) for r in json.loads(stored[0])]
            for row in rows:
                row.update(closed=True, closed_by=stored[1], closed_at=stored[2])
        else:
            rows = self._compute_scores(span, people)
        covered = self.period_coverage(span)
        rows = sorted(
            ({**covered, **r} for r in rows if team is None or r["team"] == team),
            key=lambda r: (-r["total"], r["person"]),
        )
        for place, row in enumerate(rows, 1):
            # Equal totals share a rank (1, 1, 3); the list stays ordered by id among them.
            tied = place > 1 and row["total"] == rows[place - 2]["total"]
            row["rank"] = rows[place - 2]["rank"] if tied else place
        return rows

    def team_template(self, force: bool = False) -> Path:
        """Copy the built-in scorecards (an operator's and a manager's) into the
        workspace's scorecards.yaml to edit; an existing file is kept unless `force`."""
        path = self.workspace.root / SCORECARDS_FILE
        if path.exists() and not force:
            raise InputError.at("team.template_exists", path=str(path))
        text = read_data(SCORECARDS_FILE)
        kpis = {n: k.direction for n, k in self.kpi_catalogue().items()}
        temporary = path.with_name(f".{path.name}.tmp")
        private.write_text(temporary, text)
        try:
            load_scorecards(temporary, kpis)  # the workspace's own KPIs may override
        except BaseException:
            temporary.unlink()
            raise
        temporary.replace(path)
        return path

    def team_history(self, first: str, last: str, team: str | None = None) -> list[dict[str, Any]]:
        """Each scored person's total and rank for every month from `first` to `last`
        (2025-07 … 2025-10): closed months as they were closed, open ones as they are."""
        start, end = parse_period(first).first, parse_period(last).last
        if end < start:
            raise InputError.at("team.bad_range", first=first, last=last)
        found = []
        month = start.replace(day=1)
        while month <= end:
            label = month.strftime("%Y-%m")
            for row in self.team_score(label, team=team):
                found.append({k: row[k] for k in ("person", "name", "team", "period", "total",
                                                  "rank", "closed", "data_days",
                                                  "estimated")})  # fmt: skip
            month = (month + timedelta(days=32)).replace(day=1)
            if len(found) > MAX_HISTORY_ROWS:
                raise InputError.at("team.bad_range", first=first, last=last)
        return found

    def team_adjust(self, period: str, person: str, points: str, reason: str, made_by: str) -> int:
        """Add a manager's adjustment to a person's score for an open period; the reason
        and who made it are kept (adjustments are never changed: correct with another)."""
        span = parse_period(period)
        if person not in {p.id for p in self.people()}:
            raise InputError.at("team.unknown_person", person=person)
        amount = _points(points)
        reason, made_by = _audit_text(reason, "reason"), _audit_text(made_by, "by")
        made_by = closer(self.people(), made_by).id
        if team_store.closed(self.db, span.label) is not None:
            raise InputError.at("team.closed", period=span.label)
        return team_store.add_adjustment(self.db, span.label, person, amount, reason, made_by)

    def team_close(self, period: str, made_by: str, partial: bool = False) -> list[dict[str, Any]]:
        """Close a period: its scores as they are now stand until it is re-opened. A
        period the data does not reach the end of closes only when `partial` says so."""
        span = parse_period(period)
        person = closer(self.people(), _audit_text(made_by, "by"))
        if team_store.closed(self.db, span.label) is not None:
            raise InputError.at("team.closed", period=span.label)
        data_to = reports.last_business_date(self.db)
        has_data = team_store.has_data(self.db, span.first, span.last)
        check_closable(span, has_data, date.today(), data_to, partial)
        rows = self.team_score(span.label)
        detail = f"{person.name} ({person.role}), {len(rows)} scored"
        if data_to is None or data_to < span.last:
            detail += f", partial: data to {data_to}"
        team_store.close(self.db, span.label, dumps(rows), person.id, detail)
        return rows

    def team_reopen(self, period: str, made_by: str, reason: str) -> None:
        span = parse_period(period)
        made_by, reason = _audit_text(made_by, "by"), _audit_text(reason, "reason")
        made_by = closer(self.people(), made_by).id
        if team_store.closed(self.db, span.label) is None:
            raise InputError.at("team.not_closed", period=span.label)
        team_store.reopen(self.db, span.label, made_by, reason)

    def team_log(self, period: str | None = None) -> list[dict[str, Any]]:
        """The audit trail: every close, re-open and adjustment, in order."""
        return team_store.log(self.db, parse_period(period).label if period else None)

    def _compute_scores(self, span: Any, people: list[Person]) -> list[dict[str, Any]]:
        kpis = self.kpi_catalogue()
        cards = load_scorecards(
            self.workspace.root / SCORECARDS_FILE, {n: k.direction for n, k in kpis.items()}
        )
        check_audiences(cards, people, str(self.workspace.root / SCORECARDS_FILE))
        targets = self._checked_targets(kpis)
        scored = [(p, card) for p in people if (card := card_for(p, cards)) is not None]
        if not scored:
            raise InputError.at("team.nobody_scored")
        names = sorted({k.kpi for _, c in scored for k in c.kpis}
                       | {g.kpi for _, c in scored for g in c.gates})  # fmt: skip
        rows = self.kpi(
            names, by="person", period="total", date_from=span.first, date_to=span.last
        ).rows
        values = {r["person"]: r for r in rows}
        owned = self._owned_profit(span)
        adjusted = team_store.adjustments(self.db, span.label)
        result: list[dict[str, Any]] = []
        for person, card in scored:
            mine = values.get(person.id, {})
            shut = {z for g in card.gates if g.shut(mine.get(g.kpi)) for z in g.zero}
            lines: list[dict[str, Any]] = []
            for item in card.kpis:
                higher = kpis[item.kpi].direction == "higher"
                adds_up = summable(item.kpi, kpis, kpi_sql.SNAPSHOT_MEASURES)
                goal = self._goal(targets, item, person, span, adds_up, higher)
                value = mine.get(item.kpi)
                earned, reached = score_points(item, value, goal, higher)
                status = "no_target" if goal is None else "no_data" if value is None else "ok"
                if goal is not None and floor_misplaced(item, goal, higher):
                    status = "bad_floor"
                if item.kpi in shut:
                    earned, status = Decimal("0.00"), "gated"
                lines.append({"name": item.kpi, "weight": item.weight, "rule": item.rule,
                              "value": value, "target": goal, "attainment": reached,
                              "points": earned, "status": status})  # fmt: skip
            earned_total = sum((line["points"] for line in lines), Decimal("0.00"))
            mine_adjusted = [
                {k: a[k] for k in ("points", "reason", "made_by", "made_at")}
                for a in adjusted if a["person"] == person.id
            ]  # fmt: skip
            adjustment = sum((a["points"] for a in mine_adjusted), Decimal("0.00"))
            result.append({
                "person": person.id, "name": person.name, "role": person.role,
                "team": person.team, "scorecard": card.name, "period": span.label,
                "kpi_points": earned_total, "adjustment": adjustment,
                "total": earned_total + adjustment, "closed": False,
                "kpis": lines, "adjustments": mine_adjusted,
                "owned_net_profit": {c: v.get(person.id) for c, v in owned.items()},
            })  # fmt: skip
        return result

    def _owned_profit(self, span: Any) -> dict[str, dict[Any, Decimal]]:
        """Net profit each person owned in the period, in every currency a pay plan with
        a profit share pays in (kept with the scores, so a closed period pays the same)."""
        plans = load_pay(self.workspace.root / PAY_FILE)
        found: dict[str, dict[Any, Decimal]] = {}
        for currency in sorted({p.currency for p in plans
                                if any(r.kind == "profit_share" for r in p.rules)}):  # fmt: skip
            rows = self.kpi(["net_profit"], by="person", period="total", currency=currency,
                            date_from=span.first, date_to=span.last).rows  # fmt: skip
            found[currency] = {r["person"]: r["net_profit"] for r in rows}
        return found

    def team_review(self, person: str, period: str, months: int = 6) -> dict[str, Any]:
        """What a one-page review (复盘) of a person's period shows: the scorecard, the
        card KPIs month by month (the `months` up to the period's end), the SKUs whose
        net profit rose or fell most against the period before (on the person's own
        days), the person's targets off track, and the adjustments."""
        span = parse_period(period)
        scores = self.team_score(span.label)
        mine = next((r for r in scores if r["person"] == person), None)
        if mine is None:
            raise InputError.at("team.not_scored", person=person, period=span.label)
        names = [line["name"] for line in mine["kpis"]]
        start = shift(span.last.replace(day=1), "month", "previous")
        for _ in range(months - 2):
            start = shift(start, "month", "previous")
        trend = self.kpi(names, by="total", period="month", date_from=start,
                         date_to=span.last, person=person).rows  # fmt: skip
        # The period before, by the calendar: the month, quarter, year or day before.
        label = span.label
        kind = ("quarter" if "Q" in label else "year" if len(label) == 4
                else "day" if len(label) == 10 else "month")  # fmt: skip
        before_first = shift(span.first, kind, "previous")
        before_last = span.first - timedelta(days=1)

        def by_sku(first: date, last: date) -> dict[Any, Decimal]:
            rows = self.kpi(["net_profit"], by="sku", period="total", date_from=first,
                            date_to=last, person=person).rows  # fmt: skip
            return {r["sku"]: r["net_profit"] for r in rows}

        now, earlier = by_sku(span.first, span.last), by_sku(before_first, before_last)
        changes = [
            {"sku": sku, "now": now.get(sku, Decimal("0.00")),
             "before": earlier.get(sku, Decimal("0.00")),
             "change": now.get(sku, Decimal("0.00")) - earlier.get(sku, Decimal("0.00"))}
            for sku in {*now, *earlier}
        ]  # fmt: skip
        changes.sort(key=lambda r: (r["change"], str(r["sku"])))
        alerts = [
            a for a in self.targets_check(span.label)
            if a["scope"] == f"person:{person}" and a["status"] in ("warning", "critical")
        ]  # fmt: skip
        lang = language()
        catalogue = self.kpi_catalogue()
        return {
            "lang": lang,
            "units": {n: k.unit for n, k in catalogue.items()},
            "labels": {
                **column_labels(self.categories),
                **{n: k.label[lang] for n, k in catalogue.items()},
            },
            "score": mine,
            "people": len(scores),
            "trend": trend,
            "before": f"{before_first.isoformat()}…{before_last.isoformat()}",
            "helped": [r for r in reversed(changes) if r["change"] > 0][:5],
            "hurt": [r for r in changes if r["change"] < 0][:5],
            "alerts": alerts,
            # SKUs sold without a unit cost: the profit shown (and paid on) is too high.
            "missing_costs": (
                cogs_check.missing_costs(self.db, span.first, span.last)
                if cogs_check.uses_cogs(catalogue, names)
                else []
            ),
        }

    def team_payout(self, period: str, team: str | None = None) -> list[dict[str, Any]]:
        """What each scored person is paid for the period by pay.yaml: per rule kind
        (score × base, profit share, tiers) and in total, in the plan's currency."""
        plans = load_pay(self.workspace.root / PAY_FILE)
        if not plans:
            raise InputError.at("pay.none")
        people = {p.id: p for p in self.people()}
        check_audiences(plans, list(people.values()), str(self.workspace.root / PAY_FILE))
        span = parse_period(period)
        check_pay_period(plans, list(people.values()), span.label, period_kind(span))
        result = []
        for row in self.team_score(span.label, team=team):
            plan = plan_for(people[row["person"]], plans) if row["person"] in people else None
            if plan is None:
                continue
            stored = row.get("owned_net_profit") or {}
            sharing = any(r.kind == "profit_share" for r in plan.rules)
            if sharing and plan.currency not in stored:
                # A closed period keeps owned profit only in the currencies its plans
                # shared profit in: another currency now cannot be paid from it.
                raise InputError.at("pay.currency_not_kept", period=row["period"],
                                    currency=plan.currency, person=row["person"])  # fmt: skip
            profit = stored.get(plan.currency)
            parts = {kind: Decimal("0.00") for kind in ("score", "profit_share", "tiers")}
            for rule in plan.rules:
                parts[rule.kind] += rule.amount(row["total"], profit)
            result.append({
                "person": row["person"], "name": row["name"], "team": row["team"],
                "period": row["period"], "score": row["total"], "plan": plan.name,
                "currency": plan.currency, "owned_net_profit": profit,
                "score_pay": parts["score"], "profit_share": parts["profit_share"],
                "tier_pay": parts["tiers"], "payout": sum(parts.values(), Decimal("0.00")),
                "closed": row.get("closed", False),
                "data_days": row["data_days"], "estimated": row["estimated"],
            })  # fmt: skip
        return result

    @staticmethod
    def _goal(
        targets: list[Any], item: Any, person: Person, span: Any, adds_up: bool, higher: bool
    ) -> Decimal | tuple[Decimal, Decimal] | None:
        """The target of a card KPI for a person over the period (docs/team.md):
        person:ID, else team:NAME, else the card's own (a band: (floor, ceiling))."""
        for scope, value in (("person", person.id), ("team", person.team)):
            for target in targets:
                mine = target.scope == scope and target.scope_value == value
                if target.kpi == item.kpi and mine:
                    stage = period_stage(target, span, adds_up, higher)
                    if stage is not None:
                        return stage.goal
        return scaled(item.target, span, adds_up)

    def bridge(
        self,
        period_from: str,
        period_to: str,
        *,
        by: str | None = None,
        currency: str | None = None,
        store_id: str | None = None,
    ) -> Bridge:
        """Why net profit changed from one period to another, line by line."""
        config = self.workspace.config
        if store_id is not None:
            config.store(store_id)
        if by not in (None, "store", "sku"):
            raise InputError.at("bridge.bad_by", choices="store, sku")
        target = normalize_currency(currency or config.reporting_currency)
        if not is_currency(target):
            raise InputError.at("value.currency", value=currency or "")
        a, b = parse_period(period_from), parse_period(period_to)
        stores = [(s.id, s.platform) for s in config.stores]
        self.derive()

        def sums(period: Any, store: str | None) -> dict[Any, dict[str, Any]]:
            rows = measure_sums(
                self.db,
                self.categories,
                list(bridge_measures),
                by="sku",
                period="total",
                currency=target,
                fee_tax_recoverable=config.fee_tax_recoverable,
                stores=stores,
                date_from=period.first,
                date_to=period.last,
                store_id=store,
            )
            return {r["sku"]: r for r in rows}

        def profit(side: dict[Any, dict[str, Any]]) -> Decimal:
            total = sum((Decimal(r["net_profit"] or 0) for r in side.values()), Decimal(0))
            return total.quantize(CENT, ROUND_HALF_UP)

        before, after = sums(a, store_id), sums(b, store_id)
        lines, per_sku = decompose(before, after, profit(after) - profit(before))
        result = Bridge(a, b, target, profit(before), profit(after), lines, by=by)
        if by == "sku":
            result.breakdown = [
                {"sku": sku, **{k: v.quantize(CENT, ROUND_HALF_UP) for k, v in row.items()}}
                for sku, row in per_sku.items()
            ]
        elif by == "store":
            for store in [store_id] if store_id else [s for s, _ in stores]:
                x, y = sums(a, store), sums(b, store)
                store_lines, _ = decompose(x, y, profit(y) - profit(x))
                result.breakdown.append(
                    {
                        "store": store,
                        "net_profit": profit(y) - profit(x),
                        **{line["name"]: line["amount"] for line in store_lines},
                    }
                )
        return result

    def ledger(
        self,
        *,
        sku: str | None = None,
        category: str | None = None,
        order_id: str | None = None,
        settlement_id: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        store_id: str | None = None,
        limit: int = 50,
        basis: str = "all",
    ) -> list[dict[str, Any]]:
        """The ledger rows behind a number, with the source file and line of each."""
        if basis not in reports.BASES:
            raise InputError.at("report.bad_basis", choices=", ".join(reports.BASES))
        if store_id is not None:
            self.workspace.config.store(store_id)  # unknown store: an error, not "no rows"
        if category is not None:
            codes = self.categories.codes()
            if not any(c == category or c.startswith(category + ".") for c in codes):
                raise InputError.at("report.bad_category", value=category)
        flt = reports.LedgerFilter(date_from, date_to, store_id, basis)
        return reports.ledger_rows(
            self.db,
            flt,
            sku=sku,
            category=category,
            order_id=order_id,
            settlement_id=settlement_id,
            limit=limit,
        )

    def sources(self) -> list[dict[str, Any]]:
        """Every imported file still counting, with its reconciliation."""
        return reports.sources(self.db)

    # ---- fixing what was imported (lianxing.store.source_admin) -----------------------
    def forget_source(self, source_id: int) -> source_admin.SourceChange:
        """Remove an imported file and everything written from it."""
        return source_admin.forget(self.db, source_id)

    def move_source(self, source_id: int, store_id: str) -> source_admin.SourceChange:
        """Give an imported file to another store of the same marketplace."""
        return source_admin.move(self.db, self.workspace, source_id, store_id)

    def rename_store(self, old: str, new: str) -> source_admin.SourceChange:
        return source_admin.rename_store(self.db, self.workspace, old, new)

    def remove_store(self, store_id: str) -> source_admin.SourceChange:
        return source_admin.remove_store(self.db, self.workspace, store_id)

    def source_log(self) -> list[dict[str, Any]]:
        return source_admin.log(self.db)

    def coverage(self) -> list[dict[str, Any]]:
        """Per store and kind of source: dates covered, gaps, last import, rows."""
        return health.coverage(self.db)

    def store_health(self) -> list[dict[str, Any]]:
        return health.store_health(self.db, self.categories, self.workspace.config)

    def doctor(self, today: date | None = None) -> list[health.Check]:
        """Every data-health check; the ones not `ok` need a person."""
        return health.checks(
            self.db,
            self.categories,
            self.workspace.config,
            stale_files=self.stale_mappings(),
            today=today or date.today(),
            kpis=self.kpi_catalogue(),
            owners=self._store_owners(),
        )

    def _store_owners(self) -> dict[str, list[str]]:
        """Store → the people who own it or SKUs in it (people.yaml; none if unreadable:
        the doctor still runs)."""
        try:
            found = ownership_spans(self.people(), self.product_tags())
        except LianxingError:
            return {}
        owners: dict[str, set[str]] = {}
        for span in found:
            if span.store_id:
                owners.setdefault(span.store_id, set()).add(span.person)
        return {store: sorted(people) for store, people in owners.items()}

    def stale_mappings(self) -> list[str]:
        """Files whose codes were mapped with other rules than today's (any platform)."""
        fingerprints = {}
        for platform in {s.platform for s in self.workspace.config.stores} | {"amazon"}:
            try:
                extra = self.workspace.config.mapping_rules().get(platform, [])
                fingerprints[platform] = CodeMap(platform, extra).fingerprint
            except FileNotFoundError:  # a platform with no importer yet
                continue
        return reports.stale_sources(self.db, fingerprints)

    def unmapped(self) -> list[reports.UnmappedCode]:
        return reports.unmapped_codes(self.db)


# The payroll sheet's columns (`lianxing team payout`, the demo's payout files).
PAYOUT_COLUMNS = ["person", "name", "team", "period", "score", "plan", "currency",
                  "owned_net_profit", "score_pay", "profit_share", "tier_pay",
                  "payout"]  # fmt: skip
MAX_ADJUSTMENT = Decimal(100)
MAX_HISTORY_ROWS = 100_000  # 36 months of a large team; more is surely a typo
MAX_AUDIT_TEXT = 500
# Numbers of a stored score that come back as Decimal (JSON keeps them as text).
_SCORE_NUMBERS = ("kpi_points", "adjustment", "total")
_LINE_NUMBERS = ("weight", "value", "target", "attainment", "points")


def _points(text: str) -> Decimal:
    """An adjustment: a number of points from −100 to 100, to the hundredth."""
    try:
        value = Decimal(str(text).strip())
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite() or abs(value) > MAX_ADJUSTMENT or value != value.quantize(CENT):
        raise InputError.at("team.bad_points", value=str(text), most=MAX_ADJUSTMENT)
    return value.quantize(CENT)


def _audit_text(text: str, field: str) -> str:
    """A reason or a name for the audit trail: not empty, one line, not too long."""
    value = (text or "").strip()
    if not value or len(value) > MAX_AUDIT_TEXT or any(ord(c) < 32 for c in value):
        raise InputError.at("team.bad_text", field=field, most=MAX_AUDIT_TEXT)
    return value


def _directions(kpis: dict[str, Kpi]) -> dict[str, str]:
    """KPI name → direction (higher | lower | band)."""
    return {n: k.direction for n, k in kpis.items()}


def _revive_score(row: dict[str, Any]) -> dict[str, Any]:
    """A stored score (JSON) with its numbers as Decimal again."""

    def number(value: Any) -> Any:
        if isinstance(value, list):  # a band target: (floor, ceiling)
            return tuple(Decimal(str(v)) for v in value)
        return None if value is None else Decimal(str(value))

    for key in _SCORE_NUMBERS:
        row[key] = number(row.get(key))
    for line in row.get("kpis", []):
        for key in _LINE_NUMBERS:
            line[key] = number(line.get(key))
    row["owned_net_profit"] = {c: number(v) for c, v in (row.get("owned_net_profit") or {}).items()}
    for adjustment in row.get("adjustments", []):
        adjustment["points"] = number(adjustment.get("points"))
        adjustment["made_at"] = datetime.fromisoformat(adjustment["made_at"])
    return row
