package views

import (
	"bytes"
	"context"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// render renders c and parses the HTML, failing the test on any error.
func render(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	html := buf.String()
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc, html
}

// testPage is a filled-in Page for lang.
func testPage(lang string, demo bool) Page {
	return Page{
		Lang:        lang,
		Title:       T(lang, "home.title"),
		Description: T(lang, "home.description"),
		Canonical:   "https://shop.example/?lang=" + lang,
		Alternates: map[string]string{
			"en": "https://shop.example/?lang=en",
			"es": "https://shop.example/?lang=es",
		},
		Demo: demo,
	}
}

// Sample cards: a total plan with several tiers, a daily regional plan.
var (
	cardJapan = PlanCard{
		SKUID: "1001", URL: "/plans/1001", Name: "Japan 5GB 7Days",
		DataKB: 5 * 1048576, Days: 7, MaxDays: 7, Price: "$9.50", PerUnit: "$1.90",
		Network: "5G", Hotspot: "yes", Countries: 1, Scope: "local", FromPrice: true,
	}
	cardAsia = PlanCard{
		SKUID: "2002", URL: "/plans/2002", Name: "Asia 1GB/day",
		Daily: true, DailyKB: 1048576, Days: 3, MaxDays: 30, Price: "$6.00", PerUnit: "$2.00",
		Network: "4G", Hotspot: "no", Countries: 12, Scope: "regional", RegionName: "Asia",
	}
)

func testHome(lang string, demo bool) HomeData {
	jp := DestinationLink{Code: "JP", Name: CountryName(lang, "JP"), Flag: Flag("JP"), PlanCount: 5, FromPrice: "$4.00", URL: "/destinations/jp"}
	us := DestinationLink{Code: "US", Name: CountryName(lang, "US"), Flag: Flag("US"), Aliases: "usa america", PlanCount: 1, FromPrice: "$3.00", URL: "/destinations/us"}
	return HomeData{
		Page:    testPage(lang, demo),
		Popular: []DestinationLink{jp},
		All:     []DestinationLink{us, jp},
		Regions: []RegionLink{{Slug: "asia", Name: RegionName(lang, "asia"), URL: "/regions/asia", PlanCount: 3, FromPrice: "$5.00"}},
		Global:  []PlanCard{cardAsia},
	}
}

func testDestination(lang string) DestinationData {
	return DestinationData{
		Page: testPage(lang, false),
		Code: "JP", Name: CountryName(lang, "JP"), Flag: Flag("JP"),
		Local: []PlanCard{cardJapan}, Multi: []PlanCard{cardAsia},
		Filter: "all", Sort: "price", BaseURL: "/destinations/jp",
	}
}

func testPlan(lang string) PlanData {
	return PlanData{
		Page:  testPage(lang, false),
		Card:  cardJapan,
		Title: PlanTitle(lang, CountryName(lang, "JP"), cardJapan),
		Coverage: []CoverageRow{{
			Code: "JP", Name: CountryName(lang, "JP"), Flag: Flag("JP"),
			Operators: []OperatorRow{{Name: "SoftBank", Network: "5G"}, {Name: "KDDI", Network: "4G"}},
			APN:       "plus.acs.jp", APNManual: true,
		}},
		SpeedAfterKbps: 128,
		ValidityDays:   30,
		Tiers: []CardOption{
			{Copies: 1, Days: 7, DataKB: 5 * 1048576, Price: "$9.50", PerUnit: "$1.90", PerUnitMinor: 190},
			{Copies: 2, Days: 14, DataKB: 10 * 1048576, Price: "$18.00", PerUnit: "$1.80", PerUnitMinor: 180},
		},
		CSRF:    "tok",
		JSONLD:  `{"@context":"https://schema.org","@type":"Product","name":"Japan"}`,
		BackURL: "/destinations/jp",
	}
}
