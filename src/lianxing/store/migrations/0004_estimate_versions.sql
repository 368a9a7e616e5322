-- The newest version seen of every estimated order item (store, order, SKU), whether or
-- not it still counts: a later order report that shows the item cancelled must beat an
-- earlier one that showed it open, in whichever order the two are imported.
CREATE TABLE estimate_versions (
    store_id     VARCHAR NOT NULL,
    order_id     VARCHAR NOT NULL,
    sku          VARCHAR,
    observed_at  TIMESTAMPTZ,
    live         BOOLEAN NOT NULL,   -- false: cancelled (or no price yet) in that version
    source_id    INTEGER NOT NULL
);
