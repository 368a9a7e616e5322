-- Every source a seller has: estimated ledger rows, facts from non-money reports, and
-- what data health needs to know about each file.

-- `settled` rows come from a payout record (settlement, reconciliation report, order
-- export of a store paid per order); `estimated` rows from an order report before the
-- money settles. An estimated row stops counting once a settled order row of the same
-- store, order and SKU exists (see reports.py: the supersession is a query rule, so the
-- result never depends on the order files were imported in).
ALTER TABLE ledger ADD COLUMN basis VARCHAR DEFAULT 'settled';
-- Campaign (ads) or shipment (freight) a row belongs to, when the source says.
ALTER TABLE ledger ADD COLUMN reference VARCHAR;
-- When the source saw this version of the row (All Orders: last-updated-date): of two
-- overlapping order reports, the newer version of an order item wins.
ALTER TABLE ledger ADD COLUMN observed_at TIMESTAMPTZ;

ALTER TABLE sources ADD COLUMN platform VARCHAR;
-- Business dates the file covers (for coverage and gaps).
ALTER TABLE sources ADD COLUMN date_from DATE;
ALTER TABLE sources ADD COLUMN date_to DATE;

-- Identifiers Amazon reports use for one product: storage reports name only the
-- ASIN/FNSKU, so they are matched to SKUs through the reports that name both.
CREATE TABLE sku_aliases (
    store_id   VARCHAR NOT NULL,
    sku        VARCHAR NOT NULL,
    asin       VARCHAR,
    fnsku      VARCHAR,
    source_id  INTEGER NOT NULL
);

-- Sponsored Products advertised-product report: one row per day, campaign, ad group
-- and advertised SKU. Not money in the ledger: the settlement's ad charges are the
-- cash record; this only says how to split them (see docs/counting.md).
CREATE TABLE ad_spend (
    source_id    INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    store_id     VARCHAR NOT NULL,
    day          DATE NOT NULL,
    campaign_id  VARCHAR,
    campaign     VARCHAR,
    ad_group     VARCHAR,
    sku          VARCHAR,
    asin         VARCHAR,
    impressions  BIGINT,
    clicks       BIGINT,
    spend        DECIMAL(18, 4) NOT NULL,
    sales        DECIMAL(18, 4),
    orders       BIGINT,
    units        BIGINT,
    currency     VARCHAR NOT NULL
);

-- Monthly storage fee report: the estimated fee per ASIN/FNSKU and fulfilment centre.
-- Splits the settlement's storage charge across SKUs, like ad_spend splits ad charges.
CREATE TABLE storage_fees (
    source_id      INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    store_id       VARCHAR NOT NULL,
    month          DATE NOT NULL,        -- month_of_charge: the month stored
    asin           VARCHAR,
    fnsku          VARCHAR,
    fulfillment_center VARCHAR,
    average_units  DECIMAL(18, 6),
    item_volume    DECIMAL(18, 6),
    size_tier      VARCHAR,
    fee            DECIMAL(18, 4) NOT NULL,
    currency       VARCHAR NOT NULL
);

-- FBA customer returns: units back, why, and whether they can be sold again.
CREATE TABLE returns (
    source_id    INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    store_id     VARCHAR NOT NULL,
    day          DATE NOT NULL,
    order_id     VARCHAR,
    sku          VARCHAR,
    asin         VARCHAR,
    fnsku        VARCHAR,
    quantity     INTEGER NOT NULL,
    disposition  VARCHAR,
    sellable     BOOLEAN NOT NULL,
    reason       VARCHAR,
    status       VARCHAR,
    license_plate VARCHAR
);

-- Inventory planning snapshot: on hand, days of supply, and units by age bucket.
CREATE TABLE inventory (
    source_id      INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    store_id       VARCHAR NOT NULL,
    snapshot       DATE NOT NULL,
    sku            VARCHAR NOT NULL,
    asin           VARCHAR,
    fnsku          VARCHAR,
    available      BIGINT,
    units_shipped_t30 BIGINT,
    days_of_supply DECIMAL(18, 6),
    estimated_storage_next_month DECIMAL(18, 4),
    currency       VARCHAR
);
CREATE TABLE inventory_age (
    source_id  INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    store_id   VARCHAR NOT NULL,
    snapshot   DATE NOT NULL,
    sku        VARCHAR NOT NULL,
    bucket     VARCHAR NOT NULL,         -- as the file names it, e.g. inv-age-0-to-90-days
    min_days   INTEGER,
    max_days   INTEGER,                  -- NULL: open-ended (365-plus)
    units      BIGINT NOT NULL
);

-- Business Report (sales and traffic by child item) over a date range.
CREATE TABLE traffic (
    source_id      INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    store_id       VARCHAR NOT NULL,
    date_from      DATE NOT NULL,
    date_to        DATE NOT NULL,
    parent_asin    VARCHAR,
    asin           VARCHAR,
    sku            VARCHAR,
    sessions       BIGINT,
    page_views     BIGINT,
    buy_box        DECIMAL(18, 8),       -- featured offer share, 0..1
    units_ordered  BIGINT,
    ordered_sales  DECIMAL(18, 4),
    order_items    BIGINT,
    currency       VARCHAR
);
