package sandbox

import (
	"math/rand/v2"
	"slices"
	"strconv"
)

// Catalog is what the simulated vendor sells, in its own wire structs:
// Countries answer F001, SKUs answer F002 and Prices answer F003. A SKU
// without a Prices entry exists but cannot be ordered, as happens with the
// real vendor. A Catalog handed to New must not be modified afterwards.
type Catalog struct {
	Countries []Country
	SKUs      []SKU
	Prices    []SKUPrice
}

// catalogIndex is a read-only lookup over a Catalog.
type catalogIndex struct {
	*Catalog
	sku   map[string]*SKU
	price map[string][]PriceTier
}

func indexCatalog(c *Catalog) *catalogIndex {
	ix := &catalogIndex{Catalog: c, sku: make(map[string]*SKU, len(c.SKUs)), price: make(map[string][]PriceTier, len(c.Prices))}
	for i := range c.SKUs {
		ix.sku[c.SKUs[i].SKUID] = &c.SKUs[i]
	}
	for _, p := range c.Prices {
		ix.price[p.SKUID] = p.Price
	}
	return ix
}

// tier returns the price tier of sku for copies, if F003 offers it.
func (ix *catalogIndex) tier(skuID, copies string) (PriceTier, bool) {
	for _, t := range ix.price[skuID] {
		if t.Copies == copies {
			return t, true
		}
	}
	return PriceTier{}, false
}

// regionDef is a multi-country plan family of the default catalog.
type regionDef struct {
	en, zh string
	mccs   []string // nil: every country
	base   int64
}

var defaultRegions = []regionDef{
	{"Europe 35 Countries", "欧洲35国", []string{"FR", "DE", "ES", "IT", "GB", "NL", "PT", "GR", "CH", "IE", "AT", "BE", "DK", "FI", "SE", "NO", "PL", "CZ", "HU", "RO", "BG", "HR", "SI", "SK", "LT", "LV", "EE", "LU", "MT", "CY", "IS", "LI", "RS", "AL", "MK"}, 3000},
	{"Asia 12 Countries", "亚洲12国", []string{"JP", "KR", "CN", "HK", "MO", "TW", "SG", "MY", "TH", "VN", "ID", "PH"}, 4000},
	{"Southeast Asia 8 Countries", "东南亚8国", []string{"SG", "MY", "TH", "VN", "ID", "PH", "KH", "LA"}, 3000},
	{"Latin America 15 Countries", "拉丁美洲15国", []string{"MX", "BR", "AR", "CL", "CO", "PE", "EC", "UY", "PY", "BO", "CR", "PA", "GT", "SV", "DO"}, 6000},
	{"North America 3 Countries", "北美3国", []string{"US", "CA", "MX"}, 5000},
	{"Middle East 10 Countries", "中东10国", []string{"AE", "SA", "QA", "KW", "BH", "OM", "JO", "IL", "TR", "EG"}, 5500},
	{"Africa 10 Countries", "非洲10国", []string{"ZA", "EG", "MA", "KE", "NG", "TZ", "UG", "GH", "TN", "RW"}, 8000},
	{"Australia & New Zealand", "澳新2国", []string{"AU", "NZ"}, 4500},
}

// Plan families of the default catalog.
var (
	localPlans  = []plan{{gb: 1, days: 7}, {gb: 3, days: 15}, {gb: 5, days: 7}, {gb: 5, days: 30}, {gb: 10, days: 30}, {gb: 20, days: 30}, {dailyMB: 500}, {dailyMB: 1024}, {dailyMB: 2048}}
	regionPlans = []plan{{gb: 1, days: 7}, {gb: 3, days: 15}, {gb: 5, days: 30}, {gb: 10, days: 30}, {gb: 20, days: 30}, {gb: 50, days: 30}, {dailyMB: 1024}, {dailyMB: 2048}}
	globalPlans = []plan{{gb: 1, days: 7}, {gb: 3, days: 15}, {gb: 5, days: 30}, {gb: 10, days: 30}, {dailyMB: 1024}}
)

// unlimitedLocal lists countries that also have an unlimited daily plan.
var unlimitedLocal = map[string]bool{"JP": true, "US": true, "TH": true, "CN": true}

// confirmationLocal lists countries whose eSIMs need a confirmation code
// to install (LPA confirmation flag and N009 confirmationCode).
var confirmationLocal = map[string]bool{"CN": true}

