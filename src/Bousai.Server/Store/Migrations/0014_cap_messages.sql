-- CAP 1.2 feed (issue 12): every message the feed emitted, per item, in order. An item (a district's level, an official
-- warning, a system alert; a drill's items apart) lives through Alert, Updates and a Cancel; its messages are numbered
-- 1, 2, ... and named {prefix}:{item_key}:{number}. The XML is stored as sent, so a message reads the same forever.
CREATE TABLE cap_messages (
    identifier     text PRIMARY KEY,
    item_key       text NOT NULL,
    number         integer NOT NULL CHECK (number > 0),
    sender         text NOT NULL,
    sent           timestamptz NOT NULL,
    status         text NOT NULL CHECK (status IN ('Actual', 'Exercise')),
    msg_type       text NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
    "references"   text,
    item           jsonb NOT NULL,
    xml            text NOT NULL,
    UNIQUE (item_key, number),
    CHECK ((msg_type = 'Alert') = ("references" IS NULL))
);

CREATE INDEX cap_messages_sent ON cap_messages (sent DESC);
