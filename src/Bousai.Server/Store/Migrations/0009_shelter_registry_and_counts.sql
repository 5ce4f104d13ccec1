-- Shelters (issue 11): the registry HQ keeps (kind, accessible facilities, a contact for staff), head counts from the
-- shelter's own phones as increments idempotent by the device's client id, the history of every change for HQ's
-- chart, and HQ's hazard declarations, with the active set last announced (hazards_changed is logged exactly once).

ALTER TABLE shelters
    ADD COLUMN kind       text,
    ADD COLUMN accessible boolean NOT NULL DEFAULT false,
    ADD COLUMN contact    text CHECK (length(contact) <= 200);

UPDATE shelters SET kind = CASE
    WHEN is_emergency_site AND is_evacuation_shelter THEN 'both'
    WHEN is_emergency_site THEN 'emergency_site'
    ELSE 'evacuation_shelter' END;

-- The geodata import inserts shelters without a kind: a new one takes it from its GSI designations. A re-import
-- leaves the kind HQ set alone.
CREATE FUNCTION shelter_kind_from_designations() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IS NULL THEN
        NEW.kind := CASE
            WHEN NEW.is_emergency_site AND NEW.is_evacuation_shelter THEN 'both'
            WHEN NEW.is_emergency_site THEN 'emergency_site'
            ELSE 'evacuation_shelter' END;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER shelters_kind BEFORE INSERT ON shelters FOR EACH ROW EXECUTE FUNCTION shelter_kind_from_designations();

ALTER TABLE shelters
    ALTER COLUMN kind SET NOT NULL,
    ADD CONSTRAINT shelters_kind CHECK (kind IN ('emergency_site', 'evacuation_shelter', 'both', 'welfare'));

-- One row per counted tap batch. A retry with the same client id finds its row and gets the same answer.
CREATE TABLE shelter_counts (
    client_id       uuid PRIMARY KEY,
    shelter_id      text NOT NULL REFERENCES shelters (id) ON DELETE CASCADE,
    delta           integer NOT NULL CHECK (delta <> 0 AND delta BETWEEN -500 AND 500),
    -- What the count actually moved by: a decrement below zero stops at zero.
    applied         integer NOT NULL,
    occupancy_after integer NOT NULL CHECK (occupancy_after >= 0),
    at              timestamptz NOT NULL,
    by_user         text NOT NULL
);

CREATE TABLE shelter_history (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    shelter_id    text NOT NULL REFERENCES shelters (id) ON DELETE CASCADE,
    at            timestamptz NOT NULL,
    change        text NOT NULL CHECK (change IN ('opened', 'closed', 'count', 'correction', 'declared_full', 'full_lifted', 'note', 'registry')),
    open          boolean NOT NULL,
    occupancy     integer NOT NULL CHECK (occupancy >= 0),
    capacity      integer,
    declared_full boolean NOT NULL,
    actor         text NOT NULL
);

CREATE INDEX shelter_history_shelter ON shelter_history (shelter_id, at, id);
CREATE INDEX shelter_counts_shelter ON shelter_counts (shelter_id, at);

CREATE TABLE hazard_declarations (
    hazard     text PRIMARY KEY CHECK (hazard IN ('flood', 'landslide')),
    active     boolean NOT NULL,
    reason     text NOT NULL CHECK (length(reason) <= 500),
    decided_by text NOT NULL,
    at         timestamptz NOT NULL
);

-- The active hazards as last announced (one row): whoever changes them locks this row, compares and logs
-- hazards_changed only when the set differs, so two instances never announce the same change twice.
CREATE TABLE active_hazards (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    hazards  jsonb NOT NULL
);

INSERT INTO active_hazards (hazards) VALUES ('[{"hazard": "flood", "active": false, "sources": []}, {"hazard": "landslide", "active": false, "sources": []}]');
