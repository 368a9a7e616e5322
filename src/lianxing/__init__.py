"""Lianxing (联星): profit, KPI and cost ledger for cross-border sellers.

Data flows one way: sources → importers (`ingest`) → ledger (`store`) → reports
(`profit`) → the facade (`app`) → CLI. See README.md.
"""

__version__ = "0.1.0"
