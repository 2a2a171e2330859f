package shop

import (
	"context"
	"errors"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// UsageVendor is the part of the vendor API the usage figures need;
// *bc.Client implements it.
type UsageVendor interface {
	// ProfileStatus (F042) reports an eSIM profile's status history.
	ProfileStatus(ctx context.Context, iccid string) ([]bc.ProfileStatusRecord, error)
	// PlanUsage (F046) reports the plans on an eSIM and their data use.
	PlanUsage(ctx context.Context, q bc.PlanUsageQuery) (*bc.PlanUsage, error)
}

var _ UsageVendor = (*bc.Client)(nil)

// Defaults of UsageDeps.
const (
	DefaultUsageEvery   = 5 * time.Minute
	DefaultUsageTimeout = 4 * time.Second
)

// maxParallelRefresh bounds the vendor calls one order page makes at once.
const maxParallelRefresh = 4

// UsageDeps is what Usage needs.
type UsageDeps struct {
	DB     *store.DB
	Vendor UsageVendor
	Log    *slog.Logger     // default slog.Default()
	Now    func() time.Time // default time.Now
	// Every is the least time between two vendor calls about one eSIM,
	// whatever the traffic; default DefaultUsageEvery.
	Every time.Duration
	// Timeout bounds one refresh (F046 then F042), so a slow vendor
	// delays the order page by at most this; default DefaultUsageTimeout.
	Timeout time.Duration
}

// Usage gives each delivered eSIM's data use and install status, fetched
// from the vendor on demand and cached in SQLite: at most one F046+F042
// per eSIM per Every (the claim is in the database, so this holds across
// processes too), and requests in this process that arrive during a
// refresh wait for it instead of being told "no figures yet". When the
// vendor fails, the last figures stay, marked with the error.
type Usage struct {
	d        UsageDeps
	mu       sync.Mutex
	inflight map[string]chan struct{} // ICCID → closed when its refresh ends
}

// NewUsage builds the usage service; zero optional fields take defaults.
func NewUsage(d UsageDeps) *Usage {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Every <= 0 {
		d.Every = DefaultUsageEvery
	}
	if d.Timeout <= 0 {
		d.Timeout = DefaultUsageTimeout
	}
	return &Usage{d: d, inflight: map[string]chan struct{}{}}
}

// ForOrder returns the usage of each eSIM of a delivered order by ICCID,
// refreshing from the vendor those not asked about within Every. An eSIM
// with no figures yet is missing from the map. The eSIMs' install status
// is updated in the store (reload the order to see it).
func (u *Usage) ForOrder(ctx context.Context, o store.Order) map[string]store.ESIMUsage {
	out := make(map[string]store.ESIMUsage, len(o.ESIMs))
	if o.Status != store.StatusDelivered || u.d.Vendor == nil {
		return out
	}
	// A few at a time: an order of many eSIMs must not fire that many
	// vendor calls at once.
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxParallelRefresh)
	for _, e := range o.ESIMs {
		wg.Go(func() {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return // the page goes out with the figures it has
			}
			defer func() { <-slots }()
			u.refresh(ctx, o, e.ICCID)
		})
	}
	wg.Wait()
	for _, e := range o.ESIMs {
		usage, err := u.d.DB.ESIMUsage(ctx, e.ICCID)
		if err == nil {
			out[e.ICCID] = usage
		} else if store.ErrorCode(err) != store.ENOTFOUND {
			u.d.Log.ErrorContext(ctx, "reading usage", "order", o.Number, "err", err)
		}
	}
	return out
}

