-- What the KPI measure table (`kpi_measure_days`, built by lianxing.store.measure_days)
-- was built from. The table itself is rebuilt whole, with columns that follow the
-- category tree, so it is not declared here; this row says whether it is current.
CREATE TABLE measure_cache (
    name         VARCHAR PRIMARY KEY,
    fingerprint  VARCHAR NOT NULL,   -- the build SQL and the state of every input table
    built_at     TIMESTAMPTZ NOT NULL,
    row_count    BIGINT NOT NULL,
    seconds      DOUBLE NOT NULL     -- how long the build took (shown by `kpi explain`)
);
