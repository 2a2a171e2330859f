package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSettings(t *testing.T) {
	db, clk := openTestDB(t)
	ctx := context.Background()
	if got, err := db.Settings(ctx); err != nil || len(got) != 0 {
		t.Fatalf("fresh Settings = %v, %v", got, err)
	}
	steps := []struct {
		name    string
		set     map[string]string
		wantErr string
		want    map[string]string
	}{
		{"first values", map[string]string{"pricing.markup_pct": "30", "shop.currency": "usd"}, "",
			map[string]string{"pricing.markup_pct": "30", "shop.currency": "usd"}},
		{"update one, keep the other", map[string]string{"pricing.markup_pct": "35"}, "",
			map[string]string{"pricing.markup_pct": "35", "shop.currency": "usd"}},
		{"empty value is a value", map[string]string{"shop.currency": ""}, "",
			map[string]string{"pricing.markup_pct": "35", "shop.currency": ""}},
		{"bad key rolls back all", map[string]string{"pricing.markup_pct": "99", " bad": "x"}, EINVALID,
			map[string]string{"pricing.markup_pct": "35", "shop.currency": ""}},
		{"oversized value", map[string]string{"k": strings.Repeat("x", maxSettingValueLen+1)}, EINVALID,
			map[string]string{"pricing.markup_pct": "35", "shop.currency": ""}},
		{"nothing", nil, "", map[string]string{"pricing.markup_pct": "35", "shop.currency": ""}},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SetSettings(ctx, tt.set)
			if (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && ErrorCode(err) != tt.wantErr) {
				t.Fatalf("SetSettings = %v, want %q", err, tt.wantErr)
			}
			if got, err := db.Settings(ctx); err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Settings = %v, %v; want %v", got, err, tt.want)
			}
		})
		clk.set(clk.now().Add(time.Minute))
	}
}

func TestFeaturedDestinations(t *testing.T) {
	db, _ := openTestDB(t)
	ctx := context.Background()
	if got, err := db.FeaturedDestinations(ctx); err != nil || got != nil {
		t.Fatalf("never set = %#v, %v; want nil", got, err)
	}
	tooMany := make([]string, 0, MaxFeatured+1)
	for _, c := range RegionCountries("africa")[:MaxFeatured+1] {
		tooMany = append(tooMany, c)
	}
	steps := []struct {
		name    string
		codes   []string
		wantErr string
		want    []string
	}{
		{"order kept, normalised", []string{"jp", " US ", "FR"}, "", []string{"JP", "US", "FR"}},
		{"unknown code", []string{"JP", "ZZ"}, EINVALID, []string{"JP", "US", "FR"}},
		{"not a code", []string{"Japan"}, EINVALID, []string{"JP", "US", "FR"}},
		{"duplicate", []string{"JP", "jp"}, EINVALID, []string{"JP", "US", "FR"}},
		{"too many", tooMany, EINVALID, []string{"JP", "US", "FR"}},
		{"replaced", []string{"TH", "JP"}, "", []string{"TH", "JP"}},
		{"cleared on purpose", []string{}, "", []string{}},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) {
			err := db.SetFeaturedDestinations(ctx, tt.codes)
			if (tt.wantErr == "" && err != nil) || (tt.wantErr != "" && ErrorCode(err) != tt.wantErr) {
				t.Fatalf("SetFeaturedDestinations = %v, want %q", err, tt.wantErr)
			}
			got, err := db.FeaturedDestinations(ctx)
			if err != nil || got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FeaturedDestinations = %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}
