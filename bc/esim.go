package bc

import (
	"context"
	"encoding/json"
	"time"
)

// eSIM profile statuses (F042 status, N012 profileStatus).
const (
	ProfileNotDownloaded = 0
	ProfileDownloaded    = 1
	ProfileInstalled     = 2
	ProfileEnabled       = 3
	ProfileDisabled      = 4
	ProfileRecycled      = 5
)

// Plan statuses (PlanUsageLine.PlanStatus, F046).
const (
	PlanNotUsed   = 0
	PlanInUse     = 1
	PlanFinished  = 2 // used up or expired
	PlanCancelled = 3
)

// ProfileStatusRecord is one entry of an eSIM's F042 status history.
type ProfileStatusRecord struct {
	OrderID    String `json:"orderId"`
	ICCID      String `json:"iccid"`
	Status     Int    `json:"status"`     // ProfileNotDownloaded ... ProfileRecycled
	RecordTime String `json:"recordTime"` // TimeLayout, vendor's zone
	EID        String `json:"eid"`
}

// LatestProfileStatus returns the record with the newest RecordTime: the
// vendor does not sort the history, and the newest entry is the current
// state. Records whose time cannot be parsed lose to any that can; among
// equal times the later record in the list wins. ok is false for an empty
// list.
func LatestProfileStatus(records []ProfileStatusRecord) (latest ProfileStatusRecord, ok bool) {
	var latestAt time.Time
	latestValid := false
	for i, r := range records {
		at, err := time.Parse(TimeLayout, string(r.RecordTime))
		valid := err == nil
		switch {
		case i == 0,
			valid && !latestValid,
			valid && !at.Before(latestAt),
			!valid && !latestValid:
			latest, latestAt, latestValid = r, at, valid
		}
	}
	return latest, len(records) > 0
}

// PlanUsage is the F046 answer: the plans on an eSIM and their usage.
type PlanUsage struct {
	SubOrderList []PlanUsageLine `json:"subOrderList"`
}

// PlanUsageLine is one plan on an eSIM.
type PlanUsageLine struct {
	SKUName       String `json:"skuName"`
	Copies        Int    `json:"copies"`
	PlanStatus    Int    `json:"planStatus"` // PlanNotUsed ... PlanCancelled
	PlanStartTime String `json:"planStartTime"`
	PlanEndTime   String `json:"planEndTime"`
	TotalDays     Int    `json:"totalDays"`
	// TotalTraffic is in KB; -1 means unlimited.
	TotalTraffic  Int         `json:"totalTraffic"`
	HighFlowSize  Int         `json:"highFlowSize"` // KB per day
	PlanType      Int         `json:"planType"`     // PlanTypeTotal or PlanTypeDaily
	UsageInfoList []UsageInfo `json:"usageInfoList"`
}

// UsageInfo is one day of a plan's usage.
type UsageInfo struct {
	UseDate String `json:"useDate"` // YYYYMMDD
	// UsageAmount is KB, kept exact: nothing guarantees whole KB. The
	// vendor spells the field "useageAmt".
	UsageAmount Decimal `json:"useageAmt"`
}

// PlanUsageQuery selects an eSIM for F046: ICCID and one of the order IDs.
type PlanUsageQuery struct {
	ICCID          string
	OrderID        string // the vendor's order ID
	ChannelOrderID string // the shop's order number
}

// DailyUsage is one F023 record.
type DailyUsage struct {
	UsedDate          String  `json:"usedDate"`
	Type              Int     `json:"type"`       // 0 data
	UsedAmount        Decimal `json:"usedAmount"` // KB
	Country           String  `json:"country"`
	CountryRegionCode String  `json:"countryRegionCode"`
}

// DailyUsageQuery selects F023 records. Records lag the network by 1-2
// hours (Japan: up to 15 days).
type DailyUsageQuery struct {
	ICCID     string
	BeginDate time.Time // only the date is sent, as YYYY-MM-DD in the value's own zone
	EndDate   time.Time
}

// Balance is the F014 answer, in the account's currency. The vendor's field
// table calls the balance saleBalance and its example accountBalance; both
// land in AccountBalance.
type Balance struct {
	AccountBalance   Decimal `json:"accountBalance"`
	Currency         String  `json:"currency"`
	AvailableBalance Decimal `json:"availableBalance"`
	FrozenBalance    Decimal `json:"frozenBalance"`
	CreditLimit      Decimal `json:"creditLimit"`
}

// UnmarshalJSON implements json.Unmarshaler, accepting saleBalance for
// accountBalance.
func (b *Balance) UnmarshalJSON(data []byte) error {
	type plain Balance
	var aux struct {
		plain
		SaleBalance *Decimal `json:"saleBalance"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*b = Balance(aux.plain)
	if b.AccountBalance == "" && aux.SaleBalance != nil {
		b.AccountBalance = *aux.SaleBalance
	}
	return nil
}

type planUsageRequest struct {
	ICCID          string `json:"iccid"`
	OrderID        string `json:"orderId,omitempty"`
	ChannelOrderID string `json:"channelOrderId,omitempty"`
	Language       string `json:"language"`
}

type dailyUsageRequest struct {
	ICCID     string `json:"iccid"`
	BeginDate string `json:"beginDate"`
	EndDate   string `json:"endDate"`
	Language  string `json:"language"`
}

// ProfileStatus returns an eSIM's status history (F042), unsorted; see
// LatestProfileStatus.
func (c *Client) ProfileStatus(ctx context.Context, iccid string) ([]ProfileStatusRecord, error) {
	if iccid == "" {
		return nil, errInvalid(TradeProfileStatus, "iccid is required")
	}
	return callList[ProfileStatusRecord](ctx, c, TradeProfileStatus, iccidRequest{ICCID: iccid})
}

// PlanUsage returns the plans on an eSIM and their usage (F046).
func (c *Client) PlanUsage(ctx context.Context, q PlanUsageQuery) (*PlanUsage, error) {
	if q.ICCID == "" {
		return nil, errInvalid(TradePlanUsage, "iccid is required")
	}
	if q.OrderID == "" && q.ChannelOrderID == "" {
		return nil, errInvalid(TradePlanUsage, "orderId or channelOrderId is required")
	}
	var out PlanUsage
	err := c.call(ctx, TradePlanUsage, planUsageRequest{
		ICCID: q.ICCID, OrderID: q.OrderID, ChannelOrderID: q.ChannelOrderID, Language: LanguageEnglish,
	}, &out)
	if err != nil {
		return nil, err
	}
	if out.SubOrderList == nil {
		out.SubOrderList = []PlanUsageLine{}
	}
	return &out, nil
}

// DailyUsage returns an eSIM's data use per day and country (F023).
func (c *Client) DailyUsage(ctx context.Context, q DailyUsageQuery) ([]DailyUsage, error) {
	if q.ICCID == "" {
		return nil, errInvalid(TradeDailyUsage, "iccid is required")
	}
	if q.BeginDate.IsZero() || q.EndDate.IsZero() || q.EndDate.Before(q.BeginDate) {
		return nil, errInvalid(TradeDailyUsage, "beginDate and endDate are required, beginDate first")
	}
	const day = "2006-01-02"
	return callList[DailyUsage](ctx, c, TradeDailyUsage, dailyUsageRequest{
		ICCID: q.ICCID, BeginDate: q.BeginDate.Format(day), EndDate: q.EndDate.Format(day), Language: LanguageEnglish,
	})
}

// Balance returns the account balance (F014).
func (c *Client) Balance(ctx context.Context) (*Balance, error) {
	var out Balance
	if err := c.call(ctx, TradeBalance, struct{}{}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
