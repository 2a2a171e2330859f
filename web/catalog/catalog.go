// Package catalog owns the shop's priced, in-memory catalog: loading the
// stored products, pricing every tier with the rule in force and the
// operator's overrides, indexing them by country and region, swapping a
// new snapshot in atomically, and caching the public pages rendered from a
// snapshot. The storefront and the admin read it; only this package
// builds it.
package catalog

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/esimshop/esimshop/billing"
	"github.com/esimshop/esimshop/store"
)

// Catalog holds the snapshot in force and the pricing rule it was priced
// with.
type Catalog struct {
	db   *store.DB
	env  billing.Rule // the environment's rule: the default for unsaved settings
	log  *slog.Logger
	cur  atomic.Pointer[Snapshot]
	rule atomic.Pointer[billing.Rule]
	// mu serialises rebuilds, so a sync's rebuild can never store a
	// snapshot priced with a rule that a concurrent save replaced.
	mu sync.Mutex
}

// Open loads the pricing rule in force and builds the first snapshot.
func Open(ctx context.Context, db *store.DB, env billing.Rule, log *slog.Logger) (*Catalog, error) {
	c := &Catalog{db: db, env: env, log: log}
	if err := c.loadRule(ctx); err != nil {
		return nil, err
	}
	if err := c.Reload(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// Snapshot returns the current snapshot.
func (c *Catalog) Snapshot() *Snapshot { return c.cur.Load() }

// Rule returns the pricing rule in force.
func (c *Catalog) Rule() billing.Rule { return *c.rule.Load() }

// Reload rebuilds the snapshot from the database with the rule in force,
// the operator's price overrides and featured destinations.
func (c *Catalog) Reload(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	products, err := c.db.ActiveProducts(ctx)
	if err != nil {
		return err
	}
	overrides, err := c.Overrides(ctx)
	if err != nil {
		return err
	}
	featured, err := c.db.FeaturedDestinations(ctx)
	if err != nil {
		return err
	}
	s := Build(products, c.Rule(), overrides, featured, c.log)
	c.cur.Store(s)
	c.log.Info("catalog loaded", "catalog", s.String())
	return nil
}

// SaveRule persists a new pricing rule, puts it in force and reprices the
// shop — no restart. Orders keep the prices they were bought at.
func (c *Catalog) SaveRule(ctx context.Context, rule billing.Rule) error {
	if err := c.db.SetSettings(ctx, RuleValues(rule)); err != nil {
		return err
	}
	c.rule.Store(&rule)
	return c.Reload(ctx)
}

// loadRule puts the rule in force: the saved settings, each missing one
// taken from the environment's rule. A saved rule that no longer parses
// (a currency dropped from the table, a hand-edited database) is logged
// and the environment's rule is used, so the shop still starts.
func (c *Catalog) loadRule(ctx context.Context) error {
	saved, err := c.db.Settings(ctx)
	if err != nil {
		return err
	}
	rule := c.env
	values := RuleValues(rule)
	found := false
	for _, f := range RuleFields {
		if v, ok := saved[f.Key]; ok {
			values[f.Key], found = v, true
		}
	}
	if found {
		r, errs := ParseRuleValues(values)
		if errs == nil {
			rule = r
		} else {
			c.log.Error("saved pricing rule is invalid; using the environment's", "errors", errs)
		}
	}
	c.rule.Store(&rule)
	return nil
}

// Overrides loads the operator's price overrides by SKU and copies.
func (c *Catalog) Overrides(ctx context.Context) (Overrides, error) {
	list, err := c.db.PriceOverrides(ctx)
	if err != nil {
		return nil, err
	}
	out := make(Overrides, len(list))
	for _, o := range list {
		if out[o.SKUID] == nil {
			out[o.SKUID] = map[int]billing.Money{}
		}
		out[o.SKUID][o.Copies] = billing.Money{Amount: o.Amount, Currency: o.Currency}
	}
	return out, nil
}

// RuleSource says where the rule in force comes from.
func (c *Catalog) RuleSource(ctx context.Context) (string, error) {
	saved, err := c.db.Settings(ctx)
	if err != nil {
		return "", err
	}
	for _, f := range RuleFields {
		if _, ok := saved[f.Key]; ok {
			return "settings", nil
		}
	}
	return "environment defaults", nil
}
