package admin

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// customersPerPage is the customer list's page size.
const customersPerPage = 50

// customerCSVHeader are the customers export's columns.
var customerCSVHeader = []string{"email", "currency", "orders", "refunded_orders", "esims", "spent",
	"first_purchase", "last_purchase"}

// customerFilterQuery reads the customer search (an email prefix).
func customerFilterQuery(c *fiber.Ctx) (store.CustomerFilter, error) {
	q := strings.TrimSpace(c.Query("q"))
	if len(q) > maxAdminQueryLen || strings.ContainsFunc(q, isControl) {
		return store.CustomerFilter{}, httpx.BadRequest("error.bad_query_value", "q")
	}
	return store.CustomerFilter{Q: utils.CopyString(q)}, nil
}

// handleCustomers serves GET /admin/customers: buyers by email with their
// paid orders, eSIMs, what they spent and when, each linking to their
// orders.
func (b Business) handleCustomers(c *fiber.Ctx) error {
	f, err := customerFilterQuery(c)
	if err != nil {
		return err
	}
	page, err := pageParam(c)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = customersPerPage, (page-1)*customersPerPage
	rows, total, err := b.DB.Customers(c.UserContext(), f)
	if err != nil {
		return err
	}
	p, err := b.adminPage(c, "Customers", "customers")
	if err != nil {
		return err
	}
	d := views.CustomersData{AdminPage: p, Q: f.Q, Total: total, CSVURL: views.AdminPath + "/customers.csv"}
	filters := url.Values{}
	if f.Q != "" {
		filters.Set("q", f.Q)
		d.CSVURL += "?" + filters.Encode()
	}
	for _, r := range rows {
		d.Rows = append(d.Rows, views.CustomerRow{
			Email: r.Email, OrdersURL: views.AdminPath + "/orders?" + url.Values{"q": {r.Email}}.Encode(),
			Orders: r.Orders, Refunded: r.Refunded, ESIMs: strconv.FormatInt(r.ESIMs, 10),
			Spent: billing.Money{Amount: r.Spent, Currency: r.Currency}.Format("en"),
			First: adminTime(r.First), Last: adminTime(r.Last),
		})
	}
	d.PrevURL, d.NextURL = pageLinks(views.AdminPath+"/customers", filters, page, customersPerPage, total)
	return httpx.Render(c, fiber.StatusOK, views.AdminCustomers(d))
}

// handleCustomersCSV serves GET /admin/customers.csv: every customer the
// search matches, streamed.
func (b Business) handleCustomersCSV(c *fiber.Ctx) error {
	f, err := customerFilterQuery(c)
	if err != nil {
		return err
	}
	return streamCSV(c, b.Log, "customers.csv", customerCSVHeader, func(ctx context.Context, write func([]string) error) error {
		return b.DB.ExportCustomers(ctx, f, func(r store.Customer) error {
			return write([]string{r.Email, r.Currency, strconv.Itoa(r.Orders), strconv.Itoa(r.Refunded),
				strconv.FormatInt(r.ESIMs, 10), billing.Money{Amount: r.Spent, Currency: r.Currency}.Major(),
				csvTime(r.First), csvTime(r.Last)})
		})
	})
}
