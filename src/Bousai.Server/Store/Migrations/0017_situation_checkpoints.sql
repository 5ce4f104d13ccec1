-- The situation at any moment (issue 15): the event log is kept for years (Live:LogRetention), and every
-- Live:CheckpointEvery events the whole situation as it stood after event seq is stored here, so a moment is rebuilt
-- from the checkpoint at or before it and at most that many events, however long the log grows.
-- origin 'store' is read from the live tables (the first one, and after a change the log does not carry, such as an
-- import of geodata); 'replay' is the previous checkpoint with the events after it applied.
CREATE TABLE situation_checkpoints (
    seq         bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    origin      text NOT NULL CHECK (origin IN ('store', 'replay')),
    -- layer_revisions summed when it was made: an import after it is a change the log does not carry.
    geodata_revision bigint NOT NULL,
    state       jsonb NOT NULL
);

CREATE INDEX situation_checkpoints_occurred_at ON situation_checkpoints (occurred_at);
