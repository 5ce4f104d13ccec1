-- A report a crew sends while a drill (訓練) is on belongs to that drill: marked 訓練 / EXERCISE wherever it shows, and
-- gone from the live picture when the drill ends. Real reports keep drill_id NULL.
ALTER TABLE field_reports ADD COLUMN drill_id bigint REFERENCES drills (id);
