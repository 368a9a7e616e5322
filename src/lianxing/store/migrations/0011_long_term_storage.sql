-- FBA long-term storage fees (GET_FBA_FBA_LONG_TERM_STORAGE_FEE_CHARGES_DATA; since 2023
-- the aged inventory surcharge): per snapshot date, SKU and age tier, the units charged
-- and the fee. Facts: the settlement's long-term storage charge is the money, these rows
-- only split it across SKUs (docs/counting.md).
CREATE TABLE long_term_storage_fees (
    source_id       INTEGER NOT NULL,
    line            INTEGER NOT NULL,
    store_id        VARCHAR NOT NULL,
    snapshot        DATE NOT NULL,       -- snapshot-date: the day the fee was assessed
    sku             VARCHAR NOT NULL,
    fnsku           VARCHAR,
    asin            VARCHAR,
    condition       VARCHAR,
    country         VARCHAR,
    age_tier        VARCHAR,             -- surcharge-age-tier (none in the old layout)
    units           BIGINT,              -- qty-charged (old layout: 12- plus 6-month units)
    per_unit_volume DECIMAL(18, 6),
    volume_unit     VARCHAR,
    fee             DECIMAL(18, 4) NOT NULL,  -- amount-charged (old: 12- plus 6-month fee)
    currency        VARCHAR NOT NULL
);
