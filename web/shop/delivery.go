package shop

import (
	"context"
	"strings"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// applyDelivery stores the eSIMs of an N009. It matches the order by the
// shop's own number (channelOrderId), so it works even when the notice
// beats the F040 reply; the store ignores eSIMs it already has.
func (s *Shop) applyDelivery(ctx context.Context, n *bc.Notice) (string, int64, error) {
	d, err := n.Delivery()
	if err != nil {
		return "", 0, &unusableNotice{order: noticeOrderNumber(n), reason: "an eSIM notice (N009) could not be read: " + err.Error()}
	}
	if len(d.SubOrderList) == 0 {
		return "", 0, &unusableNotice{order: string(d.ChannelOrderID), reason: "an eSIM notice (N009) carried no eSIM"}
	}
	esims := make([]store.ESIM, 0, len(d.SubOrderList))
	var unusable []string // ICCIDs whose activation string cannot be used
	for _, e := range d.SubOrderList {
		lpa, err := bc.ParseLPA(string(e.QRCodeContent))
		if err != nil {
			// This eSIM cannot be given to the buyer; the others in the
			// notice still can. The raw notice is kept for the operator.
			s.Log.ErrorContext(ctx, "N009 with an unusable LPA string", "order", string(d.ChannelOrderID), "iccid", string(e.ICCID), "err", err)
			unusable = append(unusable, strings.TrimSpace(string(e.ICCID)))
			continue
		}
		installBy, _ := parseVendorTime(string(e.ValidTime))
		esims = append(esims, store.ESIM{
			LineNumber: string(e.ChannelSubOrderID), VendorSubOrderID: string(e.SubOrderID), UID: string(e.UID),
			ICCID: strings.TrimSpace(string(e.ICCID)), LPA: lpa.Raw, SMDP: lpa.SMDP, ActivationCode: lpa.ActivationCode,
			APN: string(e.APN), PIN: string(e.PIN), PUK: string(e.PUK), MSISDN: string(e.MSISDN),
			InstallBy: installBy, Rechargeable: e.RechargeableESIM == 1, ProfileStatus: -1,
			ConfirmationCode: strings.TrimSpace(string(e.ConfirmationCode)), ConfirmationRequired: lpa.ConfirmationRequired,
			APNUsername: string(e.APNUsername), APNPassword: string(e.APNPassword),
		})
	}
	if len(unusable) > 0 {
		if o, err := s.DB.OrderByNumber(ctx, string(d.ChannelOrderID)); err == nil {
			if _, err := s.DB.MarkNeedsAttention(ctx, o.ID, "N009 carried an unusable activation string for ICCID "+strings.Join(unusable, ", ")+"; ask the vendor to re-send it (F041)", "", ""); err != nil {
				return "", 0, err
			}
		}
		if len(esims) == 0 {
			return "", 0, &unusableNotice{order: string(d.ChannelOrderID), reason: "no activation string of the eSIM notice (N009) could be used"}
		}
	}
	added, delivered, err := s.DB.StoreDelivery(ctx, string(d.ChannelOrderID), string(d.OrderID), esims)
	switch store.ErrorCode(err) {
	case "":
	case store.ENOTFOUND:
		s.Log.WarnContext(ctx, "N009 for no order of ours", "channel_order", string(d.ChannelOrderID), "err", err)
		return store.VerdictUnmatched, 0, nil
	case store.EINVALID:
		return "", 0, &unusableNotice{order: string(d.ChannelOrderID), reason: "the eSIM notice (N009) could not be stored: " + store.ErrorMessage(err)}
	default:
		return "", 0, err
	}
	o, err := s.DB.OrderByNumber(ctx, string(d.ChannelOrderID))
	if err != nil {
		return "", 0, err
	}
	if delivered {
		s.Log.InfoContext(ctx, "order delivered", "order", o.Number, "esims", added)
		s.Wake() // the delivery email job
	}
	return store.VerdictAccepted, o.ID, nil
}

// applyCatalogChange updates the SKUs an N006 names and rebuilds the
// in-memory catalog. An N006 carries only some of the F002 fields (and
// often Chinese text): each known SKU keeps everything the notice does not
// carry (see mergeSKU). SKUs that fail decoding are logged and skipped;
// unknown SKUs wait for the next full sync, which brings their prices.
func (s *Shop) applyCatalogChange(ctx context.Context, n *bc.Notice) (string, int64, error) {
	skus, rejected, err := n.SKUs()
	if err != nil {
		return store.VerdictMalformed, 0, nil
	}
	for _, r := range rejected {
		s.Log.WarnContext(ctx, "N006 SKU skipped", "sku", r.SKUID, "reason", r.Reason)
	}
	var products []store.Product
	seen := map[string]bool{}
	for _, sku := range skus {
		id := strings.TrimSpace(string(sku.SKUID))
		if id == "" || seen[id] {
			continue
		}
		stored, err := s.DB.Product(ctx, id)
		if store.ErrorCode(err) == store.ENOTFOUND {
			continue
		}
		if err != nil {
			return "", 0, err
		}
		p := mergeSKU(stored, sku)
		if err := store.ValidateProduct(p, false); err != nil {
			s.Log.WarnContext(ctx, "N006 SKU skipped", "sku", id, "reason", err.Error())
			continue
		}
		seen[id] = true
		products = append(products, p)
	}
	if len(products) == 0 {
		if len(rejected) > 0 && len(skus) == 0 {
			return store.VerdictMalformed, 0, nil
		}
		return store.VerdictIgnored, 0, nil
	}
	updated, err := s.DB.UpdateProducts(ctx, products)
	if err != nil {
		if store.ErrorCode(err) == store.EINVALID {
			return store.VerdictMalformed, 0, nil
		}
		return "", 0, err
	}
	if updated > 0 {
		if err := s.Catalog.Reload(ctx); err != nil {
			return "", 0, err
		}
	}
	return store.VerdictAccepted, 0, nil
}
