-- One row per catalog sync attempt, for the admin dashboard and alerting.
CREATE TABLE sync_runs (
	id            INTEGER PRIMARY KEY,
	started_at    DATETIME NOT NULL,
	duration_ns   INTEGER NOT NULL CHECK (duration_ns >= 0),
	ok            INTEGER NOT NULL CHECK (ok IN (0, 1)),
	error         TEXT NOT NULL DEFAULT '',
	products      INTEGER NOT NULL DEFAULT 0,
	added         INTEGER NOT NULL DEFAULT 0,
	removed       INTEGER NOT NULL DEFAULT 0,
	price_changes INTEGER NOT NULL DEFAULT 0
);
