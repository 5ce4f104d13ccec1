-- Gauge readings arriving over MQTT: what was stored, what was refused and why, and each gauge's latest state.

ALTER TABLE readings ADD COLUMN interval_minutes smallint CHECK (interval_minutes BETWEEN 1 AND 1440);

-- Messages (or elements of a backlog array) that never entered readings, with the reason. The payload is kept
-- up to 2 KB (payload_bytes says how long it was), decoded as UTF-8 with invalid bytes replaced.
CREATE TABLE dead_letters (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received_at   timestamptz NOT NULL,
    topic         text NOT NULL,
    station_id    text,
    reason        text NOT NULL,
    detail        text,
    payload       text NOT NULL,
    payload_bytes integer NOT NULL
);
CREATE INDEX dead_letters_received ON dead_letters (received_at DESC);
CREATE INDEX dead_letters_station ON dead_letters (station_id, received_at DESC);

-- Per gauge and quantity: the latest observation and when the gauge was last heard from (kept by ingestion in the
-- same transaction as the readings; a late reading never moves observed_at back), and the derived state (stage,
-- trend, rain totals, local landslide estimate) recomputed from readings whenever dirty.
CREATE TABLE station_states (
    station_id  text NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    quantity    text NOT NULL CHECK (quantity IN ('water_level', 'rainfall')),
    observed_at timestamptz NOT NULL,
    value       double precision NOT NULL,
    heard_at    timestamptz NOT NULL,
    dirty       boolean NOT NULL DEFAULT true,
    derived     jsonb,
    PRIMARY KEY (station_id, quantity)
);
CREATE INDEX station_states_dirty ON station_states (station_id) WHERE dirty;
