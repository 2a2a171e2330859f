package bc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Trade types of the notices Billionconnect sends to the shop.
const (
	NoticePlanStarted   = "N002"
	NoticePlanEnded     = "N003"
	NoticeSKUChanged    = "N006"
	NoticeDelivery      = "N009" // the eSIM (QR code) for an F040 order
	NoticeEmailSent     = "N010"
	NoticeProfileStatus = "N012"
	NoticeTopUpResult   = "N013"
)

// AckBody is the answer to every notice once it is verified and stored,
// including notices of unknown type. A slow or different answer makes the
// vendor send it again.
var AckBody = []byte(`{"tradeCode":"1000","tradeMsg":"success"}`)

// Top-up outcomes (TopUpResult.Status, N013).
const (
	TopUpSucceeded = 0
	TopUpFailed    = 1
)

// Notice is an incoming notice's envelope. Data is tradeData verbatim (nil
// when absent or null); decode it with the method matching TradeType.
type Notice struct {
	TradeType string
	TradeTime string
	Data      json.RawMessage
}

// ParseNotice parses a notice body strictly: exactly one JSON object with
// nothing but whitespace after it, and a non-empty tradeType. Verify the
// signature on the same bytes with Verify before calling it. Unknown trade
// types parse fine: the shop stores and acknowledges them.
func ParseNotice(body []byte) (*Notice, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, errors.New("bc: notice: body is not a JSON object")
	}
	var env struct {
		TradeType String          `json:"tradeType"`
		TradeTime String          `json:"tradeTime"`
		TradeData json.RawMessage `json:"tradeData"`
	}
	// json.Unmarshal rejects anything but whitespace after the value.
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return nil, fmt.Errorf("bc: notice: %w", err)
	}
	if env.TradeType == "" {
		return nil, errors.New("bc: notice: tradeType is missing")
	}
	n := &Notice{TradeType: string(env.TradeType), TradeTime: string(env.TradeTime)}
	if !isNullJSON(env.TradeData) {
		n.Data = bytes.Clone(env.TradeData)
	}
	return n, nil
}

// Delivery is the N009 tradeData: the eSIMs of an F040 order, one entry
// per eSIM (several per sub-order when number > 1).
type Delivery struct {
	OrderID        String          `json:"orderId"`
	ChannelOrderID String          `json:"channelOrderId"`
	SubOrderList   []DeliveredESIM `json:"subOrderList"`
}

// DeliveredESIM is one delivered eSIM. QRCodeContent is the LPA activation
// string (see ParseLPA) and is secret-ish: whoever has it can install the
// eSIM.
type DeliveredESIM struct {
	SubOrderID        String `json:"subOrderId"`
	ChannelSubOrderID String `json:"channelSubOrderId"`
	UID               String `json:"uid"`
	ICCID             String `json:"iccid"`
	QRCodeContent     String `json:"qrCodeContent"`
	APN               String `json:"apn"`
	PIN               String `json:"pin"`
	PUK               String `json:"puk"`
	MSISDN            String `json:"msisdn"`
	ValidTime         String `json:"validTime"`        // install-by time, TimeLayout
	RechargeableESIM  Int    `json:"rechargeableESIM"` // 1 when it can be topped up
	// ConfirmationCode is needed to install a profile whose LPA string
	// has the confirmation flag (see LPA.ConfirmationRequired).
	ConfirmationCode String `json:"confirmationCode"`
	APNUsername      String `json:"apnUsername"`
	APNPassword      String `json:"apnPassword"`
}

// EmailSent is the N010 tradeData.
type EmailSent struct {
	OrderID        String `json:"orderId"`
	ChannelOrderID String `json:"channelOrderId"`
}

// ProfileStatusChange is the N012 tradeData.
type ProfileStatusChange struct {
	OrderID        String              `json:"orderId"`
	ChannelOrderID String              `json:"channelOrderId"`
	SubOrderList   []ProfileStatusLine `json:"subOrderList"`
}

// ProfileStatusLine is one eSIM's new profile status.
type ProfileStatusLine struct {
	SubOrderID        String `json:"subOrderId"`
	ChannelSubOrderID String `json:"channelSubOrderId"`
	UID               String `json:"uid"`
	ICCID             String `json:"iccid"`
	ProfileStatus     Int    `json:"profileStatus"` // ProfileNotDownloaded ... ProfileRecycled
}

