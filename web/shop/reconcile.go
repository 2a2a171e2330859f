package shop

import (
	"context"
	"fmt"
	"strings"

	"github.com/esimshop/esimshop/store"
)

// reconcile is the reconcile job, queued when an order is placed to run
// RECONCILE_AFTER later: if the eSIM has not arrived by then, ask the
// vendor (F011) and record what it says; if it still has not arrived one
// period later, hand the order to the operator.
func (s *Shop) reconcile(ctx context.Context, j store.Job) error {
	o, err := s.DB.OrderByID(ctx, j.OrderID)
	if err != nil {
		return err
	}
	if o.Status != store.StatusPlaced && o.Status != store.StatusPlacing {
		return nil // delivered, or already with the operator
	}
	info, err := s.Vendor.QueryOrder(ctx, o.Number)
	if err != nil {
		return fmt.Errorf("F011 for order %s: %w", o.Number, err)
	}
	var iccids []string
	for _, l := range info.SubOrderList {
		iccids = append(iccids, l.ICCID...)
	}
	note := fmt.Sprintf("F011: vendor order %s status %d, ICCIDs [%s], but no eSIM notice (N009) received", string(info.OrderID), int(info.OrderStatus), strings.Join(iccids, " "))
	if err := s.DB.AddOrderNote(ctx, o.ID, note); err != nil {
		return err
	}
	// Count the checks that reached the vendor (not failed calls, which
	// also count as attempts): the first one waits another period.
	events, err := s.DB.OrderEvents(ctx, o.ID)
	if err != nil {
		return err
	}
	checks := 0
	for _, e := range events {
		if strings.HasPrefix(e.Cause, "F011:") {
			checks++
		}
	}
	if checks < 2 {
		return &retryAt{at: s.Now().Add(s.ReconcileAfter), reason: "eSIM not delivered yet"}
	}
	_, err = s.DB.MarkNeedsAttention(ctx, o.ID, "no eSIM from the vendor long after placement: "+note, "", "")
	return err
}

// reconcileFailed parks the order when the vendor could not even be asked.
func (s *Shop) reconcileFailed(ctx context.Context, j store.Job, err error) {
	if _, merr := s.DB.MarkNeedsAttention(ctx, j.OrderID, "eSIM not delivered and the vendor could not be queried: "+err.Error(), "", ""); merr != nil {
		s.Log.Error("parking order", "order_id", j.OrderID, "err", merr)
	}
}
