-- Threshold alerts raised by the system (issue 12). An alert is raised by HQ by hand (source 'hq') or by a threshold
-- rule of a station (source 'system': station, rule kind, step, 警戒レベル相当, the message in English too). A rule
-- family (one station, one kind) owns at most one alert: escalation updates it (updated_at), so it is never stacked.
ALTER TABLE alerts
    ADD COLUMN source           text NOT NULL DEFAULT 'hq' CHECK (source IN ('hq', 'system')),
    ADD COLUMN station_id       text REFERENCES stations (id),
    ADD COLUMN rule_kind        text CHECK (rule_kind IN ('river_stage', 'sixty_minute_rain', 'local_landslide', 'gauge_silence')),
    ADD COLUMN step             text CHECK (step IN ('observing', 'caution', 'evacuation', 'danger', 'rain_criterion', 'landslide_warning', 'silent')),
    ADD COLUMN level_equivalent smallint CHECK (level_equivalent BETWEEN 1 AND 5),
    ADD COLUMN message_en       text,
    ADD COLUMN drill_id         bigint REFERENCES drills (id),
    ADD COLUMN updated_at       timestamptz,
    ADD CONSTRAINT alerts_system_names_its_rule
        CHECK (source = 'hq' OR (station_id IS NOT NULL AND rule_kind IS NOT NULL AND step IS NOT NULL));

CREATE INDEX alerts_active ON alerts (raised_at DESC) WHERE status <> 'cleared';

-- The rules as data, one row per station and kind. What a rule compares against lives where it already lives: a river
-- stage rule reads the station's own station_thresholds, a gauge silence rule the station's expected_interval_minutes,
-- the local landslide rule the town's criteria (LandslideCriteria.Takahata). The row holds what HQ tunes:
--   duration_seconds     how long the condition must hold before it raises or escalates (0: on the first reading),
--   clear_after_seconds  how long the value must stay on the clear side before the alert clears,
--   clear_margin         how far below the lowest line the clear side starts: metres (river_stage), mm
--                        (sixty_minute_rain), soil water index (local_landslide); none for gauge_silence,
--   criterion_mm         the 60-minute rain criterion of the station (sixty_minute_rain only).
CREATE TABLE alert_rules (
    station_id          text NOT NULL REFERENCES stations (id) ON DELETE CASCADE,
    kind                text NOT NULL CHECK (kind IN ('river_stage', 'sixty_minute_rain', 'local_landslide', 'gauge_silence')),
    duration_seconds    integer NOT NULL CHECK (duration_seconds >= 0),
    clear_after_seconds integer NOT NULL CHECK (clear_after_seconds >= 0),
    clear_margin        double precision CHECK (clear_margin >= 0),
    criterion_mm        double precision CHECK (criterion_mm > 0),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          text,
    PRIMARY KEY (station_id, kind),
    CHECK ((kind = 'sixty_minute_rain') = (criterion_mm IS NOT NULL)),
    CHECK ((kind = 'gauge_silence') = (clear_margin IS NULL))
);

-- Where each rule family stands (Bousai.Domain.Alerts.ThresholdRuleState as JSON) and the alert it owns. Evaluation
-- locks this row (FOR UPDATE), evaluates, and writes the state with the alert change in one transaction, so a restart
-- resumes from it and two instances evaluating the same reading raise one alert.
CREATE TABLE alert_rule_states (
    station_id text NOT NULL,
    kind       text NOT NULL,
    state      jsonb NOT NULL DEFAULT '{}',
    alert_id   bigint REFERENCES alerts (id),
    updated_at timestamptz,
    PRIMARY KEY (station_id, kind),
    FOREIGN KEY (station_id, kind) REFERENCES alert_rules (station_id, kind) ON DELETE CASCADE
);

-- How far the evaluators have followed the situation log (station_state_changed). Starts at the log's head: a gauge
-- already high when this migration runs raises with its next reading, not with the readings of the past 14 days.
CREATE TABLE alert_rule_log_position (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_seq bigint NOT NULL
);
INSERT INTO alert_rule_log_position (last_seq) SELECT last_seq FROM situation_event_sequence;

-- The rules a new station starts with. Defaults (HQ tunes them per station with PUT /api/stations/{id}/alert-rules/{kind}):
--   river_stage        raise on the first reading at a line (gauges report every 10 minutes; a river may rise fast),
--                      clear 0.10 m below the lowest line held for 30 minutes;
--   sixty_minute_rain  criterion: the station's property rain_criterion_mm, else 50 mm, the town's heavy-rain warning
--                      criterion for 1-hour rain on flat land (domain guide; 70 mm elsewhere), raise at once, clear
--                      10 mm below it held for 60 minutes;
--   local_landslide    raise at once when the town's own estimate is 警戒, clear with the soil water index 10 below
--                      its warning line (97) held for 60 minutes;
--   gauge_silence      raise when the gauge is stale (its expected interval, one missed report tolerated, daily for a
--                      low crisis gauge), clear when it has reported on time for 10 minutes.
CREATE FUNCTION alert_rule_defaults(station_kind text, properties jsonb)
    RETURNS TABLE (kind text, duration_seconds integer, clear_after_seconds integer, clear_margin double precision, criterion_mm double precision)
    LANGUAGE sql IMMUTABLE AS $$
    SELECT d.kind, d.duration_seconds, d.clear_after_seconds, d.clear_margin, d.criterion_mm
    FROM (VALUES
        ('water_level', 'river_stage', 0, 1800, 0.10::float8, NULL::float8),
        ('rain', 'sixty_minute_rain', 0, 3600, 10, coalesce(CASE WHEN jsonb_typeof(properties->'rain_criterion_mm') = 'number'
            AND (properties->>'rain_criterion_mm')::float8 > 0 THEN (properties->>'rain_criterion_mm')::float8 END, 50)),
        ('rain', 'local_landslide', 0, 3600, 10, NULL),
        (station_kind, 'gauge_silence', 0, 600, NULL, NULL)
    ) AS d (station_kind, kind, duration_seconds, clear_after_seconds, clear_margin, criterion_mm)
    WHERE d.station_kind = alert_rule_defaults.station_kind
    $$;

CREATE FUNCTION seed_alert_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_rules (station_id, kind, duration_seconds, clear_after_seconds, clear_margin, criterion_mm)
    SELECT NEW.id, d.kind, d.duration_seconds, d.clear_after_seconds, d.clear_margin, d.criterion_mm
    FROM alert_rule_defaults(NEW.kind, NEW.properties) d
    ON CONFLICT DO NOTHING;
    INSERT INTO alert_rule_states (station_id, kind)
    SELECT station_id, kind FROM alert_rules WHERE station_id = NEW.id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER stations_seed_alert_rules AFTER INSERT ON stations FOR EACH ROW EXECUTE FUNCTION seed_alert_rules();

INSERT INTO alert_rules (station_id, kind, duration_seconds, clear_after_seconds, clear_margin, criterion_mm)
SELECT s.id, d.kind, d.duration_seconds, d.clear_after_seconds, d.clear_margin, d.criterion_mm
FROM stations s CROSS JOIN LATERAL alert_rule_defaults(s.kind, s.properties) d;
INSERT INTO alert_rule_states (station_id, kind) SELECT station_id, kind FROM alert_rules;
