package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// AuditFilter selects audit entries for the audit log page.
type AuditFilter struct {
	AdminEmail string // exact, "" for anyone
	Action     string // exact, "" for any kind
	// BeforeID pages back: only entries older than this id (0: newest).
	BeforeID int64
	Limit    int // default 50, at most 1000
}

// AuditRow is an audit entry with the number of the order it concerns.
type AuditRow struct {
	AuditEntry
	OrderNumber string // "" when the entry concerns no order
}

// SearchAudit returns the entries matching f, newest first, each filter
// served by its own index (audit_log_admin, audit_log_action).
func (db *DB) SearchAudit(ctx context.Context, f AuditFilter) ([]AuditRow, error) {
	var conds []string
	var args []any
	if f.AdminEmail != "" {
		conds, args = append(conds, `a.admin_email = ?`), append(args, f.AdminEmail)
	}
	if f.Action != "" {
		conds, args = append(conds, `a.action = ?`), append(args, f.Action)
	}
	if f.BeforeID > 0 {
		conds, args = append(conds, `a.id < ?`), append(args, f.BeforeID)
	}
	where := ""
	if len(conds) > 0 {
		where = ` WHERE ` + strings.Join(conds, ` AND `)
	}
	var out []AuditRow
	err := eachRow(ctx, db.reader, `SELECT a.id, a.at, a.admin_id, a.admin_email, a.action, a.order_id, a.sku_id,
		a.detail, a.action_id, a.ip, coalesce(o.number, '') FROM audit_log a LEFT JOIN orders o ON o.id = a.order_id`+
		where+` ORDER BY a.id DESC LIMIT ?`, append(args, listLimit(f.Limit)), func(r *sql.Rows) error {
		var row AuditRow
		var admin, order sql.NullInt64
		var actionID sql.NullString
		if err := r.Scan(&row.ID, &row.At, &admin, &row.AdminEmail, &row.Action, &order, &row.SKUID, &row.Detail,
			&actionID, &row.IP, &row.OrderNumber); err != nil {
			return err
		}
		row.At, row.AdminID, row.OrderID, row.ActionID = row.At.UTC(), admin.Int64, order.Int64, actionID.String
		out = append(out, row)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: search audit log: %w", err)
	}
	return out, nil
}

// AuditFacets returns the distinct people and kinds in the audit log, for
// the page's filters (each read from its index).
func (db *DB) AuditFacets(ctx context.Context) (emails, actions []string, err error) {
	for _, q := range []struct {
		query string
		out   *[]string
	}{
		{`SELECT DISTINCT admin_email FROM audit_log INDEXED BY audit_log_admin WHERE admin_email <> '' ORDER BY 1 LIMIT 500`, &emails},
		{`SELECT DISTINCT action FROM audit_log INDEXED BY audit_log_action ORDER BY 1 LIMIT 500`, &actions},
	} {
		err := eachRow(ctx, db.reader, q.query, nil, func(r *sql.Rows) error {
			var s string
			if err := r.Scan(&s); err != nil {
				return err
			}
			*q.out = append(*q.out, s)
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("store: audit facets: %w", err)
		}
	}
	return emails, actions, nil
}
