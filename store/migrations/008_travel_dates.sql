-- How far ahead of the order a SKU's travel start may be
-- (estimatedUseTimeGapHours); 0 when the vendor gives no window.
ALTER TABLE products ADD COLUMN use_time_gap_hours INTEGER NOT NULL DEFAULT 0 CHECK (use_time_gap_hours >= 0);

-- The buyer's travel start date (YYYY-MM-DD) for plans whose vendor order
-- needs estimatedUseTime; '' for the others and for older orders.
ALTER TABLE orders ADD COLUMN travel_date TEXT NOT NULL DEFAULT '';

-- The catalog a held sync fetched (gzip-compressed JSON), so an operator
-- can apply exactly what was reviewed, after a restart too. Only the newest
-- held sync keeps its catalog.
CREATE TABLE held_catalogs (
	run_id     INTEGER PRIMARY KEY REFERENCES sync_runs (id),
	body       BLOB NOT NULL,
	created_at DATETIME NOT NULL
);
