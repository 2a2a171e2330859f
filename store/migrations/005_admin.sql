-- store:foreign_keys=off
-- The admin dashboard: operators and their sessions, sign-in attempts,
-- the audit log, settings, featured destinations, price overrides, refunds,
-- the SKU ids behind each sync's counts, and indexes for operator search.
--
-- orders is rebuilt because SQLite cannot change a CHECK constraint in
-- place, and refunded is a new status. The first line turns foreign key
-- enforcement off for this migration only (see migrate.go); PRAGMA
-- foreign_key_check runs before it commits.

CREATE TABLE orders_new (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	number          TEXT NOT NULL UNIQUE CHECK (number <> ''),
	token           TEXT NOT NULL CHECK (length(token) >= 22),
	token_hash      BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	email           TEXT NOT NULL CHECK (email <> '' AND length(email) <= 254),
	lang            TEXT NOT NULL CHECK (lang IN ('en', 'es')),
	status          TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'placing', 'placed',
	                    'delivered', 'payment_failed', 'expired', 'needs_attention', 'refunded')),
	currency        TEXT NOT NULL CHECK (length(currency) = 3 AND currency = lower(currency)),
	total           INTEGER NOT NULL CHECK (total > 0),
	provider        TEXT NOT NULL CHECK (provider IN ('stripe', 'demo')),
	payment_ref     TEXT NOT NULL DEFAULT '',
	attention       TEXT NOT NULL DEFAULT '',
	created_at      DATETIME NOT NULL,
	updated_at      DATETIME NOT NULL,
	paid_at         DATETIME,
	vendor_order_id TEXT NOT NULL DEFAULT '',
	placed_at       DATETIME,
	delivered_at    DATETIME,
	vendor_code     TEXT NOT NULL DEFAULT '',
	vendor_msg      TEXT NOT NULL DEFAULT '',
	-- Stripe's payment_intent id ("" for demo orders): what a refund names.
	payment_intent  TEXT NOT NULL DEFAULT '',
	refund_id       TEXT NOT NULL DEFAULT '',
	refunded_at     DATETIME,
	CHECK ((status = 'refunded') = (refunded_at IS NOT NULL))
);

INSERT INTO orders_new (id, number, token, token_hash, email, lang, status, currency, total, provider,
	payment_ref, attention, created_at, updated_at, paid_at, vendor_order_id, placed_at, delivered_at,
	vendor_code, vendor_msg)
SELECT id, number, token, token_hash, email, lang, status, currency, total, provider,
	payment_ref, attention, created_at, updated_at, paid_at, vendor_order_id, placed_at, delivered_at,
	vendor_code, vendor_msg
FROM orders;

-- AUTOINCREMENT's high-water mark survives the rebuild, so no order id (and
-- so no order number) is ever handed out twice.
CREATE TEMP TABLE orders_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'orders';
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(seq), 0) FROM temp.orders_seq))
	WHERE name = 'orders';
INSERT INTO sqlite_sequence (name, seq) SELECT 'orders', seq FROM temp.orders_seq
	WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'orders');
DROP TABLE temp.orders_seq;

CREATE UNIQUE INDEX orders_payment_ref ON orders (payment_ref) WHERE payment_ref <> '';
CREATE INDEX orders_email ON orders (email COLLATE NOCASE);
CREATE INDEX orders_status ON orders (status, created_at);
-- Operator search and the dashboard's newest-first lists and stats.
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_paid ON orders (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX orders_vendor_order ON orders (vendor_order_id) WHERE vendor_order_id <> '';
CREATE INDEX orders_payment_intent ON orders (payment_intent) WHERE payment_intent <> '';

-- Dashboard counters of rejected webhooks.
CREATE INDEX vendor_notices_verdict ON vendor_notices (verdict, received_at);
CREATE INDEX payment_events_verdict ON payment_events (verdict, received_at);

-- Operators. The password hash is made by the caller (bcrypt); the store
-- never sees a password.
CREATE TABLE admins (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE CHECK (email <> '' AND email = lower(email)),
	password_hash TEXT NOT NULL CHECK (password_hash <> ''),
	created_at    DATETIME NOT NULL,
	last_login_at DATETIME
);

-- Signed-in operators. token_hash is the sha256 of the cookie's random
-- token: a copy of the database never yields a usable session.
CREATE TABLE admin_sessions (
	id           INTEGER PRIMARY KEY,
	token_hash   BLOB NOT NULL UNIQUE,
	admin_id     INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
	created_at   DATETIME NOT NULL,
	expires_at   DATETIME NOT NULL,
	last_seen_at DATETIME NOT NULL,
	ip           TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX admin_sessions_admin ON admin_sessions (admin_id);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);

-- Sign-in attempts, persisted so a restart does not reset rate limiting.
CREATE TABLE login_attempts (
	id    INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	ip    TEXT NOT NULL,
	ok    INTEGER NOT NULL CHECK (ok IN (0, 1)),
	at    DATETIME NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, at);

-- What operators did. admin_email is copied so the entry still reads right
-- if the admin's address changes. action_id is the random id of the form
-- that triggered the action: UNIQUE makes a double submit record (and so
-- do) nothing. NULL when the action had no form id.
CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY,
	at          DATETIME NOT NULL,
	admin_id    INTEGER,
	admin_email TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL CHECK (action <> ''),
	order_id    INTEGER,
	sku_id      TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	action_id   TEXT UNIQUE CHECK (action_id IS NULL OR action_id <> '')
);
CREATE INDEX audit_log_order ON audit_log (order_id, id) WHERE order_id IS NOT NULL;

-- Operator settings (the pricing rule and others), validated by the caller.
CREATE TABLE settings (
	key        TEXT PRIMARY KEY CHECK (key <> ''),
	value      TEXT NOT NULL,
	updated_at DATETIME NOT NULL
) WITHOUT ROWID;

-- The home page's featured destinations: one row holding the ISO codes in
-- display order. No row means "never set" (the page uses its default).
CREATE TABLE featured_destinations (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	codes      TEXT NOT NULL CHECK (json_valid(codes) AND json_type(codes) = 'array'),
	updated_at DATETIME NOT NULL
);

-- Per-SKU selling prices set by the operator, per copies tier, in minor
-- units. No foreign key to price_tiers: a sync replaces tiers, and an
-- override must survive that.
CREATE TABLE price_overrides (
	sku_id     TEXT NOT NULL REFERENCES products (sku_id),
	copies     INTEGER NOT NULL CHECK (copies >= 1),
	amount     INTEGER NOT NULL CHECK (amount > 0),
	currency   TEXT NOT NULL CHECK (length(currency) = 3 AND currency = lower(currency)),
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (sku_id, copies)
) WITHOUT ROWID;

-- The SKU ids behind a sync's counts (capped; the counts stay exact).
ALTER TABLE sync_runs ADD COLUMN added_skus TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(added_skus));
ALTER TABLE sync_runs ADD COLUMN removed_skus TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(removed_skus));
ALTER TABLE sync_runs ADD COLUMN price_changed_skus TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(price_changed_skus));
