-- Field reports from crews' phones (issue 10): sent from an outbox with a client-generated id (a retry finds its report
-- instead of making another), a severity, when it was seen, the GPS accuracy, photos, and HQ's triage workflow.

ALTER TABLE field_reports
    ADD COLUMN client_id        uuid,
    ADD COLUMN severity         text,
    ADD COLUMN observed_at      timestamptz,
    ADD COLUMN accuracy_m       real CHECK (accuracy_m >= 0),
    -- SHA-256 of the submitted content (photos' bytes included): a retry with other content is refused, not merged.
    ADD COLUMN content_digest   bytea,
    -- The district the report lies in, found at submission; null just outside the town.
    ADD COLUMN district_id      text REFERENCES districts (id),
    ADD COLUMN assigned_to      bigint REFERENCES users (id),
    ADD COLUMN duplicate_of     bigint REFERENCES field_reports (id),
    ADD COLUMN rejection_reason text,
    ADD COLUMN public_summary   text;

-- Reports sent before had no client id, no severity and no observation time of their own.
UPDATE field_reports SET client_id = gen_random_uuid(), severity = 'serious', observed_at = reported_at;
UPDATE field_reports r SET district_id = (SELECT d.id FROM districts d WHERE ST_Covers(d.geom, r.geom) ORDER BY d.id LIMIT 1);

ALTER TABLE field_reports
    ALTER COLUMN client_id SET NOT NULL,
    ADD CONSTRAINT field_reports_client_id UNIQUE (client_id),
    ALTER COLUMN severity SET NOT NULL,
    ADD CONSTRAINT field_reports_severity CHECK (severity IN ('minor', 'serious', 'critical')),
    ALTER COLUMN observed_at SET NOT NULL,
    ALTER COLUMN description DROP NOT NULL,
    DROP CONSTRAINT field_reports_category,
    ADD CONSTRAINT field_reports_category
        CHECK (category IN ('flooding', 'landslide', 'road_blocked', 'building_damage', 'rescue_needed', 'river_anomaly', 'other')),
    DROP CONSTRAINT field_reports_status_check,
    ADD CONSTRAINT field_reports_duplicate CHECK ((status = 'duplicate') = (duplicate_of IS NOT NULL) AND duplicate_of <> id);

-- The verified flag becomes a status of its own.
UPDATE field_reports SET status = 'verified' WHERE verified AND status = 'new';
ALTER TABLE field_reports
    DROP COLUMN verified,
    ADD CONSTRAINT field_reports_status CHECK (status IN ('new', 'verified', 'in_progress', 'resolved', 'rejected', 'duplicate'));

CREATE INDEX field_reports_reported_by ON field_reports (reported_by, reported_at DESC);

-- Photos live in the database, by the hash of the stored (re-encoded, metadata-free) image: they commit with their
-- report, so a refused report leaves nothing behind and no file can be orphaned; every instance sees them without a
-- shared file system; one pg_dump backs up everything. Shrunk to a long side of 1,600 px they are a few hundred KB.
CREATE TABLE report_photos_content (
    hash       bytea PRIMARY KEY CHECK (length(hash) = 32),
    image      bytea NOT NULL,
    thumbnail  bytea NOT NULL,
    width      integer NOT NULL CHECK (width > 0),
    height     integer NOT NULL CHECK (height > 0),
    image_bytes integer NOT NULL CHECK (image_bytes > 0)
);

-- A report's photos in the crew's order. Positions start at 1; a merged duplicate's photos follow the target's own,
-- so a merged report may have more than the 4 a crew can send.
CREATE TABLE field_report_photos (
    report_id bigint NOT NULL REFERENCES field_reports (id),
    position  smallint NOT NULL CHECK (position >= 1),
    hash      bytea NOT NULL REFERENCES report_photos_content (hash),
    public    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (report_id, position)
);

CREATE INDEX audit_log_field_reports ON audit_log (entity_id, id) WHERE entity = 'field_report';
-- A report's history includes the duplicates merged into it (recorded on the duplicate, naming this one as target).
CREATE INDEX audit_log_field_report_merges ON audit_log ((details -> 'target' ->> 'reportId'))
    WHERE entity = 'field_report' AND action = 'report.duplicate';
