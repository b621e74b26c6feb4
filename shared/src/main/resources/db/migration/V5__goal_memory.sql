-- A goal's memory (note, fact, artifact), kept across its runs under a key unique within the goal.
CREATE TABLE goal_memory (
    id         VARCHAR(40)  PRIMARY KEY,
    owner_id   VARCHAR(128) NOT NULL,
    goal_id    VARCHAR(40)  NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
    mem_key    VARCHAR(100) NOT NULL,
    mem_type   VARCHAR(16)  NOT NULL,
    content    TEXT         NOT NULL,
    run_id     VARCHAR(40),
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    CONSTRAINT goal_memory_goal_key UNIQUE (goal_id, mem_key)
);
