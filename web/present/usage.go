package present

import (
	"time"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
)

// ESIMStatus is the install status and data use of one eSIM for the order
// page: e's profile status, and u's plans when the vendor ever gave
// figures (nil: none yet), as of now.
func ESIMStatus(lang string, e store.ESIM, u *store.ESIMUsage, now time.Time) *views.ESIMStatusView {
	v := &views.ESIMStatusView{Install: views.InstallStatus(lang, e.ProfileStatus), InstallCode: e.ProfileStatus}
	if u == nil {
		return v
	}
	v.Stale = u.Error != ""
	if !u.FetchedAt.IsZero() {
		v.UpdatedAt = utcTime(u.FetchedAt)
		v.UpdatedISO = u.FetchedAt.UTC().Format(time.RFC3339)
	}
	for _, p := range u.Plans {
		v.Plans = append(v.Plans, usagePlan(lang, p, now))
	}
	return v
}

// usagePlan words one plan. A daily plan's bar is today's allowance.
func usagePlan(lang string, p store.UsagePlan, now time.Time) views.UsagePlanView {
	pv := views.UsagePlanView{
		Name: p.Name, State: views.PlanState(lang, p.Status), StateCode: p.Status, DaysLeft: -1,
		Daily: p.DailyKB != 0,
	}
	used, total := p.UsedKB, p.TotalKB
	if pv.Daily {
		used, total = p.TodayKB, p.DailyKB
	}
	pv.Unlimited = total < 0
	pv.Used = views.FormatData(lang, used)
	if !pv.Unlimited && total > 0 {
		pv.Total = views.FormatData(lang, total)
		pv.Left = views.FormatData(lang, max(total-used, 0))
		pv.Percent = int(min(used*100/total, 100))
	}
	if !p.Start.IsZero() {
		pv.Start, pv.StartISO = utcTime(p.Start), p.Start.UTC().Format(time.RFC3339)
	}
	if !p.End.IsZero() {
		pv.End, pv.EndISO = utcTime(p.End), p.End.UTC().Format(time.RFC3339)
		if p.Status == store.PlanInUse && p.End.After(now) {
			// Started days count: with 3 hours left, "1 day left".
			pv.DaysLeft = int((p.End.Sub(now) + 24*time.Hour - time.Second) / (24 * time.Hour))
		}
	}
	return pv
}

// utcTime formats an instant for a page that does not know the buyer's
// zone; app.js replaces it with local time where it can.
func utcTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
