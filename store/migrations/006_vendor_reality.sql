-- What the live Billionconnect API sends beyond the condensed reference
-- (section 5 of the protocol notes): unlimited plans, SKUs skipped or a
-- sync held back, the secret a notice was signed with, and the extra
-- install details an N009 may carry.

-- 1 when the vendor sent -1 ("not limited") for the plan's allowance and
-- no positive amount anywhere: the plan's data is unlimited. data_kb and
-- daily_kb stay 0 for such a plan.
ALTER TABLE products ADD COLUMN unlimited INTEGER NOT NULL DEFAULT 0 CHECK (unlimited IN (0, 1));

-- SKUs a sync left out because they failed decoding or validation:
-- how many, and a JSON array of {"sku","reason"} (capped like the other
-- lists; the count stays exact).
ALTER TABLE sync_runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0);
ALTER TABLE sync_runs ADD COLUMN skipped_skus TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skipped_skus));
-- 1 for a sync that was not swapped in because it would have dropped too
-- much of the live catalog; the operator may apply it.
ALTER TABLE sync_runs ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));

-- Which secret verified a notice: 'current', 'previous' (the one being
-- rotated out) or '' (not verified).
ALTER TABLE vendor_notices ADD COLUMN signed_with TEXT NOT NULL DEFAULT ''
	CHECK (signed_with IN ('', 'current', 'previous'));

-- N009 extras: the confirmation code some profiles need (and whether the
-- LPA string says one is needed), and APN credentials. eSIMs stored
-- before this migration read as needing no confirmation code.
ALTER TABLE esims ADD COLUMN confirmation_required INTEGER NOT NULL DEFAULT 0 CHECK (confirmation_required IN (0, 1));
ALTER TABLE esims ADD COLUMN confirmation_code TEXT NOT NULL DEFAULT '';
ALTER TABLE esims ADD COLUMN apn_username TEXT NOT NULL DEFAULT '';
ALTER TABLE esims ADD COLUMN apn_password TEXT NOT NULL DEFAULT '';
