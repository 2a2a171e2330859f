package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// countryRow is one country the simulated vendor covers.
type countryRow struct {
	mcc, en, zh, cont string
	ops               []Operator
	// base is the retail price in fen of a local 1 GB / 7 days plan; 0 means
	// the default catalog has no local plan for the country.
	base int64
	// zhInEnglish mirrors the real F001, which answers some countries in
	// Chinese even when English is asked for.
	zhInEnglish bool
}

// continents maps the table's continent code to F001's continent texts.
var continents = map[string][2]string{ // code → {English, Chinese}
	"AS": {"Asia", "亚洲"},
	"EU": {"Europe", "欧洲"},
	"NA": {"North America", "北美洲"},
	"SA": {"South America", "南美洲"},
	"OC": {"Oceania", "大洋洲"},
	"AF": {"Africa", "非洲"},
}

// countryData: mcc|English|Chinese|continent|operator:network,…|base fen|z
// (z = F001 answers in Chinese even in English mode).
const countryData = `
JP|Japan|日本|AS|NTT Docomo:5G,SoftBank:5G,KDDI:4G|3500|z
KR|South Korea|韩国|AS|SK Telecom:5G,KT:5G,LG U+:LTE|3000|
CN|China|中国|AS|China Mobile:5G,China Unicom:5G,China Telecom:4G|3200|
HK|Hong Kong|香港|AS|CSL:5G,3HK:4G,SmarTone:4G|2500|z
MO|Macau|澳门|AS|CTM:4G,3 Macau:4G|0|z
TW|Taiwan|台湾|AS|Chunghwa Telecom:5G,Taiwan Mobile:4G,FarEasTone:4G|2800|
SG|Singapore|新加坡|AS|Singtel:5G,StarHub:4G,M1:4G|2800|
MY|Malaysia|马来西亚|AS|Maxis:4G,CelcomDigi:4G,U Mobile:4G|2500|
TH|Thailand|泰国|AS|AIS:5G,dtac:4G,TrueMove H:4G|2500|z
VN|Vietnam|越南|AS|Viettel:4G,Vinaphone:4G,MobiFone:4G|2200|
ID|Indonesia|印度尼西亚|AS|Telkomsel:4G,Indosat Ooredoo:4G,XL Axiata:4G|2600|
PH|Philippines|菲律宾|AS|Globe:4G,Smart:4G|2800|
KH|Cambodia|柬埔寨|AS|Cellcard:4G,Smart Axiata:4G|0|
LA|Laos|老挝|AS|Unitel:4G,Lao Telecom:4G|0|
MM|Myanmar|缅甸|AS|MPT:4G,Ooredoo:4G|0|
BN|Brunei|文莱|AS|DST:4G|0|
IN|India|印度|AS|Airtel:4G,Vodafone Idea:4G,Jio:LTE|3500|
PK|Pakistan|巴基斯坦|AS|Jazz:4G,Zong:4G|0|
BD|Bangladesh|孟加拉国|AS|Grameenphone:4G,Robi:4G|0|
LK|Sri Lanka|斯里兰卡|AS|Dialog:4G,Mobitel:4G|0|
NP|Nepal|尼泊尔|AS|Ncell:4G,Nepal Telecom:4G|0|
BT|Bhutan|不丹|AS|TashiCell:4G|0|
MV|Maldives|马尔代夫|AS|Dhiraagu:4G,Ooredoo:4G|0|
MN|Mongolia|蒙古|AS|Unitel:4G,Mobicom:4G|0|
KZ|Kazakhstan|哈萨克斯坦|AS|Beeline:4G,Kcell:4G|0|
UZ|Uzbekistan|乌兹别克斯坦|AS|Beeline:4G,Ucell:4G|0|
KG|Kyrgyzstan|吉尔吉斯斯坦|AS|Beeline:4G,MegaCom:4G|0|
TJ|Tajikistan|塔吉克斯坦|AS|Tcell:4G|0|
AE|United Arab Emirates|阿联酋|AS|Etisalat:5G,du:5G|5000|
SA|Saudi Arabia|沙特阿拉伯|AS|STC:5G,Mobily:4G,Zain:4G|5000|
TR|Turkey|土耳其|AS|Turkcell:4G,Vodafone:4G,Türk Telekom:4G|4000|
IL|Israel|以色列|AS|Partner:4G,Cellcom:4G,Pelephone:4G|4500|
QA|Qatar|卡塔尔|AS|Ooredoo:5G,Vodafone:4G|0|
KW|Kuwait|科威特|AS|Zain:4G,Ooredoo:4G,STC:4G|0|
BH|Bahrain|巴林|AS|Batelco:4G,Zain:4G|0|
OM|Oman|阿曼|AS|Omantel:4G,Ooredoo:4G|0|
JO|Jordan|约旦|AS|Zain:4G,Orange:4G,Umniah:4G|0|
LB|Lebanon|黎巴嫩|AS|Alfa:4G,Touch:4G|0|
IQ|Iraq|伊拉克|AS|Zain:4G,Asiacell:4G|0|
GE|Georgia|格鲁吉亚|AS|Magti:4G,Silknet:4G|0|
AM|Armenia|亚美尼亚|AS|Viva-MTS:4G,Ucom:4G|0|
AZ|Azerbaijan|阿塞拜疆|AS|Azercell:4G,Bakcell:4G|0|
FR|France|法国|EU|Orange:5G,SFR:4G,Bouygues Telecom:4G|2800|
DE|Germany|德国|EU|Telekom:5G,Vodafone:5G,O2:4G|2800|
ES|Spain|西班牙|EU|Movistar:5G,Vodafone:4G,Orange:4G|2800|
IT|Italy|意大利|EU|TIM:5G,Vodafone:4G,WindTre:4G|2800|
GB|United Kingdom|英国|EU|EE:5G,Vodafone:5G,O2:4G,Three:4G|2800|
NL|Netherlands|荷兰|EU|KPN:5G,Vodafone:4G,Odido:4G|2800|
PT|Portugal|葡萄牙|EU|MEO:4G,NOS:4G,Vodafone:4G|2800|
GR|Greece|希腊|EU|Cosmote:4G,Vodafone:4G,Nova:4G|3000|
CH|Switzerland|瑞士|EU|Swisscom:5G,Sunrise:5G,Salt:4G|4000|
IE|Ireland|爱尔兰|EU|Vodafone:4G,Three:4G,Eir:4G|2800|
AT|Austria|奥地利|EU|A1:4G,Magenta:4G,Drei:4G|0|
BE|Belgium|比利时|EU|Proximus:4G,Orange:4G,Base:4G|0|
DK|Denmark|丹麦|EU|TDC:4G,Telia:4G,Telenor:4G|0|
FI|Finland|芬兰|EU|Elisa:4G,Telia:4G,DNA:4G|0|
SE|Sweden|瑞典|EU|Telia:5G,Tele2:4G,Telenor:4G|0|
NO|Norway|挪威|EU|Telenor:5G,Telia:4G|0|
PL|Poland|波兰|EU|Orange:4G,Play:4G,Plus:4G,T-Mobile:4G|0|
CZ|Czech Republic|捷克|EU|O2:4G,T-Mobile:4G,Vodafone:4G|0|
HU|Hungary|匈牙利|EU|Telekom:4G,Yettel:4G,Vodafone:4G|0|
RO|Romania|罗马尼亚|EU|Orange:4G,Vodafone:4G,Digi:4G|0|
BG|Bulgaria|保加利亚|EU|A1:4G,Yettel:4G,Vivacom:4G|0|
HR|Croatia|克罗地亚|EU|Hrvatski Telekom:4G,A1:4G|0|
SI|Slovenia|斯洛文尼亚|EU|Telekom Slovenije:4G,A1:4G|0|
SK|Slovakia|斯洛伐克|EU|Orange:4G,Slovak Telekom:4G,O2:4G|0|
LT|Lithuania|立陶宛|EU|Telia:4G,Bite:4G,Tele2:4G|0|
LV|Latvia|拉脱维亚|EU|LMT:4G,Tele2:4G,Bite:4G|0|
EE|Estonia|爱沙尼亚|EU|Telia:4G,Elisa:4G,Tele2:4G|0|
LU|Luxembourg|卢森堡|EU|POST:4G,Tango:4G,Orange:4G|0|
MT|Malta|马耳他|EU|GO:4G,Epic:4G,Melita:4G|0|
CY|Cyprus|塞浦路斯|EU|Cyta:4G,Epic:4G|0|
IS|Iceland|冰岛|EU|Síminn:4G,Vodafone:4G,Nova:4G|0|
LI|Liechtenstein|列支敦士登|EU|FL1:4G,Salt:4G|0|
RS|Serbia|塞尔维亚|EU|Yettel:4G,A1:4G,mts:4G|0|
AL|Albania|阿尔巴尼亚|EU|Vodafone:4G,One:4G|0|
MK|North Macedonia|北马其顿|EU|A1:4G,Telekom:4G|0|
UA|Ukraine|乌克兰|EU|Kyivstar:4G,Vodafone:4G,lifecell:4G|0|
MD|Moldova|摩尔多瓦|EU|Orange:4G,Moldcell:4G|0|
BA|Bosnia and Herzegovina|波斯尼亚和黑塞哥维那|EU|BH Telecom:4G,mtel:4G|0|
ME|Montenegro|黑山|EU|One:4G,Crnogorski Telekom:4G|0|
MC|Monaco|摩纳哥|EU|Monaco Telecom:4G|0|
AD|Andorra|安道尔|EU|Andorra Telecom:4G|0|
GI|Gibraltar|直布罗陀|EU|Gibtelecom:4G|0|
US|United States|美国|NA|T-Mobile:5G,AT&T:5G,Verizon:LTE|3800|
CA|Canada|加拿大|NA|Rogers:5G,Bell:4G,Telus:4G|4500|
MX|Mexico|墨西哥|NA|Telcel:4G,AT&T:4G,Movistar:4G|4500|
PR|Puerto Rico|波多黎各|NA|Claro:4G,T-Mobile:4G|0|
GT|Guatemala|危地马拉|NA|Claro:4G,Tigo:4G|0|
SV|El Salvador|萨尔瓦多|NA|Claro:4G,Tigo:4G|0|
HN|Honduras|洪都拉斯|NA|Claro:4G,Tigo:4G|0|
NI|Nicaragua|尼加拉瓜|NA|Claro:4G,Tigo:4G|0|
CR|Costa Rica|哥斯达黎加|NA|Kölbi:4G,Claro:4G,Liberty:4G|0|
PA|Panama|巴拿马|NA|+Movil:4G,Digicel:4G|0|
DO|Dominican Republic|多米尼加|NA|Claro:4G,Altice:4G|0|
JM|Jamaica|牙买加|NA|Digicel:4G,Flow:4G|0|
BS|Bahamas|巴哈马|NA|BTC:4G,Aliv:4G|0|
TT|Trinidad and Tobago|特立尼达和多巴哥|NA|Digicel:4G,bmobile:4G|0|
BB|Barbados|巴巴多斯|NA|Digicel:4G,Flow:4G|0|
KY|Cayman Islands|开曼群岛|NA|Digicel:4G,Flow:4G|0|
AW|Aruba|阿鲁巴|NA|Digicel:4G,SETAR:4G|0|
BM|Bermuda|百慕大|NA|One:4G|0|
BR|Brazil|巴西|SA|Vivo:5G,Claro:4G,TIM:4G|5000|
AR|Argentina|阿根廷|SA|Claro:4G,Movistar:4G,Personal:4G|5500|
CL|Chile|智利|SA|Entel:5G,Movistar:4G,Claro:4G|5000|
CO|Colombia|哥伦比亚|SA|Claro:4G,Movistar:4G,Tigo:4G|5000|
PE|Peru|秘鲁|SA|Claro:4G,Movistar:4G,Entel:4G|5500|
EC|Ecuador|厄瓜多尔|SA|Claro:4G,Movistar:4G|0|
UY|Uruguay|乌拉圭|SA|Antel:4G,Movistar:4G,Claro:4G|0|
PY|Paraguay|巴拉圭|SA|Tigo:4G,Personal:4G,Claro:4G|0|
BO|Bolivia|玻利维亚|SA|Entel:4G,Tigo:4G,Viva:4G|0|
VE|Venezuela|委内瑞拉|SA|Movistar:4G,Digitel:4G|0|
GY|Guyana|圭亚那|SA|GTT:4G|0|
SR|Suriname|苏里南|SA|Digicel:4G,Telesur:4G|0|
AU|Australia|澳大利亚|OC|Telstra:5G,Optus:5G,Vodafone:4G|4000|
NZ|New Zealand|新西兰|OC|Spark:4G,One NZ:4G,2degrees:4G|4200|
FJ|Fiji|斐济|OC|Vodafone:4G,Digicel:4G|0|
PG|Papua New Guinea|巴布亚新几内亚|OC|Digicel:4G|0|
NC|New Caledonia|新喀里多尼亚|OC|OPT:4G|0|
PF|French Polynesia|法属波利尼西亚|OC|Vini:4G|0|
GU|Guam|关岛|OC|Docomo Pacific:4G,IT&E:4G|0|
WS|Samoa|萨摩亚|OC|Digicel:4G|0|
VU|Vanuatu|瓦努阿图|OC|Digicel:4G|0|
TO|Tonga|汤加|OC|Digicel:4G|0|
ZA|South Africa|南非|AF|Vodacom:5G,MTN:4G,Cell C:4G|6000|
EG|Egypt|埃及|AF|Vodafone:4G,Orange:4G,Etisalat:4G|5500|
MA|Morocco|摩洛哥|AF|Maroc Telecom:4G,Orange:4G,inwi:4G|6000|
KE|Kenya|肯尼亚|AF|Safaricom:4G,Airtel:4G|6500|
NG|Nigeria|尼日利亚|AF|MTN:4G,Airtel:4G,Glo:4G|0|
TZ|Tanzania|坦桑尼亚|AF|Vodacom:4G,Airtel:4G,Tigo:4G|0|
UG|Uganda|乌干达|AF|MTN:4G,Airtel:4G|0|
GH|Ghana|加纳|AF|MTN:4G,Vodafone:4G|0|
TN|Tunisia|突尼斯|AF|Ooredoo:4G,Orange:4G,Tunisie Telecom:4G|0|
DZ|Algeria|阿尔及利亚|AF|Mobilis:4G,Djezzy:4G,Ooredoo:4G|0|
SN|Senegal|塞内加尔|AF|Orange:4G,Free:4G|0|
CI|Côte d'Ivoire|科特迪瓦|AF|Orange:4G,MTN:4G,Moov:4G|0|
CM|Cameroon|喀麦隆|AF|MTN:4G,Orange:4G|0|
RW|Rwanda|卢旺达|AF|MTN:4G,Airtel:4G|0|
ET|Ethiopia|埃塞俄比亚|AF|Ethio Telecom:4G,Safaricom:4G|0|
ZM|Zambia|赞比亚|AF|MTN:4G,Airtel:4G|0|
ZW|Zimbabwe|津巴布韦|AF|Econet:4G,NetOne:4G|0|
MZ|Mozambique|莫桑比克|AF|Vodacom:4G,Movitel:4G|0|
BW|Botswana|博茨瓦纳|AF|Mascom:4G,Orange:4G|0|
NA|Namibia|纳米比亚|AF|MTC:4G|0|
MU|Mauritius|毛里求斯|AF|my.t:4G,Emtel:4G|0|
MG|Madagascar|马达加斯加|AF|Telma:4G,Orange:4G,Airtel:4G|0|
SC|Seychelles|塞舌尔|AF|Airtel:4G,Cable & Wireless:4G|0|
LS|Lesotho|莱索托|AF|Vodacom:4G|0|
MW|Malawi|马拉维|AF|Airtel:4G,TNM:4G|0|
BJ|Benin|贝宁|AF|MTN:4G,Moov:4G|0|
ML|Mali|马里|AF|Orange:4G|0|
GA|Gabon|加蓬|AF|Airtel:4G|0|
CD|DR Congo|刚果（金）|AF|Vodacom:4G,Orange:4G|0|
`

