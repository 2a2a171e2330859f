-- Fulfilment: what the vendor said about an order (its ids, its last error),
-- the eSIMs it delivered, every raw vendor notice, and the mail sent to the
-- buyer. Like the order tables, these rows are records: none is deleted.

-- The vendor's ids and the fulfilment timestamps of an order. vendor_code and
-- vendor_msg keep the vendor's last error for the operator.
ALTER TABLE orders ADD COLUMN vendor_order_id TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN placed_at DATETIME;
ALTER TABLE orders ADD COLUMN delivered_at DATETIME;
ALTER TABLE orders ADD COLUMN vendor_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN vendor_msg TEXT NOT NULL DEFAULT '';

-- The vendor's subOrderId for the line (our channelSubOrderId is number).
ALTER TABLE order_lines ADD COLUMN vendor_sub_order_id TEXT NOT NULL DEFAULT '';

-- The fencing token of a job run: bumped by every claim and, unlike
-- attempts, never reset, so a worker whose lease was taken over can never
-- finish a later run of the same job.
ALTER TABLE jobs ADD COLUMN claim INTEGER NOT NULL DEFAULT 0;

-- Delivered eSIMs (N009). UNIQUE (iccid) is what makes a repeated delivery
-- notice add nothing: the vendor retries N009 and may send it again later.
CREATE TABLE esims (
	id                  INTEGER PRIMARY KEY,
	order_id            INTEGER NOT NULL REFERENCES orders (id),
	line_id             INTEGER NOT NULL REFERENCES order_lines (id),
	vendor_sub_order_id TEXT NOT NULL DEFAULT '',
	uid                 TEXT NOT NULL DEFAULT '',
	iccid               TEXT NOT NULL UNIQUE CHECK (iccid <> ''),
	-- The whole LPA activation string (what the QR code encodes) and its
	-- SM-DP+ address and activation code for manual installation.
	lpa                 TEXT NOT NULL,
	smdp                TEXT NOT NULL DEFAULT '',
	activation_code     TEXT NOT NULL DEFAULT '',
	apn                 TEXT NOT NULL DEFAULT '',
	pin                 TEXT NOT NULL DEFAULT '',
	puk                 TEXT NOT NULL DEFAULT '',
	msisdn              TEXT NOT NULL DEFAULT '',
	install_by          DATETIME,
	rechargeable        INTEGER NOT NULL DEFAULT 0 CHECK (rechargeable IN (0, 1)),
	-- F042/N012 status code; -1 until the vendor reports one.
	profile_status      INTEGER NOT NULL DEFAULT -1 CHECK (profile_status >= -1),
	profile_status_at   DATETIME,
	plan_start_at       DATETIME,
	plan_end_at         DATETIME,
	created_at          DATETIME NOT NULL
);
CREATE INDEX esims_order ON esims (order_id, line_id, id);

-- Every notice the vendor POSTed, stored raw before it is acted on: one row
-- per delivery attempt, duplicates included, because each is evidence. No
-- foreign key on order_id: a notice naming no known order is still kept.
CREATE TABLE vendor_notices (
	id          INTEGER PRIMARY KEY,
	trade_type  TEXT NOT NULL,
	-- JSON object of the relevant request headers; never the app secret.
	headers     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers)),
	body        BLOB NOT NULL,
	verdict     TEXT NOT NULL CHECK (verdict IN ('received', 'accepted', 'rejected', 'duplicate',
	                'malformed', 'ignored', 'unmatched')),
	error       TEXT NOT NULL DEFAULT '',
	order_id    INTEGER,
	-- What identifies the same notice sent again ("" when nothing does).
	dedupe_key  TEXT NOT NULL DEFAULT '',
	received_at DATETIME NOT NULL
);
CREATE INDEX vendor_notices_dedupe ON vendor_notices (dedupe_key, verdict) WHERE dedupe_key <> '';
CREATE INDEX vendor_notices_order ON vendor_notices (order_id, id) WHERE order_id IS NOT NULL;

-- Mail to buyers, with its outcome. Without SMTP configured a mail is kept
-- here only (status 'logged') so an operator can still forward it.
CREATE TABLE mails (
	id         INTEGER PRIMARY KEY,
	order_id   INTEGER REFERENCES orders (id),
	kind       TEXT NOT NULL CHECK (kind <> ''),
	to_addr    TEXT NOT NULL CHECK (to_addr <> ''),
	subject    TEXT NOT NULL,
	text_body  TEXT NOT NULL,
	html_body  TEXT NOT NULL,
	status     TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'logged', 'failed')),
	error      TEXT NOT NULL DEFAULT '',
	created_at DATETIME NOT NULL,
	sent_at    DATETIME
);
CREATE INDEX mails_order ON mails (order_id, id) WHERE order_id IS NOT NULL;
