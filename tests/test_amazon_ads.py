"""Sponsored Products report: ad spend facts, and the settlement's ad charge split by them."""

from __future__ import annotations

import gzip
import json
import tempfile
from decimal import Decimal
from itertools import permutations
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ledger_fingerprint, v2_row, write_table, write_v2
from lianxing.app import Lianxing
from lianxing.errors import InputError

# Console download headers, as in report-formats.md (some end with a space).
CONSOLE = [
    "Date",
    "Portfolio name",
    "Currency",
    "Campaign Name",
    "Ad Group Name",
    "Advertised SKU",
    "Advertised ASIN",
    "Impressions",
    "Clicks",
    "Click-Thru Rate (CTR)",
    "Cost Per Click (CPC)",
    "Spend ",
    "7 Day Total Sales ",
    "Total Advertising Cost of Sales (ACOS) ",
    "Total Return on Advertising Spend (ROAS)",
    "7 Day Total Orders (#)",
    "7 Day Total Units (#)",
    "7 Day Conversion Rate",
]


def ad(day: str, campaign: str, sku: str, spend: str, *, clicks: str = "10") -> dict[str, str]:
    return {
        "Date": day,
        "Currency": "USD",
        "Campaign Name": campaign,
        "Ad Group Name": "Group 1",
        "Advertised SKU": sku,
        "Advertised ASIN": "B0" + sku,
        "Impressions": "1,200",
        "Clicks": clicks,
        "Click-Thru Rate (CTR)": "0.83%",
        "Cost Per Click (CPC)": "$0.50",
        "Spend ": spend,
        "7 Day Total Sales ": "$1,234.00",
        "7 Day Total Orders (#)": "3",
        "7 Day Total Units (#)": "4",
    }


def settlement_with_ads(path: Path, charge: str = "-100.00") -> Path:
    """March: an order of each SKU, and one account-level advertising charge."""
    return write_v2(
        path,
        [
            v2_row("Order", "ItemPrice", "Principal", "50.00", order="1", sku="MUG", qty="1"),
            v2_row("Order", "ItemPrice", "Principal", "50.00", order="2", sku="CUP", qty="1"),
            v2_row(
                "ServiceFee",
                "Cost of Advertising",
                "TransactionTotalAmount",
                charge,
                when="2026-03-10 12:00:00 UTC",
            ),
        ],
    )


def test_console_csv_facts(lx: Lianxing, tmp_path: Path) -> None:
    write_v2(
        tmp_path / "s.txt",
        [v2_row("Order", "ItemPrice", "Principal", "5", order="1", sku="MUG", qty="1")],
    )
    lx.import_file(tmp_path / "s.txt")
    path = write_table(
        tmp_path / "sp.csv",
        CONSOLE,
        [
            ad("Mar 02, 2026", "Mugs - auto", "MUG", "$1,030.50"),
            ad("Mar 02, 2026", "Cups", "CUP", "$3.25"),
        ],
        delimiter=",",
    )
    result = lx.import_file(path)
    assert result.kind == "amazon_ads_sp" and result.written == 2
    assert (str(result.date_from), str(result.date_to)) == ("2026-03-02", "2026-03-02")
    rows = lx.db.query(
        "SELECT day, campaign, ad_group, sku, asin, impressions, clicks, spend, sales, orders,"
        " units, currency FROM ad_spend ORDER BY sku"
    )
    assert rows[1][1:] == (
        "Mugs - auto",
        "Group 1",
        "MUG",
        "B0MUG",
        1200,
        10,
        Decimal("1030.5000"),
        Decimal("1234.0000"),
        3,
        4,
        "USD",
    )
    assert str(rows[1][0]) == "2026-03-02"
    assert lx.import_file(path).status == "unchanged"


def test_ad_charge_split_by_spend_share_in_any_order(tmp_path: Path) -> None:
    ads = write_table(
        tmp_path / "sp.csv",
        CONSOLE,
        [
            ad("Mar 01, 2026", "A", "MUG", "$30.00"),
            ad("Mar 20, 2026", "A", "CUP", "$5.00"),
            ad("Mar 21, 2026", "B", "CUP", "$5.00"),
            ad("Apr 01, 2026", "A", "MUG", "$99.00"),  # another month: not this charge
        ],
        delimiter=",",
    )
    # Same days again in a second, overlapping file: must not double the weights.
    overlap = write_table(
        tmp_path / "sp2.csv", CONSOLE, [ad("Mar 20, 2026", "A", "CUP", "$5.00")], delimiter=","
    )
    settlement = settlement_with_ads(tmp_path / "s.txt")
    seen = set()
    for n, order in enumerate(permutations([ads, overlap, settlement])):
        with Lianxing.init(tmp_path / f"ws{n}") as lx:
            for path in order:
                # Ads reports name no marketplace: say which store (the CLI's folder
                # import retries such files after the others instead).
                lx.import_file(path, store_id="amazon-com")
            by_sku = {r["sku"]: r for r in lx.profit(by="sku").rows}
            seen.add(
                (
                    by_sku["MUG"]["advertising"],
                    by_sku["CUP"]["advertising"],
                    None in by_sku,
                    sum(r["net_profit"] for r in by_sku.values()),
                )
            )
    # 30 : 10 of the March spend → 75 and 25 of the 100 charged; nothing left unsplit.
    assert seen == {(Decimal("-75.00"), Decimal("-25.00"), False, Decimal("0.00"))}


