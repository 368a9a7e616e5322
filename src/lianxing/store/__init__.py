"""The store layer: the only code that speaks SQL to the database.

`database` opens DuckDB and runs migrations; `ledger` writes sources, ledger rows,
costs and rates; `reports` reads profit and source listings. A server database can be
added later by giving these modules another engine, without touching the layers above.
"""
