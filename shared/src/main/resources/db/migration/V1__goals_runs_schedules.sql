-- Goals, their schedules, runs and steps. Times are epoch milliseconds (UTC), JSON fields are text.
-- Every table carries owner_id; child rows go with their parent (ON DELETE CASCADE).
CREATE TABLE goals (
    id          VARCHAR(40)  PRIMARY KEY,
    owner_id    VARCHAR(128) NOT NULL,
    objective   VARCHAR(1000) NOT NULL,
    params      TEXT         NOT NULL,
    webhook_url VARCHAR(2048),
    status      VARCHAR(16)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);
CREATE INDEX goals_owner_created ON goals (owner_id, created_at);
CREATE INDEX goals_owner_status_created ON goals (owner_id, status, created_at);

CREATE TABLE schedules (
    id           VARCHAR(40)  PRIMARY KEY,
    owner_id     VARCHAR(128) NOT NULL,
    goal_id      VARCHAR(40)  NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    cron_expr    VARCHAR(200) NOT NULL,
    timezone     VARCHAR(64)  NOT NULL,
    active       BOOLEAN      NOT NULL,
    created_at   BIGINT       NOT NULL,
    next_fire_at BIGINT
);
CREATE INDEX schedules_goal ON schedules (goal_id);
CREATE INDEX schedules_due ON schedules (active, next_fire_at);

CREATE TABLE runs (
    id             VARCHAR(40)  PRIMARY KEY,
    owner_id       VARCHAR(128) NOT NULL,
    goal_id        VARCHAR(40)  NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    status         VARCHAR(16)  NOT NULL,
    started_at     BIGINT,
    ended_at       BIGINT,
    working_memory TEXT         NOT NULL,
    step_budget    INTEGER      NOT NULL,
    steps_executed INTEGER      NOT NULL,
    error          TEXT,
    created_at     BIGINT       NOT NULL
);
CREATE INDEX runs_owner_created ON runs (owner_id, created_at);
CREATE INDEX runs_goal_created ON runs (goal_id, created_at);
CREATE INDEX runs_status_created ON runs (status, created_at);

CREATE TABLE steps (
    id          VARCHAR(40)  PRIMARY KEY,
    owner_id    VARCHAR(128) NOT NULL,
    run_id      VARCHAR(40)  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step_no     INTEGER      NOT NULL,
    thought     TEXT         NOT NULL,
    tool_name   VARCHAR(64),
    tool_input  TEXT,
    observation TEXT,
    duration_ms BIGINT       NOT NULL,
    error       TEXT,
    created_at  BIGINT       NOT NULL,
    CONSTRAINT steps_run_step_no UNIQUE (run_id, step_no)
);
