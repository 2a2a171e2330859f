package shop

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/esimshop/esimshop/bc"
)

// unusableNotice is a verified notice whose content the shop cannot use (a
// field of the wrong type, no eSIM in an N009, entries that match no line
// of the order). It is kept with its verdict, the order it names is handed
// to the operator at once, and the vendor is answered with a failure, so
// it sends the notice again: a transient fault on its side heals, and a
// repeat costs nothing (the copy is a reference, applying is idempotent).
type unusableNotice struct {
	order  string // the shop's order number the notice names; "" if unknown
	reason string
}

func (u *unusableNotice) Error() string { return u.reason }

// flagUnusable hands the notice's order to the operator with the reason
// and returns the order's id (0 when the notice names no order of ours).
func (s *Shop) flagUnusable(ctx context.Context, u *unusableNotice) int64 {
	if u.order == "" {
		return 0
	}
	o, err := s.DB.OrderByNumber(ctx, u.order)
	if err != nil {
		return 0
	}
	reason := u.reason + "; the raw notice is kept under Notices, and the vendor was asked to send it again (else re-send it with F041)"
	if o.Attention != reason {
		if _, err := s.DB.MarkNeedsAttention(ctx, o.ID, reason, "", ""); err != nil {
			s.Log.ErrorContext(ctx, "flagging an order for an unusable notice", "order", o.Number, "err", err)
		}
	}
	return o.ID
}

// noticeOrderNumber finds the channelOrderId of a notice whose tradeData
// did not decode, so the right order can still be flagged: an object
// with a string (or number) channelOrderId, else "".
func noticeOrderNumber(n *bc.Notice) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(n.Data, &fields) != nil {
		return ""
	}
	var v bc.String
	if json.Unmarshal(fields["channelOrderId"], &v) != nil {
		return ""
	}
	return strings.ToUpper(strings.TrimSpace(string(v)))
}
