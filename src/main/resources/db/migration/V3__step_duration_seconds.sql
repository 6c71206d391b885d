-- The step's training time in seconds, unrounded, so that the tokens per second read back from
-- the history equal the ones the step answered with. Rows written before it keep NULL and fall
-- back to duration_ms.
ALTER TABLE training_steps ADD COLUMN duration_seconds DOUBLE PRECISION;
