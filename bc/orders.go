package bc

import (
	"bytes"
	"context"
	"encoding/json"
)

// Order statuses (OrderInfo.OrderStatus, F011).
const (
	OrderStatusOrdered   = 0
	OrderStatusDelivered = 1 // shipped / eSIM delivered
	OrderStatusCancelled = 2
)

// MaxESIMsPerLine is the vendor's upper bound on SubOrderRequest.Number.
const MaxESIMsPerLine = 500

// CreateOrderRequest is the F040 tradeData. F040 is idempotent on
// ChannelOrderID: after a failure or time-out, retry with the same IDs.
// Numbers are sent as strings, as the vendor documents; zero or empty
// optional fields are not sent.
type CreateOrderRequest struct {
	ChannelOrderID   string            `json:"channelOrderId"` // the shop's order number
	Email            string            `json:"email,omitempty"`
	TotalAmount      Decimal           `json:"totalAmount,omitempty"`
	DiscountAmount   Decimal           `json:"discountAmount,omitempty"`
	EstimatedUseTime string            `json:"estimatedUseTime,omitempty"` // required when the SKU's estimatedUseTimeFlag is 1
	OrderCreateTime  string            `json:"orderCreateTime,omitempty"`  // TimeLayout
	Comment          string            `json:"comment,omitempty"`
	UserID           string            `json:"userId,omitempty"`
	InvoiceType      string            `json:"invoiceType,omitempty"` // "0" individual, "1" company
	InvoiceHead      string            `json:"invoiceHead,omitempty"`
	InvoiceContent   string            `json:"invoiceContent,omitempty"`
	InvoiceComment   string            `json:"invoiceComment,omitempty"`
	SubOrderList     []SubOrderRequest `json:"subOrderList"`
}

// SubOrderRequest is one F040 order line.
type SubOrderRequest struct {
	ChannelSubOrderID string  `json:"channelSubOrderId"` // the shop's line number
	DeviceSKUID       string  `json:"deviceSkuId"`       // an eSIM SKU (type 3105/3106)
	PlanSKUCopies     Int     `json:"planSkuCopies"`     // one of the SKU's F003 copies values
	Number            Int     `json:"number"`            // eSIMs on this line, 1..MaxESIMsPerLine
	DeviceSKUPrice    Decimal `json:"deviceSkuPrice,omitempty"`
	DiscountAmount    Decimal `json:"discountAmount,omitempty"`
	RechargeableESIM  string  `json:"rechargeableESIM,omitempty"` // "0" or "1"
}

// CreateOrderResult is what F040 and F007 return: the vendor's IDs for the
// shop's order and lines.
type CreateOrderResult struct {
	OrderID        String           `json:"orderId"` // the vendor's order ID
	ChannelOrderID String           `json:"channelOrderId"`
	SubOrderList   []SubOrderResult `json:"subOrderList"`
}

// SubOrderResult maps one of the shop's lines to the vendor's sub-order.
type SubOrderResult struct {
	SubOrderID        String `json:"subOrderId"`
	ChannelSubOrderID String `json:"channelSubOrderId"`
}

// OrderInfo is the F011 answer.
type OrderInfo struct {
	OrderID      String      `json:"orderId"`
	OrderStatus  Int         `json:"orderStatus"` // OrderStatusOrdered, ...Delivered, ...Cancelled
	CreateTime   String      `json:"createTime"`
	SubOrderList []OrderLine `json:"subOrderList"`
}

// OrderLine is one F011 sub-order. The vendor's examples name the SKU and
// copies fields two ways and send iccid as an array or a bare string; all
// are accepted.
type OrderLine struct {
	SubOrderID        String     `json:"subOrderId"`
	ChannelSubOrderID String     `json:"channelSubOrderId"`
	SKUID             String     `json:"skuId"`  // also read from deviceSkuId
	Copies            Int        `json:"copies"` // also read from planSkuCopies
	Number            Int        `json:"number"`
	ICCID             StringList `json:"iccid"`
}

