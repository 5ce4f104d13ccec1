-- Drill mode (issue 12): while a drill is on, everything HQ and the system make is marked 訓練 / EXERCISE. Each feature's
-- table keeps the drill a record belongs to in its own drill_id column (REFERENCES drills); the live picture shows real
-- records and those of the drill in progress, so ending a drill takes its records away from the live picture without
-- touching a real one. At most one drill is on at a time, across every instance.
CREATE TABLE drills (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    started_at timestamptz NOT NULL,
    started_by text NOT NULL,
    ended_at   timestamptz,
    ended_by   text,
    CHECK ((ended_at IS NULL) = (ended_by IS NULL))
);

CREATE UNIQUE INDEX drills_one_in_progress ON drills ((true)) WHERE ended_at IS NULL;
