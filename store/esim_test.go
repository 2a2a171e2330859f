package store

import (
	"context"
	"testing"
	"time"
)

// deliveredESIM returns a database with a delivered order and the ICCID of
// its first eSIM.
func deliveredESIM(t *testing.T) (*DB, string) {
	t.Helper()
	db, _, o := paidOrder(t)
	in := fullDelivery(o)
	if _, _, err := db.StoreDelivery(context.Background(), o.Number, "V1", in); err != nil {
		t.Fatal(err)
	}
	return db, in[0].ICCID
}

func TestSetProfileStatusIgnoresOlderReports(t *testing.T) {
	ctx := context.Background()
	db, iccid := deliveredESIM(t)
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	// Reports in arrival order; the newest recordTime wins.
	steps := []struct {
		status     int
		at         time.Time
		applied    bool
		wantStatus int
		wantAt     time.Time
	}{
		{ProfileInstalled, at(10), true, ProfileInstalled, at(10)},
		{ProfileDownloaded, at(5), false, ProfileInstalled, at(10)}, // older, arrived late
		{ProfileEnabled, at(10), false, ProfileInstalled, at(10)},   // same time: first one kept
		{ProfileEnabled, at(12), true, ProfileEnabled, at(12)},
		{ProfileDisabled, at(30).In(time.FixedZone("UTC+8", 8*3600)), true, ProfileDisabled, at(30)},
	}
	for i, s := range steps {
		applied, err := db.SetProfileStatus(ctx, iccid, s.status, s.at)
		if err != nil || applied != s.applied {
			t.Fatalf("step %d: SetProfileStatus = %v, %v; want %v", i, applied, err, s.applied)
		}
		e, err := db.ESIMByICCID(ctx, iccid)
		if err != nil || e.ProfileStatus != s.wantStatus || !e.ProfileStatusAt.Equal(s.wantAt) {
			t.Fatalf("step %d: stored %d at %v (%v); want %d at %v", i, e.ProfileStatus, e.ProfileStatusAt, err, s.wantStatus, s.wantAt)
		}
	}
	bad := []struct {
		name   string
		iccid  string
		status int
		at     time.Time
		code   string
	}{
		{"unknown ICCID", "000", ProfileInstalled, at(40), ENOTFOUND},
		{"no ICCID", "", ProfileInstalled, at(40), EINVALID},
		{"negative status", iccid, -1, at(40), EINVALID},
		{"no time", iccid, ProfileInstalled, time.Time{}, EINVALID},
	}
	for _, b := range bad {
		if _, err := db.SetProfileStatus(ctx, b.iccid, b.status, b.at); ErrorCode(err) != b.code {
			t.Errorf("%s: %v, want %s", b.name, err, b.code)
		}
	}
}

func TestSetPlanTimes(t *testing.T) {
	ctx := context.Background()
	db, iccid := deliveredESIM(t)
	start, end := t0.Add(24*time.Hour), t0.Add(8*24*time.Hour)
	steps := []struct {
		name               string
		start, end         time.Time
		changed            bool
		wantStart, wantEnd time.Time
	}{
		{"N002 with start and end", start, end, true, start, end},
		{"same again", start, end, false, start, end},
		{"N003 with only the end", time.Time{}, end.Add(time.Hour), true, start, end.Add(time.Hour)},
		{"nothing", time.Time{}, time.Time{}, false, start, end.Add(time.Hour)},
	}
	for _, s := range steps {
		changed, err := db.SetPlanTimes(ctx, iccid, s.start, s.end)
		if err != nil || changed != s.changed {
			t.Fatalf("%s: SetPlanTimes = %v, %v; want %v", s.name, changed, err, s.changed)
		}
		e, _ := db.ESIMByICCID(ctx, iccid)
		if !e.PlanStartAt.Equal(s.wantStart) || !e.PlanEndAt.Equal(s.wantEnd) {
			t.Errorf("%s: stored %v – %v, want %v – %v", s.name, e.PlanStartAt, e.PlanEndAt, s.wantStart, s.wantEnd)
		}
	}
	if _, err := db.SetPlanTimes(ctx, "000", start, end); ErrorCode(err) != ENOTFOUND {
		t.Errorf("unknown ICCID: %v, want ENOTFOUND", err)
	}
}
