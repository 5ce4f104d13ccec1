-- A signed-in staff member's session lives on the server, so logout, disabling an account or changing its role ends
-- it at once: the cookie only carries the session id, and every request checks the row (by primary key) and its user.
-- role is the role the session was opened with; a session whose user's role has since changed is no longer valid.
CREATE TABLE staff_sessions (
    id         uuid PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
);

CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- A disabled account cannot sign in, and its open sessions end.
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

-- Sign-in abuse is handled by rate limits per address and per account name (which cannot be used to lock a real user
-- out for long, and treat known and unknown names alike), so the per-account hard lockout is gone.
ALTER TABLE users
    DROP COLUMN failed_login_count,
    DROP COLUMN locked_until;
