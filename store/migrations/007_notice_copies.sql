-- A repeated vendor notice (a redelivery or a replay) is stored as a
-- reference to the first copy with the same content instead of a second
-- body; old notices are purged by received_at.
ALTER TABLE vendor_notices ADD COLUMN duplicate_of INTEGER;
CREATE INDEX vendor_notices_received ON vendor_notices (received_at);
CREATE INDEX vendor_notices_first ON vendor_notices (dedupe_key, id) WHERE dedupe_key <> '' AND duplicate_of IS NULL;

-- A profile status (N012) for an eSIM the shop does not have yet: the
-- notice can beat its N009. The newest per eSIM and order waits here and is
-- applied when the eSIM is stored.
CREATE TABLE pending_profile_status (
	iccid        TEXT NOT NULL,
	order_number TEXT NOT NULL,
	status       INTEGER NOT NULL CHECK (status >= 0),
	status_at    DATETIME NOT NULL,
	received_at  DATETIME NOT NULL,
	PRIMARY KEY (iccid, order_number)
);
