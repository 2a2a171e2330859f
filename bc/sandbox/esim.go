package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ESIM is one eSIM profile the sandbox issued, with the fields N009 carries.
type ESIM struct {
	UID, ICCID, QRCodeContent, APN, PIN, PUK, MSISDN string
	ValidTime                                        string // install-by time, vendor format, UTC+8
	RechargeableESIM                                 string // "0" or "1"
	// ConfirmationCode is set when the LPA string carries the
	// confirmation flag; APNUsername and APNPassword come from the SKU.
	ConfirmationCode, APNUsername, APNPassword string
}

// esimRef locates an issued eSIM.
type esimRef struct {
	order    *Order
	sub, idx int
}

func (r *esimRef) esim() *ESIM { return &r.order.SubOrders[r.sub].ESIMs[r.idx] }

// smdpHosts are SM-DP+ servers as they appear in real activation codes; the
// upper-case one keeps clients honest about case-insensitive hosts.
var smdpHosts = []string{"secsmsminiapp.eastcompeace.com", "SECSMSMINIAPP.EASTCOMPEACE.COM", "rsp.eastcompeace.com"}

// digitsLocked returns n random decimal digits. s.mu must be held (rng).
func (s *Sandbox) digitsLocked(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + s.rng.IntN(10)))
	}
	return b.String()
}

// uniqueLocked draws from gen until it yields a value never handed out.
func (s *Sandbox) uniqueLocked(gen func() string) string {
	for {
		v := gen()
		if !s.ids[v] {
			s.ids[v] = true
			return v
		}
	}
}

// newIDLocked returns a vendor-style order or sub-order ID: the creation
// time in UTC+8 followed by random digits.
func (s *Sandbox) newIDLocked(now time.Time) string {
	stamp := now.In(vendorZone).Format("20060102150405")
	return s.uniqueLocked(func() string { return stamp + s.digitsLocked(5) })
}

// newESIMLocked issues one eSIM for sku.
func (s *Sandbox) newESIMLocked(sku *SKU, now time.Time) ESIM {
	iccid := s.uniqueLocked(func() string {
		body := "89852" + s.digitsLocked(13+s.rng.IntN(2)) // 18 or 19 digits
		return body + luhn(body)
	})
	var code strings.Builder
	for range 32 {
		code.WriteByte("0123456789ABCDEF"[s.rng.IntN(16)])
	}
	apn, apnUser, apnPass := "bcmobile", "", ""
	if len(sku.Country) > 0 {
		apn, apnUser, apnPass = sku.Country[0].APN, sku.Country[0].APNUsername, sku.Country[0].APNPassword
	}
	lpa := fmt.Sprintf("LPA:1$%s$%s", smdpHosts[s.rng.IntN(len(smdpHosts))], code.String())
	confirm := ""
	if len(sku.Country) == 1 && confirmationLocal[sku.Country[0].MCC] {
		lpa += "$$1" // no OID, confirmation code required
		confirm = s.digitsLocked(6)
	}
	rech := "0"
	if sku.RechargeableProduct == "1" {
		rech = "1"
	}
	return ESIM{
		UID:              s.uniqueLocked(func() string { return "1" + s.digitsLocked(18) }),
		ICCID:            iccid,
		QRCodeContent:    lpa,
		APN:              apn,
		PIN:              "1234",
		PUK:              s.digitsLocked(8),
		MSISDN:           "8526" + s.digitsLocked(7),
		ValidTime:        now.AddDate(0, 0, 180).In(vendorZone).Format(timeLayout),
		RechargeableESIM: rech,
		ConfirmationCode: confirm,
		APNUsername:      apnUser,
		APNPassword:      apnPass,
	}
}

// luhn returns the Luhn check digit of a digit string, as ICCIDs carry.
func luhn(digits string) string {
	sum := 0
	double := true
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return strconv.Itoa((10 - sum%10) % 10)
}
