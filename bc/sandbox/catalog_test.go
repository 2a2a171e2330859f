package sandbox

import (
	"slices"
	"strconv"
	"testing"
	"unicode"
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestF001Languages(t *testing.T) {
	_, c, _ := setup(t, nil)
	byMCC := func(lang string) map[string]Country {
		data := map[string]any{"salesMethod": "5"}
		if lang != "" {
			data["language"] = lang
		}
		var list []Country
		c.mustOK("F001", data, &list)
		out := map[string]Country{}
		for _, x := range list {
			out[x.MCC] = x
		}
		if len(out) < 100 || len(out) != len(list) {
			t.Fatalf("language %q: %d countries, %d distinct", lang, len(list), len(out))
		}
		return out
	}
	tests := []struct {
		lang, mcc, name, continent string
	}{
		{"", "JP", "日本", "亚洲"},
		{"1", "FR", "法国", "欧洲"},
		{"2", "FR", "France", "Europe"},
		{"2", "JP", "日本", "Asia"}, // still Chinese in English mode, as the vendor does
		{"2", "TH", "泰国", "Asia"},
		{"2", "HK", "香港", "Asia"},
		{"2", "US", "United States", "North America"},
	}
	for _, tt := range tests {
		got := byMCC(tt.lang)[tt.mcc]
		if got.Name != tt.name || got.Continent != tt.continent || got.URL == "" {
			t.Errorf("language %q %s: %+v", tt.lang, tt.mcc, got)
		}
	}
}

func TestF002AndF003(t *testing.T) {
	_, c, _ := setup(t, nil)
	cat := Default()
	jp := skuByName(t, cat, "Japan 1GB 7 Days")
	var one []SKU
	c.mustOK("F002", map[string]any{"salesMethod": "5", "language": "2", "skuId": jp.SKUID}, &one)
	if len(one) != 1 || one[0].Name != "Japan 1GB 7 Days" || one[0].Capacity != "1048576" || one[0].Days != "7" || one[0].PlanType != "0" {
		t.Fatalf("skuId filter: %+v", one)
	}
	var zh []SKU
	c.mustOK("F002", map[string]any{"salesMethod": "5", "skuId": jp.SKUID}, &zh)
	if !hasHan(zh[0].Name) || !hasHan(zh[0].Desc) || zh[0].Country[0].Name != "日本" {
		t.Fatalf("Chinese SKU: %+v", zh[0])
	}
	var inKE []SKU
	c.mustOK("F002", map[string]any{"salesMethod": "5", "language": "2", "countryCode": "KE"}, &inKE)
	var local, multi int
	for _, s := range inKE {
		if !slices.ContainsFunc(s.Country, func(x SKUCountry) bool { return x.MCC == "KE" }) {
			t.Fatalf("%s does not cover KE", s.Name)
		}
		if len(s.Country) == 1 {
			local++
		} else {
			multi++
		}
	}
	if local == 0 || multi == 0 {
		t.Fatalf("KE: %d local, %d multi-country", local, multi)
	}
	var firstTier []SKU
	c.mustOK("F002", map[string]any{"salesMethod": "5", "language": "2", "skuId": jp.SKUID, "networkOperatorScope": "1"}, &firstTier)
	if ops := firstTier[0].Country[0].OperatorInfo; len(ops) != 1 || ops[0].Operator != "NTT Docomo" {
		t.Fatalf("first-tier operators %+v", ops)
	}
	var prices []SKUPrice
	c.mustOK("F003", map[string]any{"salesMethod": "5"}, &prices)
	if len(prices) != len(cat.Prices) {
		t.Fatalf("%d prices, want %d", len(prices), len(cat.Prices))
	}
}

func TestDefaultCatalog(t *testing.T) {
	cat := Default()
	priced := map[string][]PriceTier{}
	for _, p := range cat.Prices {
		priced[p.SKUID] = p.Price
	}
	ids := map[string]bool{}
	local := map[string]bool{}
	var regional, global, daily, unpricedESIM, useTime, nonESIMPriced, unlimited, inHighFlow, hotspot int
	types := map[string]bool{}
	for _, s := range cat.SKUs {
		if ids[s.SKUID] {
			t.Fatalf("duplicate skuId %s", s.SKUID)
		}
		ids[s.SKUID] = true
		types[s.Type] = true
		esim := s.Type == "3105" || s.Type == "3106"
		switch {
		case !esim:
			if len(priced[s.SKUID]) > 0 {
				nonESIMPriced++
			}
		case len(priced[s.SKUID]) == 0:
			unpricedESIM++
		case len(s.Country) == 1:
			local[s.Country[0].MCC] = true
		case len(s.Country) >= 100:
			global++
		default:
			regional++
		}
		switch {
		case s.PlanType == "1" && s.HighFlowSize == "-1":
			unlimited++
			if s.Days != "1" || s.Capacity != "-1" || s.LimitFlowSpeed != "-1" {
				t.Errorf("unlimited plan %s: %s", s.Name, s.SKUID)
			}
		case s.PlanType == "1":
			daily++
			if s.Days != "1" || s.Capacity != "-1" || (s.LimitFlowSpeed != "128" && s.LimitFlowSpeed != "384") {
				t.Errorf("daily plan %s: %s", s.Name, s.SKUID)
			}
			if hf, _ := strconv.Atoi(s.HighFlowSize); hf < 500*1024 {
				t.Errorf("daily plan %s highFlowSize %q", s.Name, s.HighFlowSize)
			}
		case s.Capacity == "-1":
			inHighFlow++
			if hf, _ := strconv.Atoi(s.HighFlowSize); hf < 1024*1024 {
				t.Errorf("total plan %s with -1 capacity has highFlowSize %q", s.Name, s.HighFlowSize)
			}
		}
		if s.HotspotSupport == "1" {
			hotspot++
		}
		if s.EstimatedUseTimeFlag == "1" {
			useTime++
		}
		if s.Name == "" || s.Desc == "" || s.ZH.Name == "" || s.ValidityPeroid == "" || len(s.Country) == 0 {
			t.Errorf("incomplete SKU %+v", s)
		}
		for _, c := range s.Country {
			if c.APN == "" || c.NameZH == "" || len(c.OperatorInfo) == 0 || (c.APNType != "0" && c.APNType != "1") {
				t.Errorf("%s: incomplete country %+v", s.Name, c)
			}
		}
	}
	for _, mcc := range []string{"JP", "KR", "TH", "VN", "SG", "MY", "ID", "PH", "CN", "HK", "TW", "IN", "AE", "SA", "TR", "IL", "FR", "DE", "ES", "IT", "GB", "NL", "PT", "GR", "CH", "IE", "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "AU", "NZ", "ZA", "EG", "MA", "KE"} {
		if !local[mcc] {
			t.Errorf("no local plan for %s", mcc)
		}
	}
	if regional < 8*6 || global < 2 || daily == 0 || unpricedESIM < 2 || nonESIMPriced < 3 || useTime == 0 ||
		unlimited < 4 || inHighFlow == 0 || hotspot == 0 {
		t.Fatalf("regional %d global %d daily %d unpriced eSIM %d priced non-eSIM %d useTime %d unlimited %d amount in highFlowSize %d hotspot %d",
			regional, global, daily, unpricedESIM, nonESIMPriced, useTime, unlimited, inHighFlow, hotspot)
	}
	for _, typ := range []string{"110", "210", "3101", "3105", "3106"} {
		if !types[typ] {
			t.Errorf("no SKU of type %s", typ)
		}
	}
	for id, tiers := range priced {
		if !ids[id] || len(tiers) < 2 {
			t.Fatalf("price of %s: %v (known SKU %v)", id, tiers, ids[id])
		}
		for _, p := range tiers {
			r, err1 := parseFen(p.RetailPrice)
			s, err2 := parseFen(p.SettlementPrice)
			if err1 != nil || err2 != nil || s <= 0 || s >= r {
				t.Fatalf("%s copies %s: retail %q settlement %q", id, p.Copies, p.RetailPrice, p.SettlementPrice)
			}
		}
	}
	jp := skuByName(t, cat, "Japan 1GB 7 Days")
	if tier := priced[jp.SKUID][0]; tier.Copies != "1" || tier.RetailPrice != "35.00" || tier.SettlementPrice != "24.50" {
		t.Fatalf("Japan 1GB 7 days: %+v", tier)
	}
	if got := slices.Collect(func(yield func(string) bool) {
		for _, p := range priced[skuByName(t, cat, "Japan 1GB/Day").SKUID] {
			if !yield(p.Copies) {
				return
			}
		}
	}); !slices.Equal(got, []string{"1", "3", "5", "7", "10", "15", "30"}) {
		t.Fatalf("daily copies %v", got)
	}
	eu := skuByName(t, cat, "Europe 35 Countries 5GB 30 Days")
	if len(eu.Country) != 35 {
		t.Fatalf("Europe covers %d", len(eu.Country))
	}
	if hasHan(skuByName(t, cat, "Thailand 3GB 15 Days").Desc) {
		t.Fatal("English description contains Chinese")
	}
}

func TestGenerate(t *testing.T) {
	cat := Generate(5000, 7)
	if len(cat.SKUs) != 5000 || len(cat.Prices) != 5000 {
		t.Fatalf("%d SKUs, %d prices", len(cat.SKUs), len(cat.Prices))
	}
	ids := map[string]bool{}
	countries := map[string]bool{}
	var local, regional, global int
	for _, s := range cat.SKUs {
		if ids[s.SKUID] {
			t.Fatalf("duplicate skuId %s", s.SKUID)
		}
		ids[s.SKUID] = true
		if s.Type != "3105" && s.Type != "3106" {
			t.Fatalf("type %s", s.Type)
		}
		for _, c := range s.Country {
			countries[c.MCC] = true
		}
		switch n := len(s.Country); {
		case n == 1:
			local++
		case n >= 100:
			global++
		default:
			regional++
		}
	}
	if len(countries) < 140 || len(cat.Countries) < 140 {
		t.Fatalf("%d countries covered, %d listed", len(countries), len(cat.Countries))
	}
	if local < 3000 || regional < 500 || global < 100 {
		t.Fatalf("mix: %d local, %d regional, %d global", local, regional, global)
	}
	again := Generate(5000, 7)
	other := Generate(5000, 8)
	if again.SKUs[4999].Name != cat.SKUs[4999].Name || again.Prices[4999].Price[0] != cat.Prices[4999].Price[0] {
		t.Fatal("same seed, different catalog")
	}
	same := 0
	for i := range 100 {
		if other.SKUs[i].Name == cat.SKUs[i].Name {
			same++
		}
	}
	if same == 100 {
		t.Fatal("different seeds, same catalog")
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		in   string
		fen  int64
		fail bool
	}{
		{"24.50", 2450, false}, {"24.5", 2450, false}, {"24", 2400, false}, {"0.01", 1, false},
		{"", 0, true}, {"-1.00", 0, true}, {"1.234", 0, true}, {"1.", 0, true}, {".5", 0, true}, {"1e3", 0, true}, {"１", 0, true},
	}
	for _, tt := range tests {
		got, err := parseFen(tt.in)
		if (err != nil) != tt.fail || got != tt.fen {
			t.Errorf("parseFen(%q) = %d, %v", tt.in, got, err)
		}
		if back, _ := parseFen(formatFen(got)); !tt.fail && back != got {
			t.Errorf("formatFen(%d) = %q does not parse back", got, formatFen(got))
		}
	}
	if formatFen(2450) != "24.50" || formatFen(5) != "0.05" {
		t.Error("formatFen")
	}
	if formatFen(-150) != "-1.50" {
		t.Error("negative")
	}
}

func BenchmarkF002Generated(b *testing.B) {
	sb := New(Config{AppKey: testKey, AppSecret: testSecret, Catalog: Generate(5000, 1), Seed: 1})
	defer sb.Close()
	for b.Loop() {
		if r := sb.f002(b.Context(), []byte(`{"salesMethod":"5","language":"2","countryCode":"JP"}`)); r.code != codeOK {
			b.Fatal(r.code)
		}
	}
}