def test_rounding_remainder_stays_visible(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(settlement_with_ads(tmp_path / "s.txt"))
    lx.import_file(
        write_table(
            tmp_path / "sp.csv",
            CONSOLE,
            [
                ad("Mar 01, 2026", c, sku, "$1.00")
                for c, sku in (("A", "MUG"), ("B", "CUP"), ("C", "PEN"))
            ],
            delimiter=",",
        )
    )
    by_sku = {r["sku"]: r for r in lx.profit(by="sku").rows}
    # -33.3333 each, and the -0.0001 of rounding on the first of the largest shares:
    # nothing is left on no SKU, and the shares add up to the charge exactly.
    assert by_sku["PEN"]["advertising"] == Decimal("-33.33") and None not in by_sku
    total = lx.db.query("SELECT sum(amount) FROM ledger WHERE category = 'advertising.amazon'")[0][
        0
    ]
    shown = sum(r["advertising"] for r in lx.profit(by="store").rows)
    assert total == Decimal("-100.0000") and shown == Decimal("-100.00")


def test_api_json_report_gzipped(lx: Lianxing, tmp_path: Path) -> None:
    lx.import_file(settlement_with_ads(tmp_path / "s.txt"))
    records = [
        {
            "date": "2026-03-05",
            "campaignId": 11,
            "campaignName": "A",
            "adGroupName": "G",
            "advertisedSku": "MUG",
            "advertisedAsin": "B0MUG",
            "impressions": 100,
            "clicks": 4,
            "cost": 3.0,
            "sales7d": 40.0,
            "purchases7d": 2,
            "unitsSoldClicks7d": 2,
        },
        {
            "date": "2026-03-05",
            "campaignId": 11,
            "campaignName": "A",
            "adGroupName": "G",
            "advertisedSku": "CUP",
            "advertisedAsin": "B0CUP",
            "impressions": 10,
            "clicks": 1,
            "cost": 1.0,
            "sales7d": 0,
            "purchases7d": 0,
            "unitsSoldClicks7d": 0,
        },
    ]
    path = tmp_path / "report.json.gz"
    path.write_bytes(gzip.compress(json.dumps(records).encode()))
    result = lx.import_file(path)
    assert result.kind == "amazon_ads_sp" and result.written == 2
    assert Path(result.file).name == "report.json.gz"
    assert lx.db.query("SELECT campaign_id, spend FROM ad_spend ORDER BY sku") == [
        ("11", Decimal("1.0000")),
        ("11", Decimal("3.0000")),
    ]
    by_sku = {r["sku"]: r for r in lx.profit(by="sku").rows}
    assert (by_sku["MUG"]["advertising"], by_sku["CUP"]["advertising"]) == (
        Decimal("-75.00"),
        Decimal("-25.00"),
    )
    assert not list((lx.workspace.temp_dir).glob("*.ads.csv"))


def test_bad_input_named_and_nothing_written(lx: Lianxing, tmp_path: Path) -> None:
    before = ledger_fingerprint(lx)
    bad = write_table(
        tmp_path / "sp.csv",
        CONSOLE,
        [ad("Mar 01, 2026", "A", "MUG", "$1.00"), ad("Mar 32, 2026", "A", "CUP", "one")],
        delimiter=",",
    )
    with pytest.raises(InputError) as caught:
        lx.import_file(bad, store_id="amazon-us")
    assert {(p.line, p.column) for p in caught.value.problems} == {(3, "Date"), (3, "Spend")}
    broken = tmp_path / "broken.json"
    broken.write_text('[{"date": "2026-03-01", "advertisedSku": "A", "cost": 1,')
    with pytest.raises(InputError) as caught:
        lx.import_file(broken, store_id="amazon-us")
    assert caught.value.key == "ads.bad_json"
    assert ledger_fingerprint(lx) == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_reports_never_crash_or_half_write(tmp_path: Path, data: st.DataObject) -> None:
    rows = [ad("Mar 01, 2026", "A", "MUG", "$1.00"), ad("Mar 02, 2026", "B", "CUP", "$2.00")]
    text = write_table(tmp_path / "base.csv", CONSOLE, rows, delimiter=",").read_bytes()
    cut = data.draw(st.integers(0, len(text) - 1))
    junk = data.draw(st.binary(max_size=8) | st.sampled_from([b",", b'"', b"\n", b"\r", b"$"]))
    mutated = text[:cut] + junk + text[cut + data.draw(st.integers(0, 3)) :]
    target = tmp_path / "fuzz.csv"
    target.write_bytes(mutated)
    ws = Path(tempfile.mkdtemp(dir=tmp_path)) / "ws"
    with Lianxing.init(ws) as lx:
        before = ledger_fingerprint(lx)
        try:
            lx.import_file(target, store_id="amazon-us")
        except InputError:
            assert ledger_fingerprint(lx) == before