// refresh asks the vendor about one eSIM unless that was done within
// Every; a refresh already running in this process is waited for.
func (u *Usage) refresh(ctx context.Context, o store.Order, iccid string) {
	u.mu.Lock()
	if ch, ok := u.inflight[iccid]; ok {
		u.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
		}
		return
	}
	ch := make(chan struct{})
	u.inflight[iccid] = ch
	u.mu.Unlock()
	defer func() {
		u.mu.Lock()
		delete(u.inflight, iccid)
		u.mu.Unlock()
		close(ch)
	}()
	claimed, err := u.d.DB.ClaimUsageCheck(ctx, iccid, u.d.Now(), u.d.Every)
	if err != nil || !claimed {
		if err != nil {
			u.d.Log.ErrorContext(ctx, "claiming a usage check", "order", o.Number, "err", err)
		}
		return
	}
	// The figures are worth keeping even when the buyer's request goes
	// away mid-call, so the call has its own deadline.
	vctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), u.d.Timeout)
	defer cancel()
	plans, err := u.fetch(vctx, o, iccid)
	if err != nil {
		u.d.Log.WarnContext(ctx, "vendor usage call failed", "order", o.Number, "err", err)
		if serr := u.d.DB.SaveUsageError(vctx, iccid, vendorErrText(err)); serr != nil {
			u.d.Log.ErrorContext(ctx, "recording a usage failure", "order", o.Number, "err", serr)
		}
		return
	}
	if err := u.d.DB.SaveUsage(vctx, iccid, plans, u.d.Now()); err != nil {
		u.d.Log.ErrorContext(ctx, "saving usage", "order", o.Number, "err", err)
	}
}

// fetch asks F046 for the plans and F042 for the install status, which it
// stores on the eSIM (an older report never overwrites a newer N012).
func (u *Usage) fetch(ctx context.Context, o store.Order, iccid string) ([]store.UsagePlan, error) {
	pu, err := u.d.Vendor.PlanUsage(ctx, bc.PlanUsageQuery{ICCID: iccid, OrderID: o.VendorOrderID, ChannelOrderID: o.Number})
	if err != nil {
		return nil, err
	}
	records, err := u.d.Vendor.ProfileStatus(ctx, iccid)
	if err != nil {
		return nil, err
	}
	if _, _, err := keepLatestProfile(ctx, u.d.DB, iccid, records); err != nil && !errors.Is(err, context.Canceled) {
		u.d.Log.ErrorContext(ctx, "storing profile status", "order", o.Number, "err", err)
	}
	return usagePlans(pu), nil
}

// usagePlans converts F046's plans into the store's figures: times from
// the vendor's clock to UTC, sizes in KB, -1 for unlimited.
func usagePlans(pu *bc.PlanUsage) []store.UsagePlan {
	out := make([]store.UsagePlan, 0, len(pu.SubOrderList))
	for _, l := range pu.SubOrderList {
		p := store.UsagePlan{
			Name: string(l.SKUName), Status: int(l.PlanStatus), Days: int(l.TotalDays),
			Start: vendorTime(string(l.PlanStartTime)), End: vendorTime(string(l.PlanEndTime)),
			TotalKB: int64(l.TotalTraffic),
		}
		if int(l.PlanType) == bc.PlanTypeDaily {
			p.DailyKB = int64(l.HighFlowSize)
			switch {
			case p.DailyKB < 0:
				p.TotalKB = -1
			case p.TotalKB <= 0:
				p.TotalKB = p.DailyKB * int64(max(p.Days, 1))
			}
		}
		if p.TotalKB < 0 {
			p.TotalKB = -1
		}
		lastDay := ""
		for _, day := range l.UsageInfoList {
			kb, ok := wholeKB(day.UsageAmount)
			if !ok {
				continue // one unreadable day must not lose the rest
			}
			p.UsedKB += kb
			if d := string(day.UseDate); d >= lastDay {
				lastDay, p.TodayKB = d, kb
			}
		}
		out = append(out, p)
	}
	return out
}

// wholeKB is a vendor KB amount rounded down to whole KB (the vendor does
// not promise whole numbers); ok is false for a negative or unreadable one.
func wholeKB(d bc.Decimal) (int64, bool) {
	r, ok := d.Rat()
	if !ok || r.Sign() < 0 {
		return 0, false
	}
	q := new(big.Int).Quo(r.Num(), r.Denom())
	return q.Int64(), q.IsInt64()
}

// vendorTime reads a vendor timestamp (UTC+8) as UTC; zero if unreadable.
func vendorTime(s string) time.Time {
	t, err := time.ParseInLocation(bc.TimeLayout, s, bc.VendorLocation)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
