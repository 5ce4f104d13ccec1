-- Foundation schema. Geometry is WGS84 (SRID 4326); times are timestamptz (shown in Japan time by the clients).
CREATE EXTENSION IF NOT EXISTS postgis;

-- Every map layer has a revision, bumped by a statement trigger on any change, so a read endpoint can
-- answer If-None-Match without reading a single feature.
CREATE TABLE layer_revisions (
    layer      text PRIMARY KEY,
    revision   bigint NOT NULL DEFAULT 1,
    changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION bump_layer_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO layer_revisions (layer) VALUES (TG_ARGV[0])
    ON CONFLICT (layer) DO UPDATE SET revision = layer_revisions.revision + 1, changed_at = now();
    RETURN NULL;
END $$;

-- Geodata tables share one shape: a stable feature id (the file's id, or source#index), the file it came
-- from, the names, whether the feature is illustrative (invented where real data are not published),
-- every property of the source feature, and the geometry.
CREATE TABLE town_boundaries (
    id           text PRIMARY KEY,
    source       text NOT NULL,
    name_ja      text NOT NULL,
    name_en      text,
    illustrative boolean NOT NULL,
    properties   jsonb NOT NULL,
    geom         geometry(MultiPolygon, 4326) NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE districts (
    id           text PRIMARY KEY,
    source       text NOT NULL,
    name_ja      text NOT NULL,
    name_en      text,
    illustrative boolean NOT NULL,
    properties   jsonb NOT NULL,
    geom         geometry(MultiPolygon, 4326) NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rivers (
    id           text PRIMARY KEY,
    source       text NOT NULL,
    name_ja      text NOT NULL,
    name_en      text,
    illustrative boolean NOT NULL,
    properties   jsonb NOT NULL,
    geom         geometry(MultiLineString, 4326) NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hazard_zones (
    id           text NOT NULL,
    source       text NOT NULL,
    hazard       text NOT NULL CHECK (hazard IN ('flood', 'landslide')),
    name_ja      text NOT NULL,
    name_en      text,
    illustrative boolean NOT NULL,
    properties   jsonb NOT NULL,
    geom         geometry(MultiPolygon, 4326) NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (hazard, id)
);

CREATE TABLE stations (
    id                        text PRIMARY KEY,
    source                    text NOT NULL,
    kind                      text NOT NULL CHECK (kind IN ('water_level', 'rain')),
    gauge_type                text NOT NULL CHECK (gauge_type IN ('standard', 'crisis', 'amedas')),
    river_ja                  text,
    expected_interval_minutes integer NOT NULL DEFAULT 10 CHECK (expected_interval_minutes > 0),
    name_ja                   text NOT NULL,
    name_en                   text,
    illustrative              boolean NOT NULL,
    properties                jsonb NOT NULL,
    geom                      geometry(Point, 4326) NOT NULL,
    updated_at                timestamptz NOT NULL DEFAULT now()
);

-- Thresholds are data per station, never constants in code.
CREATE TABLE station_thresholds (
    station_id text NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    stage      text NOT NULL CHECK (stage IN ('standby', 'caution', 'evacuation', 'danger', 'observation_start')),
    level_m    double precision NOT NULL,
    assumed    boolean NOT NULL,
    PRIMARY KEY (station_id, stage)
);

CREATE TABLE readings (
    station_id  text NOT NULL REFERENCES stations (id),
    quantity    text NOT NULL CHECK (quantity IN ('water_level', 'rainfall')),
    observed_at timestamptz NOT NULL,
    value       double precision NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (station_id, quantity, observed_at)
);

CREATE TABLE shelters (
    id                    text PRIMARY KEY,
    source                text NOT NULL,
    name_ja               text NOT NULL,
    name_en               text,
    address               text,
    hazards               text[] NOT NULL,
    is_evacuation_shelter boolean NOT NULL,
    is_emergency_site     boolean NOT NULL,
    capacity              integer CHECK (capacity >= 0),
    capacity_assumed      boolean NOT NULL,
    attribution           text,
    illustrative          boolean NOT NULL,
    properties            jsonb NOT NULL,
    geom                  geometry(Point, 4326) NOT NULL,
    updated_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name          text NOT NULL UNIQUE CHECK (user_name ~ '^[a-z0-9][a-z0-9._-]{1,62}$'),
    display_name       text NOT NULL,
    role               text NOT NULL CHECK (role IN ('hq', 'field', 'shelter', 'admin')),
    password_hash      text NOT NULL,
    failed_login_count integer NOT NULL DEFAULT 0,
    locked_until       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now()
);

-- Shelter staff are tied to one or more shelters.
CREATE TABLE user_shelters (
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    shelter_id text NOT NULL REFERENCES shelters (id),
    PRIMARY KEY (user_id, shelter_id)
);

CREATE TABLE field_reports (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category    text NOT NULL,
    description text NOT NULL,
    verified    boolean NOT NULL DEFAULT false,
    reported_by bigint NOT NULL REFERENCES users (id),
    reported_at timestamptz NOT NULL DEFAULT now(),
    geom        geometry(Point, 4326) NOT NULL
);

CREATE TABLE alerts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL,
    level           smallint CHECK (level BETWEEN 1 AND 5),
    district_id     text REFERENCES districts (id),
    message         text NOT NULL,
    status          text NOT NULL DEFAULT 'raised' CHECK (status IN ('raised', 'acknowledged', 'cleared')),
    raised_at       timestamptz NOT NULL DEFAULT now(),
    raised_by       bigint REFERENCES users (id),
    acknowledged_by bigint REFERENCES users (id),
    acknowledged_at timestamptz,
    cleared_by      bigint REFERENCES users (id),
    cleared_at      timestamptz
);

-- Who did what. actor is the user name, or 'system:<command>' for operator commands.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    actor     text NOT NULL,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    details   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

-- The situation event log the live channel pushes from. seq is assigned gap-free by the writer (one row
-- in situation_event_sequence, locked in the writing transaction), not by a SQL sequence, which can skip.
CREATE TABLE situation_event_sequence (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_seq bigint NOT NULL
);
INSERT INTO situation_event_sequence (last_seq) VALUES (0);

CREATE TABLE situation_events (
    seq         bigint PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    payload     jsonb NOT NULL
);

CREATE INDEX town_boundaries_geom ON town_boundaries USING gist (geom);
CREATE INDEX districts_geom ON districts USING gist (geom);
CREATE INDEX rivers_geom ON rivers USING gist (geom);
CREATE INDEX hazard_zones_geom ON hazard_zones USING gist (geom);
CREATE INDEX stations_geom ON stations USING gist (geom);
CREATE INDEX shelters_geom ON shelters USING gist (geom);
CREATE INDEX field_reports_geom ON field_reports USING gist (geom);

CREATE TRIGGER town_boundaries_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON town_boundaries
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('boundary');
CREATE TRIGGER districts_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON districts
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('districts');
CREATE TRIGGER rivers_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rivers
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('rivers');
CREATE TRIGGER hazard_zones_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON hazard_zones
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('hazard_zones');
CREATE TRIGGER stations_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('stations');
CREATE TRIGGER station_thresholds_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON station_thresholds
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('stations');
CREATE TRIGGER shelters_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON shelters
    FOR EACH STATEMENT EXECUTE FUNCTION bump_layer_revision('shelters');
