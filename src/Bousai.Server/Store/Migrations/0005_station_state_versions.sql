-- Ingestion bumps version with every change to a gauge's readings; the refresher clears dirty only when the version it
-- computed from is still current. So it holds no row lock while it computes, and a change made meanwhile keeps the
-- gauge dirty. refreshed_at paces a gauge's recomputation (and its events) to at most about one a second.
ALTER TABLE station_states
    ADD COLUMN version bigint NOT NULL DEFAULT 0,
    ADD COLUMN refreshed_at timestamptz;
