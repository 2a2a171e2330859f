package views

import "strconv"

// outboxPage is the layout Page of the demo outbox: private, because the
// emails it shows carry secret order links.
func outboxPage(d OutboxData) Page {
	p := privatePage(d.Page, T(d.Lang, "title.outbox"))
	p.AutoRefresh = 0
	return p
}

// mailID is the id of the i-th mail's heading.
func mailID(i int) string {
	return "mail-" + strconv.Itoa(i)
}

// mailStatus words a mail's delivery status in lang; a status this code
// does not know shows as stored, which beats hiding it on an operator's
// page.
func mailStatus(lang, status string) string {
	switch status {
	case "sent":
		return T(lang, "outbox.status_sent")
	case "queued":
		return T(lang, "outbox.status_queued")
	case "failed":
		return T(lang, "outbox.status_failed")
	}
	return status
}

// mailStatusClass is the CSS modifier for a status: known ones only, so a
// stored value never becomes an arbitrary class name.
func mailStatusClass(status string) string {
	switch status {
	case "sent", "queued", "failed":
		return status
	}
	return "other"
}
