-- A run's steps are read by step number (a range of gradient norms, its latest step, a page of
-- its history). With only the run_id index, the range query read every row of the run, each
-- carrying its JSON gradient norms (seconds at 100,000 steps); H2's plan for it uses this index.
-- The run_id index stays: H2 backs the foreign key with it.
CREATE INDEX ix_training_steps_run_step ON training_steps (run_id, step_number);
