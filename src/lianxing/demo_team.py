"""The demo seller's team: a products file, people with what they own (one handover in
the middle of October 2025), scorecards and the targets they are scored against.

Written as the text files a seller would keep beside lianxing.toml, so the demo shows
the real loaders at work: products.csv (category and tag per SKU), people.yaml,
scorecards.yaml, targets.yaml and pay.yaml (docs/team.md, docs/kpis.md).
"""

from __future__ import annotations

from pathlib import Path

from lianxing import private
from lianxing.data import read_data

# The demo's SKU families (demo_data's catalogue): LX-<FAMILY>-<nnn>.
FAMILIES = ("KITCH", "HOME", "PET", "FIT", "OFFICE", "BABY", "TOYS")
# The month the demo scores, and the day the pet SKUs change hands in it.
SCORED_MONTH = "2025-10"
HANDOVER = "2025-10-16"

PEOPLE = f"""# The demo team (docs/team.md). The manager keeps what no operator owns in the
# Amazon store (baby and toys, and the store's account-level money).
people:
  - id: boss
    name: 周总
    role: owner
  - id: wang
    name: 王经理
    role: manager
    team: amazon
    owns:
      - {{store: amazon-us, from: 2025-01-01}}
  - id: li
    name: 李明
    role: operator
    team: amazon
    owns:
      - {{tag: kitch, store: amazon-us, from: 2025-01-01}}
      - {{tag: home, store: amazon-us, from: 2025-01-01}}
      - {{tag: pet, store: amazon-us, from: 2025-01-01, to: 2025-10-15}}  # handed over
  - id: zhao
    name: 赵丽
    role: operator
    team: amazon
    owns:
      - {{tag: fit, store: amazon-us, from: 2025-01-01}}
      - {{tag: office, store: amazon-us, from: 2025-01-01}}
      - {{tag: pet, store: amazon-us, from: {HANDOVER}}}
  - id: chen
    name: 陈晨
    role: operator
    team: dtc
    owns:
      - {{store: walmart-us, from: 2025-01-01}}
      - {{store: shopify-us, from: 2025-01-01}}
"""

SCORECARDS = read_data("scorecards.yaml")

TARGETS = """# Targets (docs/kpis.md): the business, then each person and team of the demo.
targets:
  - {kpi: net_margin, scope: business, name: Company net margin,
     stages: [{from: 2025-01, target: 12%}, {from: 2025-10, target: 14%}]}
  - {kpi: net_profit, scope: "person:li", stages: [{from: 2025-01, target: 4000}]}
  - {kpi: net_profit, scope: "person:zhao", stages: [{from: 2025-01, target: 2500}]}
  - {kpi: net_profit, scope: "person:chen", stages: [{from: 2025-01, target: 5500}]}
  - {kpi: net_profit, scope: "person:wang", stages: [{from: 2025-01, target: 6000}]}
  - {kpi: net_margin, scope: "team:amazon", stages: [{from: 2025-01, target: 15%}]}
  - {kpi: net_margin, scope: "team:dtc", stages: [{from: 2025-01, target: 12%}]}
  - {kpi: tacos, scope: "team:amazon", stages: [{from: 2025-01, target: 8%}]}
  - {kpi: tacos, scope: "team:dtc", stages: [{from: 2025-01, target: 5%}]}
"""


PAY = """# Bonus rules (docs/team.md): the team is paid in yuan.
pay:
  - name: operator bonus
    applies_to: {role: operator}
    currency: CNY
    rules:
      - {rule: score, base: 6000}                      # 6,000 × score ÷ 100
      - {rule: profit_share, share: 2%, above: 10000}  # 2 % of owned profit over ¥10,000
      - {rule: tiers, tiers: [{from: 95, amount: 1500}, {from: 80, amount: 600}]}
  - name: manager bonus
    applies_to: {role: manager}
    currency: CNY
    rules:
      - {rule: score, base: 10000}
      - {rule: profit_share, share: 3%, above: 20000}
"""


def write_team(directory: Path, skus: list[str]) -> None:
    """The team's files in the workspace `directory`; `skus` are the demo's SKU codes."""
    lines = ["sku,parent,category,tags"]
    for sku in sorted(skus):
        family = sku.split("-")[1] if sku.count("-") == 2 else ""
        lines.append(f"{sku},{sku.rsplit('-', 1)[0]},{family.title()},{family.lower()}")
    (directory / "products.csv").write_text("\n".join(lines) + "\n", "utf-8")
    # The team's files hold people, their goals and pay: the owner's only.
    for name, text in (("people.yaml", PEOPLE), ("scorecards.yaml", SCORECARDS),
                       ("targets.yaml", TARGETS), ("pay.yaml", PAY)):  # fmt: skip
        private.write_text(directory / name, text)
