package admin

import (
	"bufio"
	"context"
	"encoding/csv"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// exportTimeout bounds one streamed export. The request's own deadline
// ends when the handler returns, before the body is streamed.
const exportTimeout = 2 * time.Minute

// csvCell neutralises a spreadsheet formula: a text cell that starts with
// =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a
// spreadsheet shows it as text instead of evaluating it (OWASP's "CSV
// injection" advice). Cells the shop itself writes as numbers never start
// with those.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// csvTime writes a time as RFC 3339 in UTC, "" for none.
func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// streamCSV sends a CSV attachment whose rows come from produce, written
// as they are read (constant memory, whatever the count). produce gets a
// context of its own: the request's ends when the handler returns.
// Headers are sent before the first row, so an error midway can only cut
// the file short; it is logged and the file ends with a line saying so.
func streamCSV(c *fiber.Ctx, log *slog.Logger, filename string, header []string,
	produce func(ctx context.Context, write func([]string) error) error) error {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
	ctx := context.WithoutCancel(c.UserContext())
	c.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		ctx, cancel := context.WithTimeout(ctx, exportTimeout)
		defer cancel()
		w := csv.NewWriter(bw)
		// A UTF-8 byte order mark makes spreadsheets read accents right.
		_, _ = bw.WriteString("\ufeff")
		_ = w.Write(header)
		err := produce(ctx, func(rec []string) error {
			for i := range rec {
				rec[i] = csvCell(rec[i])
			}
			// The csv and connection buffers pass full blocks on: only a
			// few kilobytes are ever held.
			return w.Write(rec)
		})
		if err != nil {
			log.Error("csv export cut short", "file", filename, "err", err)
			_ = w.Write([]string{"export incomplete: an error stopped it; try again"})
		}
		w.Flush()
	})
	return nil
}
