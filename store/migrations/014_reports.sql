-- Reports, exports and the audit log page.
--
-- unit_cost is the vendor cost of one eSIM of the line in the order's
-- currency (minor units): the settlement price converted with the pricing
-- rule in force at the sale (billing.Rule.Cost). NULL for lines sold before
-- it was recorded; reports convert those with the current rule and say so.
ALTER TABLE order_lines ADD COLUMN unit_cost INTEGER CHECK (unit_cost IS NULL OR unit_cost >= 0);

-- Order-level copies of the lines' sums, so the sales report reads one
-- covering index and joins no lines: esims is the sum of quantities, cost
-- the sum of unit_cost × quantity over the lines that have a unit_cost
-- (the others are costed apart, from order_lines_uncosted). Lines never
-- change after the order is created, so the copies cannot drift.
ALTER TABLE orders ADD COLUMN esims INTEGER NOT NULL DEFAULT 0 CHECK (esims >= 0);
ALTER TABLE orders ADD COLUMN cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0);
UPDATE orders SET esims = (SELECT coalesce(SUM(quantity), 0) FROM order_lines WHERE order_id = orders.id);

-- Reports bucket paid orders by paid_at and read only these columns, so
-- the index covers the query (no table lookups for 100k orders).
CREATE INDEX orders_report ON orders (paid_at, currency, total, status, placed_at, esims, cost) WHERE paid_at IS NOT NULL;
-- Checkout conversion: orders created in a range, and which were paid.
CREATE INDEX orders_checkouts ON orders (created_at, currency, paid_at);
-- Refunds bucketed by when they happened.
CREATE INDEX orders_refunded ON orders (refunded_at, currency, total) WHERE refunded_at IS NOT NULL;
-- The lines of an order with the columns the plan ranking sums (covering).
CREATE INDEX order_lines_report ON order_lines (order_id, sku_id, quantity, amount, unit_cost, title);
-- Lines sold before unit_cost existed: a fixed set reports cost apart.
CREATE INDEX order_lines_uncosted ON order_lines (order_id, quantity, settlement) WHERE unit_cost IS NULL;
-- The audit log page filters by person and kind, newest first.
CREATE INDEX audit_log_admin ON audit_log (admin_email, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- Where an operator acted from (the client IP as the shop sees it).
ALTER TABLE audit_log ADD COLUMN ip TEXT NOT NULL DEFAULT '';

-- Staff roles: owner (everything), support (orders and their actions),
-- viewer (reads orders and reports). Accounts made before roles existed
-- were all equal, so they are owners.
ALTER TABLE admins ADD COLUMN role TEXT NOT NULL DEFAULT 'owner' CHECK (role IN ('owner', 'support', 'viewer'));
