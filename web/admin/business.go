package admin

import (
	"github.com/gofiber/fiber/v2"
)

// Business serves the pages for running the business: reports, the
// orders and customers exports, the customer list and the audit log. It
// is its own handler type (over the same Deps) so Admin stays small;
// Mount mounts it inside the signed-in group.
type Business struct{ *Admin }

// mount registers the business pages on the signed-in group in.
func (b Business) mount(in fiber.Router) {
	in.Get("/reports", b.handleReports)
	in.Get("/orders.csv", b.handleOrdersCSV)
	in.Get("/customers", b.handleCustomers)
	in.Get("/customers.csv", b.handleCustomersCSV)
	in.Get("/audit", b.handleAudit)
}
