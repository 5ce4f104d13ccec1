-- Web Push for residents (issue 14). A resident opts in with no account: the server keeps the browser's push
-- subscription (its endpoint URL and keys, which the browser made for this server alone) and the topics chosen, nothing
-- else: no name, no location, no address, no client address.

-- The server's VAPID key pair, made once by the first instance that starts and kept: every instance signs with it, and
-- a new key would orphan every subscription (browsers bind a subscription to the key it was made with).
CREATE TABLE push_vapid_keys (
    singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    public_key  text NOT NULL,
    private_key text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- topics: 'district:<id>', 'shelter:<id>', 'town' (official warnings for the town).
CREATE TABLE push_subscriptions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint   text NOT NULL UNIQUE,
    p256dh     text NOT NULL,
    auth       text NOT NULL,
    language   text NOT NULL CHECK (language IN ('ja', 'en')),
    topics     text[] NOT NULL CHECK (cardinality(topics) > 0),
    drills     boolean NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX push_subscriptions_topics ON push_subscriptions USING gin (topics);

-- The outbox: what residents are told of a change, written in the transaction of the change (with its situation event).
-- facts: the notice as the rules made it (kind, level, subject); payloads: what a phone shows, per language, written
-- when the notice is fanned out into deliveries (one per subscription of its topic).
CREATE TABLE push_notices (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq           bigint NOT NULL,
    topic         text NOT NULL,
    drill         boolean NOT NULL,
    urgency       text NOT NULL CHECK (urgency IN ('very_low', 'low', 'normal', 'high')),
    ttl_seconds   integer NOT NULL CHECK (ttl_seconds > 0),
    facts         jsonb NOT NULL,
    payloads      jsonb,
    created_at    timestamptz NOT NULL,
    fanned_out_at timestamptz
);
CREATE INDEX push_notices_waiting ON push_notices (id) WHERE fanned_out_at IS NULL;

-- One notice to one subscription, until the push service accepted it (then the row goes). A sender that takes rows
-- moves their due_at past its lease, so other instances skip them and a lease that runs out (its sender died) makes
-- them due again; a retry moves due_at by its backoff.
CREATE TABLE push_deliveries (
    notice_id       bigint NOT NULL REFERENCES push_notices (id) ON DELETE CASCADE,
    subscription_id bigint NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    attempts        integer NOT NULL DEFAULT 0,
    due_at          timestamptz NOT NULL,
    last_status     integer,
    PRIMARY KEY (notice_id, subscription_id)
);
CREATE INDEX push_deliveries_due ON push_deliveries (due_at);
CREATE INDEX push_deliveries_subscription ON push_deliveries (subscription_id);

-- What residents were last told of a shelter or an official warning (its key and drill) ('open', 'full', 'closed';
-- 'in_force', 'over'), so
-- a change says "opened" or "full" only once, whatever else the event carried (a head count, a hazard).
CREATE TABLE push_marks (
    subject text PRIMARY KEY,
    mark    text NOT NULL
);

-- Today's state is what residents would have been told so far: no notice for what is already so.
INSERT INTO push_marks (subject, mark)
SELECT 'shelter:' || s.id,
       CASE WHEN st.status IS DISTINCT FROM 'open' THEN 'closed'
            WHEN st.declared_full OR (s.capacity > 0 AND st.occupancy * 100 >= s.capacity * 80) THEN 'full'
            ELSE 'open' END
FROM shelters s LEFT JOIN shelter_status st ON st.shelter_id = s.id;

INSERT INTO push_marks (subject, mark)
SELECT 'warning:' || warning_key || ':' || coalesce(drill_id, 0), 'in_force' FROM official_warnings WHERE status = 'in_force'
ON CONFLICT DO NOTHING;
