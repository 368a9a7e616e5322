"""Column lists of the platform report formats Lianxing reads and writes.

One place for each layout, so the importer, the demo seller and the benchmark
generator agree on it (see shared/reference/report-formats.md).
"""

# Amazon settlement flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2), in the
# order of current files; some files add `promotion-id`.
AMAZON_SETTLEMENT_V2_COLUMNS: tuple[str, ...] = (
    "settlement-id",
    "settlement-start-date",
    "settlement-end-date",
    "deposit-date",
    "total-amount",
    "currency",
    "transaction-type",
    "order-id",
    "merchant-order-id",
    "adjustment-id",
    "shipment-id",
    "marketplace-name",
    "amount-type",
    "amount-description",
    "amount",
    "fulfillment-id",
    "posted-date",
    "posted-date-time",
    "order-item-code",
    "merchant-order-item-id",
    "merchant-adjustment-item-id",
    "sku",
    "quantity-purchased",
)
