package store

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestSignInTokenSingleUseAndExpiry(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	const tok = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	if err := db.CreateSignInToken(ctx, tok, " Buyer@Example.com ", t0, t0.Add(15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := db.reader.QueryRow(`SELECT COUNT(*) FROM signin_tokens WHERE token_hash = ?`, tok).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("the token itself is stored (%d, %v): only its hash may be", stored, err)
	}
	tests := []struct {
		name  string
		token string
		at    time.Time
		want  string // "" = ENOTFOUND
	}{
		{"wrong token", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", t0.Add(time.Minute), ""},
		{"expired", tok, t0.Add(15 * time.Minute), ""},
		{"valid", tok, t0.Add(14 * time.Minute), "buyer@example.com"},
		{"second use", tok, t0.Add(14 * time.Minute), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			email, err := db.RedeemSignInToken(ctx, tt.token, tt.at)
			if tt.want == "" {
				if ErrorCode(err) != ENOTFOUND {
					t.Fatalf("got %q, %v; want ENOTFOUND", email, err)
				}
				return
			}
			if err != nil || email != tt.want {
				t.Fatalf("got %q, %v; want %q", email, err, tt.want)
			}
		})
	}
}

func TestSignInTokenRedeemedOnceUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	const tok = "cccccccccccccccccccccccccccccccc"
	if err := db.CreateSignInToken(ctx, tok, "a@example.com", t0, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if wins := concurrentWins(20, func() bool {
		_, err := db.RedeemSignInToken(ctx, tok, t0)
		return err == nil
	}); wins != 1 {
		t.Fatalf("%d redemptions succeeded, want 1", wins)
	}
}

func TestAllowSignInRequestLimits(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	lim := SignInLimit{Window: 15 * time.Minute, PerEmail: 2, PerIP: 3}
	steps := []struct {
		email, ip string
		at        time.Time
		want      bool
	}{
		{"a@example.com", "10.0.0.1", t0, true},
		{"A@example.com", "10.0.0.2", t0, true},
		{"a@example.com", "10.0.0.3", t0, false}, // third for the email
		{"b@example.com", "10.0.0.1", t0, true},
		{"c@example.com", "10.0.0.1", t0, true},
		{"d@example.com", "10.0.0.1", t0, false}, // fourth from the IP
		{"a@example.com", "10.0.0.9", t0.Add(15 * time.Minute), true},
	}
	for i, s := range steps {
		got, err := db.AllowSignInRequest(ctx, s.email, s.ip, s.at, lim)
		if err != nil || got != s.want {
			t.Fatalf("step %d (%s from %s): got %v, %v; want %v", i, s.email, s.ip, got, err, s.want)
		}
	}
	if _, err := db.AllowSignInRequest(ctx, "a@example.com", "ip", t0, SignInLimit{}); ErrorCode(err) != EINVALID {
		t.Fatalf("no limit: %v, want EINVALID", err)
	}
}

func TestBuyerSessionExpiresAndEnds(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	const secret = "dddddddddddddddddddddddddddddddd"
	if err := db.CreateBuyerSession(ctx, secret, "a@example.com", t0, t0.Add(4*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if email, err := db.BuyerSession(ctx, secret, t0.Add(time.Hour)); err != nil || email != "a@example.com" {
		t.Fatalf("live session: %q, %v", email, err)
	}
	if _, err := db.BuyerSession(ctx, secret, t0.Add(4*time.Hour)); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("expired session: %v, want ENOTFOUND", err)
	}
	if err := db.EndBuyerSession(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BuyerSession(ctx, secret, t0); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("ended session: %v, want ENOTFOUND", err)
	}
}

func TestOrdersForEmailNewestFirst(t *testing.T) {
	ctx := context.Background()
	db, clk, in := orderFixture(t)
	first := mustCreate(t, db, in)
	clk.set(t0.Add(time.Hour))
	in.Email = "BUYER@example.com"
	second := mustCreate(t, db, in)
	in.Email = "other@example.com"
	mustCreate(t, db, in)
	got, err := db.OrdersForEmail(ctx, "buyer@EXAMPLE.com", 0)
	if err != nil || len(got) != 2 || got[0].ID != second.ID || got[1].ID != first.ID {
		t.Fatalf("got %+v, %v; want orders %d then %d", got, err, second.ID, first.ID)
	}
	if got, err := db.OrdersForEmail(ctx, "nobody@example.com", 0); err != nil || len(got) != 0 {
		t.Fatalf("unknown email: %v, %v", got, err)
	}
}

func TestClaimUsageCheckOncePerPeriod(t *testing.T) {
	ctx := context.Background()
	db, _ := openTestDB(t)
	if wins := concurrentWins(100, func() bool {
		ok, err := db.ClaimUsageCheck(ctx, "8985200000000000001", t0, 5*time.Minute)
		if err != nil {
			t.Error(err)
		}
		return ok
	}); wins != 1 {
		t.Fatalf("%d claims won, want 1", wins)
	}
	if ok, _ := db.ClaimUsageCheck(ctx, "8985200000000000001", t0.Add(4*time.Minute), 5*time.Minute); ok {
		t.Fatal("claimed again within the period")
	}
	plans := []UsagePlan{{Name: "Japan 1 GB", Status: PlanInUse, TotalKB: 1 << 20, UsedKB: 1000, Days: 7}}
	if err := db.SaveUsage(ctx, "8985200000000000001", plans, t0); err != nil {
		t.Fatal(err)
	}
	if ok, _ := db.ClaimUsageCheck(ctx, "8985200000000000001", t0.Add(5*time.Minute), 5*time.Minute); !ok {
		t.Fatal("not claimable after the period")
	}
	if err := db.SaveUsageError(ctx, "8985200000000000001", "vendor busy"); err != nil {
		t.Fatal(err)
	}
	u, err := db.ESIMUsage(ctx, "8985200000000000001")
	if err != nil || u.Error != "vendor busy" || !u.FetchedAt.Equal(t0) || len(u.Plans) != 1 || u.Plans[0].UsedKB != 1000 {
		t.Fatalf("after a failure the last figures stay: %+v, %v", u, err)
	}
	if err := db.SaveUsage(ctx, "unclaimed", nil, t0); ErrorCode(err) != ENOTFOUND {
		t.Fatalf("unclaimed save: %v, want ENOTFOUND", err)
	}
}

// concurrentWins runs try n times at once and counts the true answers.
func concurrentWins(n int, try func() bool) int {
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range n {
		wg.Go(func() {
			if try() {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return wins
}
