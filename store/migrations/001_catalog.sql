-- The vendor catalog. Products are never deleted (orders reference them):
-- a SKU that leaves the vendor's catalog gets active = 0.

-- Destinations from F001. Pages name countries from the ISO code, never from
-- the vendor's name (it may be Chinese), so no name is stored.
CREATE TABLE countries (
	code      TEXT PRIMARY KEY CHECK (length(code) = 2 AND code = upper(code)),
	continent TEXT NOT NULL DEFAULT '',
	flag_url  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE products (
	sku_id           TEXT PRIMARY KEY CHECK (sku_id <> ''),
	name             TEXT NOT NULL,
	description      TEXT NOT NULL,
	type             INTEGER NOT NULL,
	days             INTEGER NOT NULL,
	plan_type        INTEGER NOT NULL,
	data_kb          INTEGER NOT NULL,
	daily_kb         INTEGER NOT NULL,
	speed_after_kbps INTEGER NOT NULL,
	hotspot_raw      TEXT NOT NULL,
	validity_days    INTEGER NOT NULL,
	usage_count      INTEGER NOT NULL,
	rechargeable     INTEGER NOT NULL CHECK (rechargeable IN (0, 1)),
	needs_use_time   INTEGER NOT NULL CHECK (needs_use_time IN (0, 1)),
	refund_policy    TEXT NOT NULL,
	speed_limit_rule TEXT NOT NULL,
	provider         TEXT NOT NULL,
	apply_to_device  TEXT NOT NULL,
	-- "" for a single-country plan, else a slug from regions.go.
	region           TEXT NOT NULL,
	active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	-- Set by the operator; a sync never touches it.
	hidden           INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
	-- sha256 of the product as last synced (vendor fields, coverage, tiers,
	-- derived region): an unchanged SKU is skipped by the next sync instead
	-- of having its children rewritten.
	content_hash     TEXT NOT NULL,
	created_at       DATETIME NOT NULL,
	updated_at       DATETIME NOT NULL
);

-- F003 prices. Decimal strings exactly as the vendor sent them, in the
-- vendor account's currency; never REAL.
CREATE TABLE price_tiers (
	sku_id           TEXT NOT NULL REFERENCES products (sku_id) ON DELETE CASCADE,
	copies           INTEGER NOT NULL CHECK (copies >= 1),
	retail_price     TEXT NOT NULL,
	settlement_price TEXT NOT NULL,
	PRIMARY KEY (sku_id, copies)
) WITHOUT ROWID;

-- Countries a product works in. No foreign key to countries: F002 may name
-- a country F001 does not list, and that must not fail the sync.
--
-- operators is a JSON array of {"name","network","priority"}, sorted by
-- priority. It is a value owned by this row: always read and replaced with
-- it, never queried on its own. A child table would double the rows a sync
-- writes (about 65k coverage rows for 5,000 SKUs) for no query we need.
CREATE TABLE coverage (
	sku_id       TEXT NOT NULL REFERENCES products (sku_id) ON DELETE CASCADE,
	country_code TEXT NOT NULL CHECK (length(country_code) = 2 AND country_code = upper(country_code)),
	apn          TEXT NOT NULL,
	apn_username TEXT NOT NULL,
	apn_password TEXT NOT NULL,
	apn_manual   INTEGER NOT NULL CHECK (apn_manual IN (0, 1)),
	operators    TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(operators)),
	PRIMARY KEY (sku_id, country_code)
) WITHOUT ROWID;

-- "Plans for Japan": find products by destination without a full scan.
CREATE INDEX coverage_country ON coverage (country_code);
