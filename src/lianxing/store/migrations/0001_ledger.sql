-- The money ledger and the files it came from.
CREATE SEQUENCE source_id_seq START 1;

-- One row per imported file. A settlement re-imported with other content replaces its
-- earlier source (and that source's ledger rows) in one transaction.
CREATE TABLE sources (
    source_id      INTEGER PRIMARY KEY,
    kind           VARCHAR NOT NULL,      -- amazon_settlement_v2 | amazon_settlement_legacy | cogs | fx
    store_id       VARCHAR,
    file_name      VARCHAR NOT NULL,
    file_path      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    encoding       VARCHAR,
    settlement_id  VARCHAR,
    period_start   TIMESTAMPTZ,
    period_end     TIMESTAMPTZ,
    deposit_date   TIMESTAMPTZ,
    currency       VARCHAR,
    total_amount   DECIMAL(18, 4),        -- what the platform says it paid
    rows_sum       DECIMAL(18, 4),        -- what the rows add up to
    difference     DECIMAL(18, 4),        -- rows_sum - total_amount
    reconciled     BOOLEAN,
    row_count      BIGINT NOT NULL,
    mapping_version INTEGER,
    mapping_fingerprint VARCHAR,          -- the code-mapping rules the rows were mapped with
    imported_at    TIMESTAMPTZ NOT NULL,
    -- A settlement file replaced by a corrected one keeps its row (its ledger rows are
    -- gone): importing the old file again is then recognised, not flip-flopped back.
    superseded_by  INTEGER
);

-- One row per money movement. Amounts keep the platform's sign: money to the seller is
-- positive. `line` is the physical line in the source file; `cell` numbers the amounts
-- of one line (the legacy layout spreads several amounts over one line).
CREATE TABLE ledger (
    source_id          INTEGER NOT NULL,
    line               INTEGER NOT NULL,
    cell               SMALLINT NOT NULL,
    store_id           VARCHAR NOT NULL,
    posted_at          TIMESTAMPTZ NOT NULL,
    business_date      DATE NOT NULL,
    settlement_id      VARCHAR,
    order_id           VARCHAR,
    order_item_id      VARCHAR,
    sku                VARCHAR,
    quantity           INTEGER,              -- set once per order item (never repeated)
    event              VARCHAR NOT NULL,     -- order | refund | other
    category           VARCHAR NOT NULL,
    transaction_type   VARCHAR,
    amount_type        VARCHAR,
    amount_description VARCHAR,
    amount             DECIMAL(18, 4) NOT NULL,
    currency           VARCHAR NOT NULL,
    mapping_rule       VARCHAR                -- which mapping rule chose the category
);

-- Unit costs with history: the row in force on a sale's business date applies.
CREATE TABLE cogs (
    sku            VARCHAR NOT NULL,
    effective_from DATE NOT NULL,
    unit_cost      DECIMAL(18, 4) NOT NULL,
    freight        DECIMAL(18, 4) NOT NULL,
    duty           DECIMAL(18, 4) NOT NULL,
    currency       VARCHAR NOT NULL,
    source_id      INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    PRIMARY KEY (sku, effective_from)
);

-- Exchange rates: 1 unit of from_currency = rate units of to_currency, from `day` on.
-- `derived` rows are the inverse of an imported rate, kept so conversions stay DECIMAL.
CREATE TABLE fx_rates (
    day            DATE NOT NULL,
    from_currency  VARCHAR NOT NULL,
    to_currency    VARCHAR NOT NULL,
    rate           DECIMAL(18, 10) NOT NULL,
    derived        BOOLEAN NOT NULL,
    source_id      INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    PRIMARY KEY (day, from_currency, to_currency)
);
