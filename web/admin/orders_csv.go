package admin

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// orderCSVHeader are the orders export's columns: one row per order line.
var orderCSVHeader = []string{"created_at", "paid_at", "refunded_at", "order", "email", "status", "line", "plan",
	"sku", "copies", "quantity", "amount", "order_total", "currency", "vendor_cost", "vendor_settlement",
	"refunded", "vendor_order_id"}

// handleOrdersCSV serves GET /admin/orders.csv: every line of every order
// the order list's filter (q, status, from, to) matches, streamed.
// Amounts are decimals in major units; vendor_cost is empty for lines sold
// before costs were recorded; refunded is the order's refunded amount
// (refunds are in full).
func (b Business) handleOrdersCSV(c *fiber.Ctx) error {
	f, err := orderFilterQuery(c)
	if err != nil {
		return err
	}
	return streamCSV(c, b.Log, "orders.csv", orderCSVHeader, func(ctx context.Context, write func([]string) error) error {
		return b.DB.ExportOrders(ctx, f, func(r store.OrderExportRow) error {
			money := func(v int64) string { return billing.Money{Amount: v, Currency: r.Currency}.Major() }
			cost, refunded := "", ""
			if r.Cost > 0 {
				cost = money(r.Cost)
			}
			if !r.RefundAt.IsZero() {
				refunded = money(r.Total)
			}
			return write([]string{csvTime(r.CreatedAt), csvTime(r.PaidAt), csvTime(r.RefundAt), r.Number, r.Email,
				string(r.Status), strconv.Itoa(r.Line), r.Title, r.SKUID, strconv.Itoa(r.Copies), strconv.Itoa(r.Quantity),
				money(r.Amount), money(r.Total), r.Currency, cost, r.Settlement, refunded, r.VendorOrderID})
		})
	})
}
