-- The activity list's recent events skip gauge states: this keeps that lookup an index scan however many there are.
CREATE INDEX situation_events_decisions ON situation_events (seq DESC) WHERE kind <> 'station_state_changed';
