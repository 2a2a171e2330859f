package shop

import (
	"context"
	"time"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// keepLatestProfile stores the newest of an F042 answer's records on the
// eSIM (the store never lets an older report overwrite a newer N012) and
// returns it; ok is false when the vendor reported no status. A record
// whose time cannot be read is returned but not stored.
func keepLatestProfile(ctx context.Context, db *store.DB, iccid string, recs []bc.ProfileStatusRecord) (latest bc.ProfileStatusRecord, ok bool, err error) {
	latest, ok = bc.LatestProfileStatus(recs)
	if !ok {
		return latest, false, nil
	}
	if at, perr := time.ParseInLocation(bc.TimeLayout, string(latest.RecordTime), bc.VendorLocation); perr == nil {
		_, err = db.SetProfileStatus(ctx, iccid, int(latest.Status), at)
	}
	return latest, true, err
}
