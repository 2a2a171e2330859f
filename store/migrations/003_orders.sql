-- Orders, their history, the raw payment events that moved them, and the
-- job table that carries a paid order to the vendor. Rows here are money
-- records: none is ever deleted.

-- AUTOINCREMENT so an id (and so an order number) is never handed out twice,
-- even if the newest order row were ever removed by hand.
CREATE TABLE orders (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	-- Sent to the vendor as channelOrderId, on which F040 is idempotent.
	number      TEXT NOT NULL UNIQUE CHECK (number <> ''),
	-- The buyer's key to the order page. Looked up by token_hash (a fixed
	-- width, unguessable key) so index comparisons never run on the secret
	-- itself; token is kept to build links for later emails.
	token       TEXT NOT NULL CHECK (length(token) >= 22),
	token_hash  BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
	email       TEXT NOT NULL CHECK (email <> '' AND length(email) <= 254),
	lang        TEXT NOT NULL CHECK (lang IN ('en', 'es')),
	status      TEXT NOT NULL CHECK (status IN ('pending_payment', 'paid', 'placing', 'placed',
	                'delivered', 'payment_failed', 'expired', 'needs_attention')),
	currency    TEXT NOT NULL CHECK (length(currency) = 3 AND currency = lower(currency)),
	total       INTEGER NOT NULL CHECK (total > 0),
	provider    TEXT NOT NULL CHECK (provider IN ('stripe', 'demo')),
	payment_ref TEXT NOT NULL DEFAULT '',
	attention   TEXT NOT NULL DEFAULT '',
	created_at  DATETIME NOT NULL,
	updated_at  DATETIME NOT NULL,
	paid_at     DATETIME
);

-- One checkout session belongs to one order: OrderByPaymentRef is exact.
CREATE UNIQUE INDEX orders_payment_ref ON orders (payment_ref) WHERE payment_ref <> '';
-- "Find my order" and operator search by buyer.
CREATE INDEX orders_email ON orders (email COLLATE NOCASE);
-- Sweeps (expire stale pending orders) and the dashboard's status lists.
CREATE INDEX orders_status ON orders (status, created_at);

-- What the buyer bought, frozen at purchase time: later catalog syncs
-- change products and prices, never these rows. sku_id references products,
-- which are never deleted.
CREATE TABLE order_lines (
	id          INTEGER PRIMARY KEY,
	order_id    INTEGER NOT NULL REFERENCES orders (id),
	position    INTEGER NOT NULL CHECK (position >= 1),
	-- Sent to the vendor as channelSubOrderId.
	number      TEXT NOT NULL UNIQUE CHECK (number <> ''),
	sku_id      TEXT NOT NULL REFERENCES products (sku_id),
	title       TEXT NOT NULL,
	copies      INTEGER NOT NULL CHECK (copies >= 1),
	quantity    INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 10),
	days        INTEGER NOT NULL CHECK (days >= 0),
	data_kb     INTEGER NOT NULL CHECK (data_kb >= 0),
	daily_kb    INTEGER NOT NULL CHECK (daily_kb >= 0),
	unit_amount INTEGER NOT NULL CHECK (unit_amount > 0),
	amount      INTEGER NOT NULL CHECK (amount = unit_amount * quantity),
	-- Vendor settlement price (decimal text, vendor currency), for margins.
	settlement  TEXT NOT NULL,
	UNIQUE (order_id, position)
);

-- Every status change, with its cause: the audit trail an operator reads
-- when a buyer asks "what happened to my order?".
CREATE TABLE order_events (
	id          INTEGER PRIMARY KEY,
	order_id    INTEGER NOT NULL REFERENCES orders (id),
	at          DATETIME NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	cause       TEXT NOT NULL
);
CREATE INDEX order_events_order ON order_events (order_id, id);

-- Raw payment-provider events, stored before they are acted on. No foreign
-- key on order_id: an event naming an unknown order must still be kept.
CREATE TABLE payment_events (
	id          INTEGER PRIMARY KEY,
	provider    TEXT NOT NULL CHECK (provider <> ''),
	event_id    TEXT NOT NULL CHECK (event_id <> ''),
	type        TEXT NOT NULL,
	order_id    INTEGER,
	payload     BLOB NOT NULL,
	verdict     TEXT NOT NULL CHECK (verdict IN ('received', 'accepted', 'duplicate', 'rejected', 'ignored', 'mismatch')),
	received_at DATETIME NOT NULL,
	UNIQUE (provider, event_id)
);
CREATE INDEX payment_events_order ON payment_events (order_id, id) WHERE order_id IS NOT NULL;

-- Durable background work. UNIQUE (kind, order_id) is what makes "place this
-- order at the vendor" happen at most once per order, whatever races the
-- code loses. lease_until is for the worker: a running job whose lease ran
-- out (crashed process) may be picked up again.
CREATE TABLE jobs (
	id          INTEGER PRIMARY KEY,
	kind        TEXT NOT NULL CHECK (kind <> ''),
	order_id    INTEGER NOT NULL REFERENCES orders (id),
	state       TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
	attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	run_at      DATETIME NOT NULL,
	lease_until DATETIME,
	last_error  TEXT NOT NULL DEFAULT '',
	created_at  DATETIME NOT NULL,
	updated_at  DATETIME NOT NULL,
	UNIQUE (kind, order_id)
);
CREATE INDEX jobs_due ON jobs (state, run_at);