// countryTable is countryData parsed once; code that needs a country by
// code uses countryByMCC.
var countryTable, countryByMCC = mustParseCountries(countryData)

// apnByMCC holds the few countries whose plans use a specific APN; the rest
// use the vendor's generic one.
var apnByMCC = map[string]string{
	"CN": "3gnet", "HK": "cmhk", "JP": "plus.acs.jp", "KR": "lte.sktelecom.com",
	"US": "fast.t-mobile.com", "GB": "everywhere", "AU": "telstra.internet",
}

// manualAPN lists countries whose plans need the APN set by hand (apnType 1).
var manualAPN = map[string]bool{"CN": true, "IN": true, "TR": true, "EG": true, "PK": true}

func mustParseCountries(data string) ([]countryRow, map[string]*countryRow) {
	var rows []countryRow
	for line := range strings.Lines(strings.TrimSpace(data)) {
		f := strings.Split(strings.TrimSpace(line), "|")
		if len(f) != 7 {
			panic(fmt.Sprintf("sandbox: bad country line %q", line))
		}
		if _, ok := continents[f[3]]; !ok {
			panic(fmt.Sprintf("sandbox: bad continent in %q", line))
		}
		base, err := strconv.ParseInt(f[5], 10, 64)
		if err != nil {
			panic(fmt.Sprintf("sandbox: bad base price in %q", line))
		}
		row := countryRow{mcc: f[0], en: f[1], zh: f[2], cont: f[3], base: base, zhInEnglish: f[6] == "z"}
		for i, op := range strings.Split(f[4], ",") {
			name, network, ok := strings.Cut(op, ":")
			if !ok {
				panic(fmt.Sprintf("sandbox: bad operator %q", op))
			}
			row.ops = append(row.ops, Operator{Operator: name, Network: network, Priority: strconv.Itoa(i + 1)})
		}
		rows = append(rows, row)
	}
	idx := make(map[string]*countryRow, len(rows))
	for i := range rows {
		if idx[rows[i].mcc] != nil {
			panic("sandbox: duplicate country " + rows[i].mcc)
		}
		idx[rows[i].mcc] = &rows[i]
	}
	return rows, idx
}

// apn returns the APN a plan uses in the country.
func (c *countryRow) apn() string {
	if a := apnByMCC[c.mcc]; a != "" {
		return a
	}
	return "bcmobile"
}

// f001 renders the row as an F001 entry.
func (c *countryRow) f001() Country {
	cont := continents[c.cont]
	name := c.en
	if c.zhInEnglish {
		name = c.zh
	}
	return Country{
		Continent: cont[0], ContinentZH: cont[1], MCC: c.mcc, Name: name, NameZH: c.zh,
		URL: "https://img.billionconnect.com/flag/" + strings.ToLower(c.mcc) + ".png",
	}
}

// skuCountry renders the row as a covered country of a SKU. The operator
// list is the row's own, shared by every SKU covering the country (it is
// only read, never changed), which keeps a 5,000-SKU catalog small.
func (c *countryRow) skuCountry() SKUCountry {
	apnType := "0"
	if manualAPN[c.mcc] {
		apnType = "1"
	}
	return SKUCountry{
		MCC: c.mcc, Name: c.en, NameZH: c.zh, APN: c.apn(), APNType: apnType,
		OperatorInfo: c.ops,
	}
}
