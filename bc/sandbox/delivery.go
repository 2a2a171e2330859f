package sandbox

import (
	"context"
	"time"
)

// n009Item is one eSIM in an N009 notice.
type n009Item struct {
	SubOrderID        string `json:"subOrderId"`
	ChannelSubOrderID string `json:"channelSubOrderId"`
	UID               string `json:"uid"`
	ICCID             string `json:"iccid"`
	QRCodeContent     string `json:"qrCodeContent"`
	APN               string `json:"apn"`
	PIN               string `json:"pin"`
	PUK               string `json:"puk"`
	MSISDN            string `json:"msisdn"`
	ValidTime         string `json:"validTime"`
	RechargeableESIM  string `json:"rechargeableESIM"`
	ConfirmationCode  string `json:"confirmationCode,omitempty"`
	APNUsername       string `json:"apnUsername,omitempty"`
	APNPassword       string `json:"apnPassword,omitempty"`
}

// orderNotice is the tradeData of N010 (and the head of N009).
type orderNotice struct {
	OrderID        string `json:"orderId"`
	ChannelOrderID string `json:"channelOrderId"`
}

// deliverOrder marks an eSIM order delivered and sends N009 then N010
// (N010 in its own goroutine when n010Async). A cancelled order is skipped.
func (s *Sandbox) deliverOrder(ctx context.Context, o *Order, n010Async bool) {
	s.mu.Lock()
	if o.Status != statusOrdered {
		s.mu.Unlock()
		return
	}
	o.Status, o.DeliveredAt = statusDelivered, time.Now()
	head := orderNotice{o.OrderID, o.ChannelOrderID}
	n009 := struct {
		orderNotice
		SubOrderList []n009Item `json:"subOrderList"`
	}{orderNotice: head}
	for _, so := range o.SubOrders {
		for _, e := range so.ESIMs {
			n009.SubOrderList = append(n009.SubOrderList, n009Item{
				so.SubOrderID, so.ChannelSubOrderID, e.UID, e.ICCID, e.QRCodeContent,
				e.APN, e.PIN, e.PUK, e.MSISDN, e.ValidTime, e.RechargeableESIM,
				e.ConfirmationCode, e.APNUsername, e.APNPassword,
			})
		}
	}
	dup := s.dup
	if s.cfg.InstallStep > 0 {
		s.goLocked(func(ctx context.Context) { s.installSteps(ctx, o) })
	}
	s.mu.Unlock()
	for range dup {
		_ = s.deliver(ctx, "N009", n009)
	}
	sendN010 := func(ctx context.Context) {
		for range dup {
			_ = s.deliver(ctx, "N010", head)
		}
	}
	if n010Async {
		s.mu.Lock()
		s.goLocked(sendN010)
		s.mu.Unlock()
		return
	}
	sendN010(ctx)
}
