-- Per-goal webhook signing secret, and one record per webhook delivery attempt.
ALTER TABLE goals ADD COLUMN webhook_secret VARCHAR(100);

CREATE TABLE webhook_deliveries (
    id          VARCHAR(40)   PRIMARY KEY,
    owner_id    VARCHAR(128)  NOT NULL,
    run_id      VARCHAR(40)   NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    goal_id     VARCHAR(40)   NOT NULL,
    event       VARCHAR(40)   NOT NULL,
    url         VARCHAR(2048) NOT NULL,
    attempt     INTEGER       NOT NULL,
    status_code INTEGER,
    error       TEXT,
    duration_ms BIGINT        NOT NULL,
    created_at  BIGINT        NOT NULL
);
CREATE INDEX webhook_deliveries_run ON webhook_deliveries (run_id, created_at);
