-- District levels recommended by the system and decided by a person (issue 12). The system recommends a 警戒レベル for a
-- district on a basis (a gauge's stage, an official warning in force); a person issues it or dismisses it with a reason.
-- One open recommendation per (district, level, basis) in the live picture; superseded when its basis goes away or a
-- higher one comes. basis_ended_at marks when the basis went away, so a dismissed recommendation keeps the system
-- from asking again only while its basis holds.
CREATE TABLE evacuation_recommendations (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    district_id    text NOT NULL REFERENCES districts (id) ON DELETE CASCADE,
    level          smallint NOT NULL CHECK (level IN (3, 4, 5)),
    basis          text NOT NULL,
    reason_ja      text NOT NULL,
    reason_en      text NOT NULL,
    made_at        timestamptz NOT NULL,
    status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'issued', 'dismissed', 'superseded')),
    answered_by    text,
    answered_at    timestamptz,
    answer_reason  text,
    basis_ended_at timestamptz,
    drill_id       bigint REFERENCES drills (id),
    CHECK ((status = 'open') = (answered_at IS NULL))
);

CREATE UNIQUE INDEX evacuation_recommendations_one_open
    ON evacuation_recommendations (district_id, level, basis, coalesce(drill_id, 0)) WHERE status = 'open';

-- A level issued during a drill sits beside the real one: one row per district and drill (drill_id NULL = real).
ALTER TABLE district_evacuation_levels
    DROP CONSTRAINT district_evacuation_levels_pkey,
    ADD COLUMN recommendation_id bigint REFERENCES evacuation_recommendations (id),
    ADD COLUMN drill_id bigint REFERENCES drills (id);

ALTER TABLE district_evacuation_levels
    ADD CONSTRAINT district_evacuation_levels_one_per_drill UNIQUE NULLS NOT DISTINCT (district_id, drill_id);
