-- Amazon's Date Range transaction report: every row it read, kept whole. The ledger
-- holds the ones that count: a settlement whose flat file is imported is counted from
-- that file, and its rows here only explain it (see docs/counting.md and
-- lianxing.store.date_range_load). `row_key` names a transaction by its values and
-- `copy_no` numbers identical rows within a file, so two overlapping reports count each
-- transaction once.
CREATE TABLE date_range_rows (
    source_id          INTEGER NOT NULL,
    line               INTEGER NOT NULL,
    cell               SMALLINT NOT NULL,
    store_id           VARCHAR NOT NULL,
    posted_at          TIMESTAMPTZ NOT NULL,
    business_date      DATE NOT NULL,
    settlement_id      VARCHAR NOT NULL,
    order_id           VARCHAR,
    sku                VARCHAR,
    quantity           INTEGER,
    event              VARCHAR NOT NULL,
    category           VARCHAR NOT NULL,
    transaction_type   VARCHAR,
    amount_type        VARCHAR,
    amount_description VARCHAR,
    amount             DECIMAL(18, 4) NOT NULL,
    currency           VARCHAR NOT NULL,
    mapping_rule       VARCHAR,
    row_key            VARCHAR NOT NULL,
    copy_no            INTEGER NOT NULL
);
