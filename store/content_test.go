package store

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// TestSaveContentRefusesBadInput: every bad field is EINVALID, a taken
// slug ECONFLICT, and none stores anything.
func TestSaveContentRefusesBadInput(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	good := Content{Kind: KindPage, Slug: "terms", Lang: "en", Title: "Terms", Body: "x", Status: StatusDraft}
	if _, err := db.SaveContent(ctx, good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Content)
		code string
	}{
		{"kind", func(c *Content) { c.Kind = "post" }, EINVALID},
		{"slug upper", func(c *Content) { c.Slug = "Terms" }, EINVALID},
		{"slug path", func(c *Content) { c.Slug = "a/b" }, EINVALID},
		{"slug empty", func(c *Content) { c.Slug = "" }, EINVALID},
		{"lang", func(c *Content) { c.Lang = "english" }, EINVALID},
		{"title", func(c *Content) { c.Title = "  " }, EINVALID},
		{"status", func(c *Content) { c.Status = "live" }, EINVALID},
		{"utf8", func(c *Content) { c.Body = "\xff" }, EINVALID},
		{"taken slug", func(c *Content) {}, ECONFLICT},
		{"unknown id", func(c *Content) { c.ID = 999; c.Slug = "other" }, ENOTFOUND},
	}
	for _, tt := range tests {
		c := good
		c.Slug = "privacy"
		if tt.name == "taken slug" {
			c.Slug = "terms"
		}
		tt.edit(&c)
		if _, err := db.SaveContent(ctx, c); ErrorCode(err) != tt.code {
			t.Errorf("%s: err %v, want %s", tt.name, err, tt.code)
		}
	}
	if cs, _ := db.Contents(ctx); len(cs) != 1 {
		t.Errorf("%d versions stored, want 1", len(cs))
	}
}

// TestSeedContentOnce: seeding adds the pages the first time only, so a
// page the operator deleted stays deleted.
func TestSeedContentOnce(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	seed := []Content{{Kind: KindPage, Slug: "terms", Lang: "en", Title: "Terms", Status: StatusDraft, Placeholder: true}}
	if n, err := db.SeedContent(ctx, seed); n != 1 || err != nil {
		t.Fatalf("first seed: %d, %v", n, err)
	}
	cs, _ := db.Contents(ctx)
	if err := db.DeleteContent(ctx, cs[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.SeedContent(ctx, seed); n != 0 || err != nil {
		t.Fatalf("second seed: %d, %v", n, err)
	}
}

// TestNotFoundBounded: the 404 log keeps MaxNotFound rows, dropping those
// seen longest ago, and counts repeats.
func TestNotFoundBounded(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	for i := range MaxNotFound + 20 {
		clk.set(t0.Add(timeSecond(i)))
		if err := db.RecordNotFound(ctx, "/p"+strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.RecordNotFound(ctx, "/p"+strconv.Itoa(MaxNotFound+19)); err != nil {
		t.Fatal(err)
	}
	top, err := db.TopNotFound(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != MaxNotFound || top[0].Path != "/p"+strconv.Itoa(MaxNotFound+19) || top[0].Hits != 2 {
		t.Fatalf("%d rows, first %+v", len(top), top[0])
	}
	for _, n := range top {
		if n.Path == "/p0" {
			t.Error("the oldest 404 was kept")
		}
	}
}

// TestRedirectValidation: only local paths, 301 or 302.
func TestRedirectValidation(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	for _, r := range []Redirect{
		{From: "old", To: "/new", Status: 301},
		{From: "/old", To: "//evil.example", Status: 301},
		{From: "/old", To: "https://evil.example/", Status: 301},
		{From: "/old", To: "/\\evil.example", Status: 301},
		{From: "/old", To: "/new", Status: 307},
		{From: "/same", To: "/same", Status: 301},
	} {
		if err := db.SetRedirect(ctx, r); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: err %v, want EINVALID", r, err)
		}
	}
	if added, err := db.AddRedirect(ctx, Redirect{From: "/old", To: "/a", Status: 301}); !added || err != nil {
		t.Fatal(added, err)
	}
	if added, err := db.AddRedirect(ctx, Redirect{From: "/old", To: "/b", Status: 301}); added || err != nil {
		t.Fatal("AddRedirect replaced an existing redirect", err)
	}
	if r, _ := db.LookupRedirect(ctx, "/old"); r.To != "/a" {
		t.Errorf("redirect now to %q", r.To)
	}
}

// timeSecond is i seconds.
func timeSecond(i int) time.Duration { return time.Duration(i) * time.Second }

// BenchmarkRecordNotFound is the cost a 404 adds: one upsert and the
// bound's count, in one write transaction, on a full log.
func BenchmarkRecordNotFound(b *testing.B) {
	db, _ := openTestDB(b)
	ctx := context.Background()
	for i := range MaxNotFound {
		if err := db.RecordNotFound(ctx, "/seed"+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := db.RecordNotFound(ctx, "/p"+strconv.Itoa(i%1000)); err != nil {
			b.Fatal(err)
		}
	}
}
