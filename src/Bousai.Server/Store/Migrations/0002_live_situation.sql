-- The live situation: the state that changes during a disaster, each change logged as a situation event.

-- A shelter's opening status and head count, set by its shelter staff or HQ. No row: not opened yet.
CREATE TABLE shelter_status (
    shelter_id    text PRIMARY KEY REFERENCES shelters (id) ON DELETE CASCADE,
    status        text NOT NULL CHECK (status IN ('open', 'closed')),
    occupancy     integer NOT NULL DEFAULT 0 CHECK (occupancy >= 0),
    declared_full boolean NOT NULL DEFAULT false,
    note          text,
    updated_by    text NOT NULL,
    updated_at    timestamptz NOT NULL
);

-- 警戒レベル issued by the town per district. Level 0 means lifted (解除). decided_by is the person who
-- decided (本部長); entered_by the staff account that recorded it.
CREATE TABLE district_evacuation_levels (
    district_id text PRIMARY KEY REFERENCES districts (id) ON DELETE CASCADE,
    level       smallint NOT NULL CHECK (level IN (0, 3, 4, 5)),
    decided_by  text NOT NULL,
    entered_by  text NOT NULL,
    issued_at   timestamptz NOT NULL
);

ALTER TABLE field_reports
    ADD COLUMN status        text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_progress', 'resolved')),
    ADD COLUMN internal_note text,
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT field_reports_category CHECK (category IN ('flooding', 'landslide', 'road_blocked', 'building_damage', 'rescue_needed', 'other'));

ALTER TABLE alerts ADD COLUMN note text;

CREATE INDEX situation_events_occurred_at ON situation_events (occurred_at);

-- One notification per statement that appends events; every server instance listens and reads the log from
-- its last sequence number, so the payload carries nothing.
CREATE FUNCTION notify_situation_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('situation_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER situation_events_notify AFTER INSERT ON situation_events
    FOR EACH STATEMENT EXECUTE FUNCTION notify_situation_events();
