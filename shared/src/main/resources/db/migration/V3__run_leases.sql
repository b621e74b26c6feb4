-- A running run is leased to one worker until lease_until (epoch ms); an expired lease lets another
-- worker continue it (the first one died, or yielded before a Lambda's time ran out).
ALTER TABLE runs ADD COLUMN lease_until BIGINT;
