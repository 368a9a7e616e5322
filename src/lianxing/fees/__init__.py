"""Marketplace fees as dated data: the fee schedules (`schedules`), the Amazon size tier
of a product (`size_tier`) and the per-unit fee estimate (`estimate`).

Every figure lives in `lianxing/data/fees/*.yaml` (or a workspace's `fees/*.yaml`) with
the dates it applies, its source and whether it is confirmed; see docs/fees.md.
"""
