package shop

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// ManualESIM is an eSIM an operator copies from the vendor's console for
// an order whose N009 never came.
type ManualESIM struct {
	Admin            string
	Order            store.Order
	Line             string // the line's Number; "" for the order's only line
	ICCID, LPA       string
	ConfirmationCode string
}

// recoverable are the statuses an eSIM may be entered by hand in: paid
// and not delivered.
var recoverable = []store.OrderStatus{store.StatusPaid, store.StatusPlacing, store.StatusPlaced, store.StatusNeedsAttention}

// CanEnterESIM reports whether an operator may enter an eSIM by hand.
func CanEnterESIM(o store.Order) bool {
	return !o.PaidAt.IsZero() && slices.Contains(recoverable, o.Status)
}

// EnterESIM stores an eSIM typed in by an operator (the ICCID checked, the
// LPA string parsed like an N009's) as a delivery of the order, so it is
// delivered normally: when every line has its eSIMs the order becomes
// delivered and the eSIM email goes out. Bad input is EINVALID and
// changes nothing; delivered reports whether this eSIM completed it.
func EnterESIM(ctx context.Context, s *Shop, m ManualESIM) (delivered bool, err error) {
	o := m.Order
	if !CanEnterESIM(o) {
		return false, store.Errorf(store.ECONFLICT, "order %s is %s: no eSIM is waiting", o.Number, o.Status)
	}
	iccid := strings.TrimSpace(m.ICCID)
	if !validICCID(iccid) {
		return false, store.Errorf(store.EINVALID, "ICCID %q: 18 to 22 digits", iccid)
	}
	lpa, err := bc.ParseLPA(m.LPA)
	if err != nil {
		return false, store.Errorf(store.EINVALID, "activation string: %v", err)
	}
	line := strings.TrimSpace(m.Line)
	if line == "" && len(o.Lines) == 1 {
		line = o.Lines[0].Number
	}
	if !slices.ContainsFunc(o.Lines, func(l store.OrderLine) bool { return l.Number == line }) {
		return false, store.Errorf(store.EINVALID, "order %s has no line %q", o.Number, line)
	}
	e := store.ESIM{
		LineNumber: line, ICCID: iccid, LPA: lpa.Raw, SMDP: lpa.SMDP, ActivationCode: lpa.ActivationCode,
		ProfileStatus: store.ProfileUnknown, ConfirmationCode: strings.TrimSpace(m.ConfirmationCode),
		ConfirmationRequired: lpa.ConfirmationRequired,
	}
	added, delivered, err := s.DB.StoreDelivery(ctx, o.Number, o.VendorOrderID, []store.ESIM{e})
	if err != nil {
		return false, err
	}
	if added == 0 {
		return false, store.Errorf(store.EINVALID, "ICCID %s is stored already (see the timeline)", iccid)
	}
	if err := s.DB.AddOrderNote(ctx, o.ID, fmt.Sprintf("eSIM %s entered by hand by %s", iccid, m.Admin)); err != nil {
		return delivered, err
	}
	if delivered {
		s.Wake() // the delivery email job
	}
	return delivered, nil
}

// validICCID reports whether s looks like an ICCID: 18 to 22 digits.
func validICCID(s string) bool {
	if len(s) < 18 || len(s) > 22 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
