-- FBA Inventory Ledger, detailed view (GET_LEDGER_DETAIL_VIEW_DATA): one row per
-- inventory event of an FNSKU/MSKU at a fulfilment centre — receipts, customer
-- shipments and returns, vendor returns, warehouse transfers, adjustments with their
-- reason code. Units only: the report carries no money and no buyer data. Event types
-- and reason codes are stored as the file writes them, known to Lianxing or not.
CREATE TABLE inventory_events (
    source_id          INTEGER NOT NULL,
    line               INTEGER NOT NULL,
    store_id           VARCHAR NOT NULL,
    day                DATE NOT NULL,       -- Date: the event's day
    sku                VARCHAR,             -- MSKU
    fnsku              VARCHAR,
    asin               VARCHAR,
    event_type         VARCHAR NOT NULL,    -- Shipments, Receipts, Adjustments, ...
    reference_id       VARCHAR,             -- shipment, adjustment or transfer id
    quantity           INTEGER NOT NULL,    -- signed: units in (+) or out (-)
    fulfillment_center VARCHAR,
    disposition        VARCHAR,             -- SELLABLE, DEFECTIVE, ...
    reason             VARCHAR,             -- adjustment reason code: M, F, E, ...
    country            VARCHAR,
    reconciled         INTEGER,             -- of a lost/found/damaged adjustment
    unreconciled       INTEGER
);