// rechargeableLocal lists countries whose local plans can be topped up.
var rechargeableLocal = map[string]bool{"JP": true, "KR": true, "TH": true, "US": true, "GB": true, "AU": true}

// catalogBuilder appends SKUs with sequential, vendor-looking IDs.
type catalogBuilder struct {
	cat  Catalog
	next int64
}

func (b *catalogBuilder) add(a area, p plan, o skuOpts, priced bool) *SKU {
	id := strconv.FormatInt(b.next, 10)
	b.next += 7 // gaps, like IDs from a shared sequence
	b.cat.SKUs = append(b.cat.SKUs, makeSKU(id, a, p, o))
	if priced {
		b.cat.Prices = append(b.cat.Prices, SKUPrice{SKUID: id, Price: priceTiers(a.base, p)})
	}
	return &b.cat.SKUs[len(b.cat.SKUs)-1]
}

func (b *catalogBuilder) countries() {
	for i := range countryTable {
		b.cat.Countries = append(b.cat.Countries, countryTable[i].f001())
	}
}

func rowsOf(mccs []string) []*countryRow {
	if mccs == nil {
		out := make([]*countryRow, len(countryTable))
		for i := range countryTable {
			out[i] = &countryTable[i]
		}
		return out
	}
	out := make([]*countryRow, len(mccs))
	for i, m := range mccs {
		out[i] = countryByMCC[m]
		if out[i] == nil {
			panic("sandbox: unknown country " + m)
		}
	}
	return out
}

// Default returns a fresh copy of the built-in catalog: about 150 countries,
// local plans for 40 of them, regional and global plans, total-data and
// daily plans with several copies tiers, some non-eSIM SKUs (types 110, 210,
// 3101) that have prices, and a few eSIM SKUs that have none.
func Default() *Catalog {
	b := &catalogBuilder{next: 1720030000105}
	b.countries()
	for i := range countryTable {
		c := &countryTable[i]
		if c.base == 0 {
			continue
		}
		a := area{en: c.en, zh: c.zh, countries: []*countryRow{c}, base: c.base}
		plans := localPlans
		if unlimitedLocal[c.mcc] {
			plans = append(slices.Clone(localPlans), plan{unlimited: true})
		}
		for _, p := range plans {
			typ := "3106"
			if p.daily() {
				typ = "3105"
			}
			b.add(a, p, skuOpts{
				typ:          typ,
				rechargeable: rechargeableLocal[c.mcc],
				needUseTime:  c.mcc == "CN" || (c.mcc == "KR" && p.daily()),
			}, true)
		}
	}
	for _, r := range defaultRegions {
		a := area{en: r.en, zh: r.zh, countries: rowsOf(r.mccs), base: r.base}
		for _, p := range regionPlans {
			b.add(a, p, skuOpts{typ: "3106", rechargeable: true}, true)
		}
	}
	all := rowsOf(nil)
	globals := []area{
		{en: "Global " + strconv.Itoa(len(all)) + " Countries", zh: "全球" + strconv.Itoa(len(all)) + "国", countries: all, base: 9000},
		{en: "Global 110 Countries", zh: "全球110国", countries: all[:110], base: 8000},
	}
	for _, a := range globals {
		for _, p := range globalPlans {
			b.add(a, p, skuOpts{typ: "3106", rechargeable: true}, true)
		}
	}
	b.extras()
	// A few SKU names as the vendor writes them, not as the generator would.
	for i := range b.cat.SKUs {
		s := &b.cat.SKUs[i]
		if s.Name == "Japan 5GB 7 Days" {
			s.Desc = "Japan 5GB high-speed data, valid for 7 days after activation. Docomo/SoftBank network, hotspot supported. Activate on arrival."
		}
	}
	return &b.cat
}

