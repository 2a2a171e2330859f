-- Refunds worked by the support desk: each is an amount (never more than
-- is left of the order's total), a reason, and the eSIMs to cancel at the
-- vendor. The payment refund and the vendor cancel are two steps done by
-- the order's "refund" job, each with its own state, so a failure of
-- either is visible and a crash repeats only what is not done.
CREATE TABLE refunds (
	id             INTEGER PRIMARY KEY,
	order_id       INTEGER NOT NULL REFERENCES orders (id),
	amount         INTEGER NOT NULL CHECK (amount > 0),
	reason         TEXT NOT NULL CHECK (trim(reason) <> ''),
	admin          TEXT NOT NULL,
	-- The eSIMs to cancel at the vendor (space-separated ICCIDs; '' for a
	-- refund of money only) and the installed ones the operator refunded
	-- anyway (never sent to the vendor, which would refuse them).
	iccids         TEXT NOT NULL DEFAULT '',
	installed      TEXT NOT NULL DEFAULT '',
	-- vendor_call is 'F008' (whole order) or 'F017' (chosen eSIMs), '' when
	-- nothing is cancelled.
	vendor_call    TEXT NOT NULL DEFAULT '' CHECK (vendor_call IN ('', 'F008', 'F017')),
	vendor_state   TEXT NOT NULL CHECK (vendor_state IN ('none', 'queued', 'done', 'failed')),
	vendor_answer  TEXT NOT NULL DEFAULT '',
	-- The vendor balance (F014, as text with its currency) around the cancel.
	balance_before TEXT NOT NULL DEFAULT '',
	balance_after  TEXT NOT NULL DEFAULT '',
	payment_state  TEXT NOT NULL CHECK (payment_state IN ('queued', 'done', 'failed')),
	payment_ref    TEXT NOT NULL DEFAULT '',
	payment_error  TEXT NOT NULL DEFAULT '',
	created_at     DATETIME NOT NULL,
	updated_at     DATETIME NOT NULL,
	CHECK ((vendor_call = '') = (vendor_state = 'none'))
);
CREATE INDEX refunds_order ON refunds (order_id, id);

-- Full-text search over orders for the admin's search box: one row per
-- order (rowid = orders.id) holding its number, email, vendor order id,
-- Stripe ids, ICCIDs, SKUs and plan titles. The trigram tokenizer matches
-- any part of a value of three characters or more (the last digits of an
-- ICCID, an email's domain, the tail of an order number). Triggers keep it
-- in step: every change rebuilds the order's row.
CREATE VIRTUAL TABLE order_fts USING fts5 (body, tokenize = 'trigram');

CREATE VIEW order_fts_body (id, body) AS
SELECT o.id, o.number || ' ' || o.email || ' ' || o.vendor_order_id || ' ' || o.payment_ref || ' ' || o.payment_intent
	|| ' ' || coalesce((SELECT group_concat(e.iccid, ' ') FROM esims e WHERE e.order_id = o.id), '')
	|| ' ' || coalesce((SELECT group_concat(l.sku_id || ' ' || l.title, ' ') FROM order_lines l WHERE l.order_id = o.id), '')
FROM orders o;

INSERT INTO order_fts (rowid, body) SELECT id, body FROM order_fts_body;

CREATE TRIGGER order_fts_insert AFTER INSERT ON orders BEGIN
	INSERT INTO order_fts (rowid, body) SELECT id, body FROM order_fts_body WHERE id = NEW.id;
END;
CREATE TRIGGER order_fts_update AFTER UPDATE OF number, email, vendor_order_id, payment_ref, payment_intent ON orders BEGIN
	DELETE FROM order_fts WHERE rowid = NEW.id;
	INSERT INTO order_fts (rowid, body) SELECT id, body FROM order_fts_body WHERE id = NEW.id;
END;
CREATE TRIGGER order_fts_line AFTER INSERT ON order_lines BEGIN
	DELETE FROM order_fts WHERE rowid = NEW.order_id;
	INSERT INTO order_fts (rowid, body) SELECT id, body FROM order_fts_body WHERE id = NEW.order_id;
END;
CREATE TRIGGER order_fts_esim AFTER INSERT ON esims BEGIN
	DELETE FROM order_fts WHERE rowid = NEW.order_id;
	INSERT INTO order_fts (rowid, body) SELECT id, body FROM order_fts_body WHERE id = NEW.order_id;
END;
CREATE TRIGGER order_fts_delete AFTER DELETE ON orders BEGIN
	DELETE FROM order_fts WHERE rowid = OLD.id;
END;
