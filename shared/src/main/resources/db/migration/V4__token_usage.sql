-- Model tokens per step (null when the provider reports none) and their running total per run.
ALTER TABLE steps ADD COLUMN input_tokens BIGINT;
ALTER TABLE steps ADD COLUMN output_tokens BIGINT;
ALTER TABLE runs ADD COLUMN input_tokens BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE runs ADD COLUMN output_tokens BIGINT DEFAULT 0 NOT NULL;