// extras adds the SKUs a shop must skip: non-eSIM commodities that F003
// prices anyway, and eSIM SKUs that F003 does not price (yet).
func (b *catalogBuilder) extras() {
	jp := area{en: "Japan", zh: "日本", countries: rowsOf([]string{"JP"}), base: 3500}
	eu := area{en: "Europe 35 Countries", zh: "欧洲35国", countries: rowsOf(defaultRegions[0].mccs), base: 3000}
	asia := area{en: "Asia 12 Countries", zh: "亚洲12国", countries: rowsOf(defaultRegions[1].mccs), base: 4000}
	kr := area{en: "South Korea", zh: "韩国", countries: rowsOf([]string{"KR"}), base: 3000}
	global := area{en: "Global 110 Countries", zh: "全球110国", countries: rowsOf(nil)[:110], base: 8000}

	// Type 110: plans that top up an existing eSIM (F052/F007).
	b.add(jp, plan{gb: 3, days: 7}, skuOpts{typ: "110"}, true)
	b.add(jp, plan{dailyMB: 1024}, skuOpts{typ: "110"}, true)
	b.add(eu, plan{gb: 5, days: 30}, skuOpts{typ: "110"}, true)
	b.add(asia, plan{gb: 3, days: 15}, skuOpts{typ: "110"}, true)
	b.add(global, plan{gb: 1, days: 7}, skuOpts{typ: "110"}, true)
	// Type 210: physical SIM cards. Type 3101: an eSIM product line sold
	// through another channel. Both priced, neither orderable with F040.
	b.add(asia, plan{gb: 5, days: 15}, skuOpts{typ: "210"}, true).Name += " (SIM card)"
	b.add(global, plan{gb: 3, days: 15}, skuOpts{typ: "210"}, true).Name += " (SIM card)"
	b.add(jp, plan{gb: 10, days: 30}, skuOpts{typ: "3101"}, true)
	b.add(kr, plan{gb: 5, days: 30}, skuOpts{typ: "3101"}, true)
	// eSIM SKUs listed by F002 but missing from F003.
	b.add(jp, plan{gb: 50, days: 30}, skuOpts{typ: "3106"}, false)
	b.add(kr, plan{gb: 30, days: 30}, skuOpts{typ: "3106"}, false)
	b.add(global, plan{gb: 20, days: 30}, skuOpts{typ: "3105"}, false)
}

// Generate returns a large deterministic catalog for benchmarks: n priced
// eSIM SKUs over every country of the built-in table (about 150), roughly
// 75% single-country, 20% regional and 5% global, with the same plan
// shapes and copies tiers as Default. The same n and seed give the same
// catalog.
func Generate(n int, seed int64) *Catalog {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5eed_b111_0c0e))
	b := &catalogBuilder{next: 1800000000003}
	b.countries()
	all := rowsOf(nil)
	byCont := map[string][]*countryRow{}
	var conts []string
	for _, c := range all {
		if byCont[c.cont] == nil {
			conts = append(conts, c.cont)
		}
		byCont[c.cont] = append(byCont[c.cont], c)
	}
	gbs := []int{1, 2, 3, 5, 10, 15, 20, 30, 50}
	days := []int{3, 5, 7, 10, 15, 30}
	dailies := []int{500, 1024, 2048, -1} // -1: unlimited
	for range n {
		var p plan
		if rng.IntN(3) == 0 {
			if p.dailyMB = dailies[rng.IntN(len(dailies))]; p.dailyMB < 0 {
				p = plan{unlimited: true}
			}
		} else {
			p.gb, p.days = gbs[rng.IntN(len(gbs))], days[rng.IntN(len(days))]
		}
		var a area
		switch r := rng.IntN(100); {
		case r < 75:
			c := all[rng.IntN(len(all))]
			a = area{en: c.en, zh: c.zh, countries: []*countryRow{c}, base: c.base}
			if a.base == 0 {
				a.base = 2500 + int64(rng.IntN(40))*100
			}
		case r < 95:
			cont := conts[rng.IntN(len(conts))]
			pool := slices.Clone(byCont[cont])
			rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
			k := min(len(pool), 3+rng.IntN(len(pool)))
			name := continents[cont]
			a = area{
				en: name[0] + " " + strconv.Itoa(k) + " Countries", zh: name[1] + strconv.Itoa(k) + "国",
				countries: pool[:k], base: 3000 + int64(rng.IntN(50))*100,
			}
		default:
			k := 100 + rng.IntN(len(all)-99)
			a = area{en: "Global " + strconv.Itoa(k) + " Countries", zh: "全球" + strconv.Itoa(k) + "国", countries: all[:k], base: 8000 + int64(rng.IntN(30))*100}
		}
		typ := "3106"
		if rng.IntN(4) == 0 {
			typ = "3105"
		}
		b.add(a, p, skuOpts{typ: typ, rechargeable: rng.IntN(3) == 0, needUseTime: rng.IntN(20) == 0}, true)
	}
	return &b.cat
}
