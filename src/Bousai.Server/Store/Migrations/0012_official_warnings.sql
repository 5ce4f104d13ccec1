-- Official warnings (issue 12): JMA 防災情報XML telegrams for the town (from the PULL feed, an HQ upload or the drop
-- directory) and what they put in force, kept apart from the local estimates. Every telegram is stored once; the
-- warnings table holds one row per warning per period in force (a new row when it is issued again after it ended).
CREATE TABLE official_telegrams (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    digest            text NOT NULL UNIQUE,
    kind              text NOT NULL CHECK (kind IN ('weather_warning', 'landslide_alert', 'river_flood')),
    publishing_office text NOT NULL,
    title             text NOT NULL,
    info_type         text NOT NULL CHECK (info_type IN ('issue', 'correction', 'cancellation')),
    telegram_status   text NOT NULL CHECK (telegram_status IN ('normal', 'drill', 'test')),
    event_id          text,
    serial            text,
    reported_at       timestamptz NOT NULL,
    -- What the telegram speaks for (its kind; for river forecasts the kind and its rivers): a telegram older than the
    -- latest one of its scope (real, or of the same drill) changes nothing.
    scope             text NOT NULL,
    source            text NOT NULL CHECK (source IN ('jma_feed', 'jma_upload', 'jma_drop')),
    source_ref        text,
    received_at       timestamptz NOT NULL,
    received_by       text NOT NULL,
    drill_id          bigint REFERENCES drills (id),
    xml               text NOT NULL
);

-- The same telegram sent twice (the feed and an upload, a file dropped again) is one telegram even when its bytes differ.
CREATE INDEX official_telegrams_scope ON official_telegrams (scope, coalesce(drill_id, 0), reported_at);

CREATE UNIQUE INDEX official_telegrams_once ON official_telegrams
    (publishing_office, title, reported_at, info_type, telegram_status, coalesce(event_id, ''), coalesce(serial, ''));

CREATE TABLE official_warnings (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- kind, area code, name and condition: the same warning across the telegrams that continue it.
    warning_key      text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('weather_warning', 'landslide_alert', 'river_flood')),
    name             text NOT NULL,
    name_en          text NOT NULL,
    condition        text,
    level_equivalent smallint CHECK (level_equivalent BETWEEN 1 AND 5),
    status           text NOT NULL CHECK (status IN ('in_force', 'ended', 'cancelled')),
    source           text NOT NULL CHECK (source IN ('jma_feed', 'jma_upload', 'jma_drop', 'hand')),
    issued_at        timestamptz NOT NULL,
    valid_until      timestamptz,
    areas            text[] NOT NULL DEFAULT '{}',
    area_codes       text[] NOT NULL DEFAULT '{}',
    rivers           text[] NOT NULL DEFAULT '{}',
    headline         text,
    entered_by       text,
    drill_id         bigint REFERENCES drills (id),
    updated_at       timestamptz NOT NULL,
    telegram_id      bigint REFERENCES official_telegrams (id),
    -- The scope of the telegram that set it: a 発表 of that scope lists everything in force in it, so what it no longer
    -- lists has ended. NULL for a warning entered by hand (HQ ends it, or a telegram that lists it takes it over).
    scope            text,
    -- The ReportDateTime of the telegram that last set this row (for a hand entry, its issue time).
    reported_at      timestamptz NOT NULL
);

CREATE UNIQUE INDEX official_warnings_one_in_force ON official_warnings (warning_key, coalesce(drill_id, 0)) WHERE status = 'in_force';
