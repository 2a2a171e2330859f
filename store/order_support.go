package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// MaxNoteLen bounds an operator's note on an order, in bytes.
const MaxNoteLen = 2000

// ChangeOrderEmail corrects the buyer's email of an order and records the
// change (old and new address, who and why) on its timeline, in one
// transaction. An address that is not one (see validEmail) is EINVALID;
// the same address changes nothing (changed=false). Unknown order:
// ENOTFOUND. Mails already sent stay as they were; the operator resends.
func (db *DB) ChangeOrderEmail(ctx context.Context, orderID int64, email, by string) (changed bool, err error) {
	email = strings.TrimSpace(email)
	if !validEmail(email) {
		return false, Errorf(EINVALID, "%q is not an email address", email)
	}
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		o, err := loadOrder(ctx, tx, `id = ?`, orderID)
		if err != nil {
			return err
		}
		if o.Email == email {
			return nil
		}
		now := db.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE orders SET email = ?, updated_at = ? WHERE id = ?`, email, now, o.ID); err != nil {
			return fmt.Errorf("store: change email: %w", err)
		}
		changed = true
		return insertOrderEvent(ctx, tx, o.ID, now, o.Status, o.Status,
			fmt.Sprintf("buyer email changed from %s to %s by %s", o.Email, email, by))
	})
	return changed, err
}
