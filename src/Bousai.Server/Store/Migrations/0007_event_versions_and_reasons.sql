-- Every stored event payload says which shape of its kind it has, so a server reading the log (replay of up to
-- 14 days) knows whether it can read it. The rows already stored are version 1; new rows state their version.
ALTER TABLE situation_events ADD COLUMN payload_version smallint NOT NULL DEFAULT 1;
ALTER TABLE situation_events ALTER COLUMN payload_version DROP DEFAULT;

-- Why a district's 警戒レベル was issued or lifted (the order states it). Levels recorded before had none.
ALTER TABLE district_evacuation_levels ADD COLUMN reason text;
