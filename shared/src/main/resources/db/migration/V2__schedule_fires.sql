-- One row per schedule fire that started a run: makes a fire delivered twice start one run.
CREATE TABLE schedule_fires (
    schedule_id VARCHAR(40)  NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    fire_at     BIGINT       NOT NULL,
    owner_id    VARCHAR(128) NOT NULL,
    PRIMARY KEY (schedule_id, fire_at)
);
