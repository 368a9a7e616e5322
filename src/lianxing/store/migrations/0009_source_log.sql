-- Every change a user makes to what is imported besides importing: a file forgotten, a
-- file moved to another store, a store renamed or removed (`lianxing sources log`).
CREATE TABLE source_log (
    logged_at  TIMESTAMPTZ NOT NULL,
    action     VARCHAR NOT NULL,   -- forget | move | rename_store | remove_store
    source_id  INTEGER,            -- the file's source id (forget, move)
    file_name  VARCHAR,
    store_from VARCHAR,
    store_to   VARCHAR,
    made_by    VARCHAR NOT NULL,   -- the operating-system user who ran the command
    detail     VARCHAR             -- what it changed, e.g. rows removed per table (JSON)
);