// TopUpResult is the N013 tradeData.
type TopUpResult struct {
	OrderID        String `json:"orderId"`
	ChannelOrderID String `json:"channelOrderId"`
	Status         Int    `json:"status"` // TopUpSucceeded or TopUpFailed
}

// PlanEvent is one entry of an N002 (plan started) or N003 (plan ended)
// notice. N003's example carries ChannelOrderID where its table says
// ChannelSubOrderID, so both are kept.
type PlanEvent struct {
	SubOrderID        String `json:"subOrderId"`
	ChannelSubOrderID String `json:"channelSubOrderId"`
	ChannelOrderID    String `json:"channelOrderId"`
	ICCID             String `json:"iccid"`
	StartTime         String `json:"startTime"`
	EndTime           String `json:"endTime"`
	CountryRegion     String `json:"countryRegion"`
	APN               String `json:"apn"`
}

// Delivery decodes an N009 notice.
func (n *Notice) Delivery() (*Delivery, error) {
	var d Delivery
	if err := n.decodeObject(NoticeDelivery, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// EmailSent decodes an N010 notice.
func (n *Notice) EmailSent() (*EmailSent, error) {
	var e EmailSent
	if err := n.decodeObject(NoticeEmailSent, &e); err != nil {
		return nil, err
	}
	return &e, nil
}

// ProfileStatusChange decodes an N012 notice.
func (n *Notice) ProfileStatusChange() (*ProfileStatusChange, error) {
	var p ProfileStatusChange
	if err := n.decodeObject(NoticeProfileStatus, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// TopUpResult decodes an N013 notice.
func (n *Notice) TopUpResult() (*TopUpResult, error) {
	var t TopUpResult
	if err := n.decodeObject(NoticeTopUpResult, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// PlanEvents decodes an N002 or N003 notice. tradeData is documented as an
// object but sent as an array; both are accepted.
func (n *Notice) PlanEvents() ([]PlanEvent, error) {
	if n.TradeType != NoticePlanStarted && n.TradeType != NoticePlanEnded {
		return nil, n.wrongType(NoticePlanStarted + " or " + NoticePlanEnded)
	}
	return decodeOneOrMany[PlanEvent](n)
}

// SKUs decodes an N006 notice: the changed commodities, shaped like F002
// but usually with only some of its fields (see SKU.Has). tradeData may
// be an array or a single object; each SKU is decoded on its own and those
// that fail are returned in rejected.
func (n *Notice) SKUs() (skus []SKU, rejected []Rejected, err error) {
	if n.TradeType != NoticeSKUChanged {
		return nil, nil, n.wrongType(NoticeSKUChanged)
	}
	skus, rejected, err = decodeEach[SKU](n.Data, true)
	if err != nil {
		return nil, nil, fmt.Errorf("bc: notice %s: %w", n.TradeType, err)
	}
	return skus, rejected, nil
}

// decodeObject decodes Data, which must be a JSON object, into out after
// checking the trade type.
func (n *Notice) decodeObject(want string, out any) error {
	if n.TradeType != want {
		return n.wrongType(want)
	}
	data := bytes.TrimSpace(n.Data)
	if len(data) == 0 || data[0] != '{' {
		return fmt.Errorf("bc: notice %s: tradeData is not an object", n.TradeType)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("bc: notice %s: %w", n.TradeType, err)
	}
	return nil
}

func (n *Notice) wrongType(want string) error {
	return fmt.Errorf("bc: notice is %q, not %s", n.TradeType, want)
}

// decodeOneOrMany decodes Data as an array of T or a single T object. An
// absent or null tradeData is an empty, non-nil slice.
func decodeOneOrMany[T any](n *Notice) ([]T, error) {
	if isNullJSON(n.Data) {
		return []T{}, nil
	}
	data := bytes.TrimSpace(n.Data)
	switch data[0] {
	case '[':
		items := []T{}
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fmt.Errorf("bc: notice %s: %w", n.TradeType, err)
		}
		return items, nil
	case '{':
		var item T
		if err := json.Unmarshal(data, &item); err != nil {
			return nil, fmt.Errorf("bc: notice %s: %w", n.TradeType, err)
		}
		return []T{item}, nil
	default:
		return nil, fmt.Errorf("bc: notice %s: tradeData is neither an array nor an object", n.TradeType)
	}
}
