package sandbox

import (
	"context"
	"encoding/json"
	"slices"
)

// Profile statuses the sandbox reports (F042's codes). An eSIM counts as
// installed from "installed" to "disabled": the vendor will not cancel
// or credit it. "Not downloaded", "downloaded" and "recycled" may be
// cancelled.
const (
	profileNotDownloaded = 0
	profileInstalled     = 2
	profileEnabled       = 3
	profileDisabled      = 4
)

// afterSale is the sandbox's refund bookkeeping, guarded by Sandbox.mu.
type afterSale struct {
	profile   map[string]int  // iccid → status set by SetProfileStatus
	cancelled map[string]bool // iccid → cancelled by F008 or F017
}

// SetProfileStatus sets an issued eSIM's current profile status (F042's
// codes), as if the buyer had installed (2, 3) or never touched it (0).
// Without it an eSIM reports the default history ending in "enabled"
// (or "not downloaded" with Config.UnusedProfiles).
func (s *Sandbox) SetProfileStatus(iccid string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.after.profile == nil {
		s.after.profile = map[string]int{}
	}
	s.after.profile[iccid] = status
}

// Cancelled reports whether an eSIM was cancelled (F008 or F017).
func (s *Sandbox) Cancelled(iccid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.after.cancelled[iccid]
}

// Balance reports the account balance in fen.
func (s *Sandbox) Balance() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.balance
}

// currentProfileLocked is an eSIM's current profile status: "not
// downloaded" until N009 announced it, then the one set by
// SetProfileStatus, or "enabled" (the default history's newest).
func (s *Sandbox) currentProfileLocked(iccid string) int {
	if ref := s.byICCID[iccid]; ref == nil || ref.order.DeliveredAt.IsZero() {
		return profileNotDownloaded
	}
	if st, ok := s.after.profile[iccid]; ok {
		return st
	}
	if s.cfg.UnusedProfiles {
		return profileNotDownloaded
	}
	return profileEnabled
}

// installedLocked reports whether the eSIM's profile is on a device.
func (s *Sandbox) installedLocked(iccid string) bool {
	st := s.currentProfileLocked(iccid)
	return st >= profileInstalled && st <= profileDisabled
}

// cancelESIMsLocked cancels the given eSIMs of o and credits each one's
// settlement once: the order's settlement split evenly over its eSIMs
// (the sandbox keeps no per-line price), the split's remainder with the
// last one cancelled, so cancelling all credits exactly what was paid.
// eSIMs already cancelled are left alone.
func (s *Sandbox) cancelESIMsLocked(o *Order, iccids []string) {
	if s.after.cancelled == nil {
		s.after.cancelled = map[string]bool{}
	}
	all := orderICCIDs(o)
	each := o.SettlementFen / int64(len(all))
	for _, id := range iccids {
		if s.after.cancelled[id] {
			continue
		}
		s.after.cancelled[id] = true
		s.balance += each
		if !slices.ContainsFunc(all, func(x string) bool { return !s.after.cancelled[x] }) {
			s.balance += o.SettlementFen - each*int64(len(all))
		}
	}
}

// anyInstalledLocked reports whether an eSIM of ids, not cancelled yet,
// is installed: the vendor then refuses the whole call.
func (s *Sandbox) anyInstalledLocked(ids []string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return !s.after.cancelled[id] && s.installedLocked(id) })
}

// orderICCIDs lists every eSIM of an order.
func orderICCIDs(o *Order) []string {
	var out []string
	for _, l := range o.SubOrders {
		for _, e := range l.ESIMs {
			out = append(out, e.ICCID)
		}
	}
	return out
}

// f008 cancels a whole order that has not been used: refused with 1007
// when any of its eSIMs is installed. Cancelling twice is fine; the
// balance is credited once.
func (s *Sandbox) f008(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		OrderID flexString `json:"orderId"`
	}
	if decode(data, &p) != nil || p.OrderID == "" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.byOrderID[string(p.OrderID)]
	if o == nil {
		return fail(codeNotFound)
	}
	if o.Status == statusCancelled {
		return ok(nil)
	}
	iccids := orderICCIDs(o)
	if s.anyInstalledLocked(iccids) {
		return fail(codeState)
	}
	o.Status = statusCancelled
	if len(iccids) == 0 {
		s.balance += o.SettlementFen // nothing issued yet: the whole order back
		return ok(nil)
	}
	s.cancelESIMsLocked(o, iccids)
	return ok(nil)
}

// f017 is the after-sale (refund) interface for chosen eSIMs of an order.
// It needs receivingState "1" (1003 otherwise, as the live API answers),
// refuses installed eSIMs with 1007 and eSIMs of another order with 1004,
// and credits each eSIM once. When every eSIM of the order is cancelled
// the order is too.
func (s *Sandbox) f017(_ context.Context, data json.RawMessage) reply {
	var p struct {
		common
		OrderID        flexString  `json:"orderId"`
		ICCID          flexStrings `json:"iccid"`
		ReceivingState flexString  `json:"receivingState"`
		Reason         flexString  `json:"reason"`
	}
	if decode(data, &p) != nil || p.OrderID == "" || len(p.ICCID) == 0 || p.ReceivingState != "1" {
		return fail(codeParam)
	}
	if _, valid := p.check(s, false); !valid {
		return fail(codeParam)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.byOrderID[string(p.OrderID)]
	if o == nil {
		return fail(codeNotFound)
	}
	all := orderICCIDs(o)
	if slices.ContainsFunc(p.ICCID, func(id string) bool { return !slices.Contains(all, id) }) {
		return fail(codeNotFound)
	}
	if s.anyInstalledLocked(p.ICCID) {
		return fail(codeState)
	}
	s.cancelESIMsLocked(o, p.ICCID)
	if !slices.ContainsFunc(all, func(id string) bool { return !s.after.cancelled[id] }) {
		o.Status = statusCancelled
	}
	return ok(nil)
}
