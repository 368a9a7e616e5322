-- Product specs, inbound batches, and what is derived from them with the fee and duty
-- schedules: fee estimates for unsettled order items and the landed cost of each batch.

-- One row per SKU (the newest import of it wins): what the product physically is.
-- Dimensions in inches and weight in ounces, whatever units the file used.
CREATE TABLE product_specs (
    sku        VARCHAR PRIMARY KEY,
    category   VARCHAR,              -- the platform fee category
    asin       VARCHAR,
    title      VARCHAR,
    length_in  DECIMAL(12, 4),
    width_in   DECIMAL(12, 4),
    height_in  DECIMAL(12, 4),
    weight_oz  DECIMAL(14, 4),
    hts_code   VARCHAR,
    origin     VARCHAR,
    source_id  INTEGER NOT NULL,
    line       INTEGER NOT NULL
);

-- Inbound batches as the batch file gave them, one row per batch line; batch-level
-- values are repeated on each line. A re-imported batch id replaces the whole batch.
CREATE TABLE batch_lines (
    batch_id         VARCHAR NOT NULL,
    sku              VARCHAR NOT NULL,
    units            INTEGER NOT NULL,
    unit_cost        DECIMAL(18, 4) NOT NULL,
    cost_currency    VARCHAR NOT NULL,
    paid_on          DATE NOT NULL,
    fx_rate          DECIMAL(38, 28),  -- 1 ÷ 7.20 keeps its digits
    hts_code         VARCHAR,
    origin           VARCHAR,
    mfn_rate         DECIMAL(9, 6),
    duty_rate        DECIMAL(9, 6),
    mode             VARCHAR NOT NULL,
    entry_date       DATE NOT NULL,
    arrived_on       DATE NOT NULL,
    entry_id         VARCHAR NOT NULL,
    freight          DECIMAL(18, 4) NOT NULL,
    freight_currency VARCHAR NOT NULL,
    freight_fx       DECIMAL(38, 28),
    allocate_by      VARCHAR NOT NULL,
    placement_fee    DECIMAL(18, 4) NOT NULL,
    store_id         VARCHAR,
    source_id        INTEGER NOT NULL,
    line             INTEGER NOT NULL,
    PRIMARY KEY (batch_id, sku)
);

-- The landed cost of each batch line (USD), computed from batch_lines, product_specs,
-- the duty tables and the rates. Derived: rebuilt whenever any of those changes.
CREATE TABLE landed_lots (
    batch_id    VARCHAR NOT NULL,
    sku         VARCHAR NOT NULL,
    arrived_on  DATE NOT NULL,
    mode        VARCHAR NOT NULL,
    units       INTEGER NOT NULL,
    goods       DECIMAL(18, 4) NOT NULL,
    freight     DECIMAL(18, 4) NOT NULL,
    duty        DECIMAL(18, 4) NOT NULL,
    mpf         DECIMAL(18, 4) NOT NULL,
    hmf         DECIMAL(18, 4) NOT NULL,
    placement   DECIMAL(18, 4) NOT NULL,
    unit_cost   DECIMAL(18, 4) NOT NULL,  -- the sum of the parts ÷ units
    currency    VARCHAR NOT NULL,
    duties      VARCHAR NOT NULL,         -- the duty lines as JSON: the evidence
    source_id   INTEGER NOT NULL,
    line        INTEGER NOT NULL,
    PRIMARY KEY (batch_id, sku)
);

-- Fees the schedules expect for each unsettled (estimated) order item, per fee line.
-- Derived: rebuilt whenever the orders, the specs or the schedules change.
CREATE TABLE fee_estimates (
    store_id   VARCHAR NOT NULL,
    order_id   VARCHAR NOT NULL,
    sku        VARCHAR NOT NULL,
    category   VARCHAR NOT NULL,
    amount     DECIMAL(18, 4) NOT NULL,   -- ledger sign: a fee is negative
    currency   VARCHAR NOT NULL,
    schedule   VARCHAR NOT NULL           -- which table and row it came from
);
