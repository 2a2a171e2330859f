-- After the sale: "My eSIMs" sign-in by email link, and the cached usage
-- figures of each eSIM.

-- A one-time sign-in link. Only the SHA-256 of the token is kept, so a copy
-- of the database signs nobody in; used_at makes it single use.
CREATE TABLE signin_tokens (
	token_hash TEXT PRIMARY KEY,
	email      TEXT NOT NULL CHECK (email <> '' AND email = lower(email)),
	created_at DATETIME NOT NULL,
	expires_at DATETIME NOT NULL,
	used_at    DATETIME
);
CREATE INDEX signin_tokens_expires ON signin_tokens (expires_at);

-- Every request for a link (and for an order's link by email), whatever its
-- outcome, counted per email and per client IP to rate-limit them.
CREATE TABLE signin_requests (
	id    INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	ip    TEXT NOT NULL,
	at    DATETIME NOT NULL
);
CREATE INDEX signin_requests_email ON signin_requests (email, at);
CREATE INDEX signin_requests_ip ON signin_requests (ip, at);

-- A buyer's "My eSIMs" session: the SHA-256 of the cookie's value.
CREATE TABLE buyer_sessions (
	session_hash TEXT PRIMARY KEY,
	email        TEXT NOT NULL CHECK (email <> '' AND email = lower(email)),
	created_at   DATETIME NOT NULL,
	expires_at   DATETIME NOT NULL
);
CREATE INDEX buyer_sessions_expires ON buyer_sessions (expires_at);

-- The last usage figures the vendor gave for an eSIM (F046), as JSON, and
-- when the vendor was last asked: checked_at bounds vendor calls per eSIM
-- whatever the traffic; fetched_at is when the figures were current; error
-- is the last failure ("" after a success).
CREATE TABLE esim_usage (
	iccid      TEXT PRIMARY KEY,
	checked_at DATETIME NOT NULL,
	fetched_at DATETIME,
	plans      TEXT NOT NULL DEFAULT '[]',
	error      TEXT NOT NULL DEFAULT ''
);

-- A top-up is an order of its own (paid, placed and refunded like any
-- other) that adds a plan to an eSIM of an earlier order: F007 instead of
-- F040, N013 instead of N009.
CREATE TABLE topups (
	order_id  INTEGER PRIMARY KEY REFERENCES orders(id),
	parent_id INTEGER NOT NULL REFERENCES orders(id),
	iccid     TEXT NOT NULL CHECK (iccid <> '')
);
CREATE INDEX topups_parent ON topups (parent_id);
