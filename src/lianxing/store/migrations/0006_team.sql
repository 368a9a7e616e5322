-- Team scores: manager adjustments and closed periods, each kept as an audit trail.

-- A manager's adjustment of a person's score for a period, with the reason. Rows are
-- never changed or removed: a correction is another adjustment.
CREATE SEQUENCE score_adjustment_seq START 1;
CREATE TABLE score_adjustments (
    adjustment_id  INTEGER PRIMARY KEY DEFAULT nextval('score_adjustment_seq'),
    period         VARCHAR NOT NULL,        -- 2026-10, 2026-Q4, 2026
    person         VARCHAR NOT NULL,
    points         DECIMAL(9, 2) NOT NULL,  -- added to the total (negative: taken off)
    reason         VARCHAR NOT NULL,
    made_by        VARCHAR NOT NULL,
    made_at        TIMESTAMPTZ NOT NULL
);

-- A closed period's scores as they were when it was closed (JSON): later data does not
-- change them until the period is re-opened.
CREATE TABLE closed_scores (
    period     VARCHAR PRIMARY KEY,
    closed_by  VARCHAR NOT NULL,
    closed_at  TIMESTAMPTZ NOT NULL,
    scores     VARCHAR NOT NULL
);

-- Every close, re-open and adjustment, in order.
CREATE TABLE score_log (
    logged_at TIMESTAMPTZ NOT NULL,
    period    VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,   -- close | reopen | adjust
    made_by   VARCHAR NOT NULL,
    detail    VARCHAR
);