// UnmarshalJSON implements json.Unmarshaler, accepting both field names.
func (l *OrderLine) UnmarshalJSON(data []byte) error {
	type plain OrderLine
	var aux struct {
		plain
		DeviceSKUID   *String `json:"deviceSkuId"`
		PlanSKUCopies *Int    `json:"planSkuCopies"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*l = OrderLine(aux.plain)
	if l.SKUID == "" && aux.DeviceSKUID != nil {
		l.SKUID = *aux.DeviceSKUID
	}
	if l.Copies == 0 && aux.PlanSKUCopies != nil {
		l.Copies = *aux.PlanSKUCopies
	}
	return nil
}

// TopUpRequest is the F007 tradeData: add plans to eSIMs already sold.
// Idempotent on ChannelOrderID like F040; the result arrives later as N013.
type TopUpRequest struct {
	ChannelOrderID string      `json:"channelOrderId"`
	TotalAmount    Decimal     `json:"totalAmount,omitempty"`
	DiscountAmount Decimal     `json:"discountAmount,omitempty"`
	SubOrderList   []TopUpLine `json:"subOrderList"`
}

// TopUpLine is one F007 line: Copies copies of plan SKUID on each ICCID.
type TopUpLine struct {
	ChannelSubOrderID string     `json:"channelSubOrderId"`
	ICCID             StringList `json:"iccid"`
	SKUID             string     `json:"skuId"` // one of TopUpSKUs' answers
	Copies            Int        `json:"copies"`
}

// TopUpSKUs is the F052 answer: plan SKUs that can be added to an eSIM.
type TopUpSKUs struct {
	SKUID StringList `json:"skuId"`
}

// UnmarshalJSON implements json.Unmarshaler. The documented shape is an
// object {"skuId": [...]}; the vendor also answers with an array, of such
// objects or of bare SKU ids. All are accepted and merged in order.
func (t *TopUpSKUs) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		type plain TopUpSKUs
		var p plain
		if err := json.Unmarshal(data, &p); err != nil {
			return err
		}
		*t = TopUpSKUs(p)
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return err
	}
	t.SKUID = nil
	for _, it := range items {
		it = bytes.TrimSpace(it)
		if len(it) > 0 && it[0] == '{' {
			var one TopUpSKUs
			if err := one.UnmarshalJSON(it); err != nil {
				return err
			}
			t.SKUID = append(t.SKUID, one.SKUID...)
			continue
		}
		var id StringList
		if err := json.Unmarshal(it, &id); err != nil {
			return err
		}
		t.SKUID = append(t.SKUID, id...)
	}
	return nil
}

type orderIDRequest struct {
	OrderID string `json:"orderId"`
}

type channelOrderIDRequest struct {
	ChannelOrderID string `json:"channelOrderId"`
}

type resendEmailRequest struct {
	OrderID string `json:"orderId"`
	Email   string `json:"email"`
}

type iccidRequest struct {
	ICCID string `json:"iccid"`
}

// CreateOrder places an eSIM order (F040). It refuses, without calling the
// vendor, a request missing a required field or with a count out of range.
func (c *Client) CreateOrder(ctx context.Context, req CreateOrderRequest) (*CreateOrderResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	var out CreateOrderResult
	if err := c.call(ctx, TradeCreateOrder, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

func (r CreateOrderRequest) validate() error {
	if r.ChannelOrderID == "" {
		return errInvalid(TradeCreateOrder, "channelOrderId is required")
	}
	if len(r.SubOrderList) == 0 {
		return errInvalid(TradeCreateOrder, "subOrderList is empty")
	}
	for i, s := range r.SubOrderList {
		switch {
		case s.ChannelSubOrderID == "":
			return errInvalid(TradeCreateOrder, "line %d: channelSubOrderId is required", i)
		case s.DeviceSKUID == "":
			return errInvalid(TradeCreateOrder, "line %d: deviceSkuId is required", i)
		case s.PlanSKUCopies < 1:
			return errInvalid(TradeCreateOrder, "line %d: planSkuCopies must be at least 1", i)
		case s.Number < 1 || s.Number > MaxESIMsPerLine:
			return errInvalid(TradeCreateOrder, "line %d: number must be 1..%d", i, MaxESIMsPerLine)
		}
	}
	return nil
}

// QueryOrder fetches an order by the shop's order number (F011).
func (c *Client) QueryOrder(ctx context.Context, channelOrderID string) (*OrderInfo, error) {
	if channelOrderID == "" {
		return nil, errInvalid(TradeQueryOrder, "channelOrderId is required")
	}
	var out OrderInfo
	if err := c.call(ctx, TradeQueryOrder, channelOrderIDRequest{ChannelOrderID: channelOrderID}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ResendEmail asks the vendor to email an order's eSIMs again (F041).
// orderID is the vendor's order ID.
func (c *Client) ResendEmail(ctx context.Context, orderID, email string) error {
	if orderID == "" || email == "" {
		return errInvalid(TradeResendEmail, "orderId and email are required")
	}
	return c.call(ctx, TradeResendEmail, resendEmailRequest{OrderID: orderID, Email: email}, nil)
}

// CancelOrder cancels an order (F008). orderID is the vendor's order ID.
func (c *Client) CancelOrder(ctx context.Context, orderID string) error {
	if orderID == "" {
		return errInvalid(TradeCancelOrder, "orderId is required")
	}
	return c.call(ctx, TradeCancelOrder, orderIDRequest{OrderID: orderID}, nil)
}

// TopUpSKUs lists the plan SKUs that can be added to an eSIM (F052).
// Details and prices of those SKUs come from SKUs and Prices.
func (c *Client) TopUpSKUs(ctx context.Context, iccid string) ([]string, error) {
	if iccid == "" {
		return nil, errInvalid(TradeTopUpSKUs, "iccid is required")
	}
	var out TopUpSKUs
	if err := c.call(ctx, TradeTopUpSKUs, iccidRequest{ICCID: iccid}, &out); err != nil {
		return nil, err
	}
	if out.SKUID == nil {
		return []string{}, nil
	}
	return out.SKUID, nil
}

// TopUp orders plans for eSIMs already sold (F007). The answer only
// acknowledges the order; the outcome arrives as an N013 notice.
func (c *Client) TopUp(ctx context.Context, req TopUpRequest) (*CreateOrderResult, error) {
	if req.ChannelOrderID == "" {
		return nil, errInvalid(TradeTopUp, "channelOrderId is required")
	}
	if len(req.SubOrderList) == 0 {
		return nil, errInvalid(TradeTopUp, "subOrderList is empty")
	}
	for i, l := range req.SubOrderList {
		switch {
		case l.ChannelSubOrderID == "":
			return nil, errInvalid(TradeTopUp, "line %d: channelSubOrderId is required", i)
		case len(l.ICCID) == 0:
			return nil, errInvalid(TradeTopUp, "line %d: iccid is required", i)
		case l.SKUID == "":
			return nil, errInvalid(TradeTopUp, "line %d: skuId is required", i)
		case l.Copies < 1:
			return nil, errInvalid(TradeTopUp, "line %d: copies must be at least 1", i)
		}
	}
	var out CreateOrderResult
	if err := c.call(ctx, TradeTopUp, req, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
