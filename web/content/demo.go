package content

import (
	"context"
	"strings"

	"github.com/esimshop/esimshop/store"
)

// demoGuides are the sample guides -demo publishes.
var demoGuides = []seedPage{
	{"using-your-phone-in-japan", "en", "Using your phone in Japan", "How to stay online in Japan with an eSIM: when to install it, which networks work, and what to do on arrival.",
		"Japan's networks are fast and everywhere, but free Wi-Fi is patchy outside cities. An eSIM gets you online the moment you land.\n\n## Before you fly\n\nInstall the eSIM at home, on Wi-Fi, and leave it switched off until you arrive.\n\n## On arrival\n\n1. Turn on the eSIM line and its data roaming.\n2. Choose it for mobile data.\n3. Keep your usual line on for texts if you need them.\n\n## Networks\n\nMost plans use Docomo, SoftBank or KDDI, which cover the whole country including the Shinkansen lines."},
	{"using-your-phone-in-japan", "es", "Usar el móvil en Japón", "Cómo tener internet en Japón con una eSIM: cuándo instalarla, qué redes funcionan y qué hacer al llegar.",
		"Las redes de Japón son rápidas y llegan a todas partes, pero el Wi-Fi gratuito escasea fuera de las ciudades. Con una eSIM tienes internet nada más aterrizar.\n\n## Antes de volar\n\nInstala la eSIM en casa, con Wi-Fi, y déjala desactivada hasta llegar.\n\n## Al llegar\n\n1. Activa la línea de la eSIM y su itinerancia de datos.\n2. Elígela para los datos móviles.\n3. Deja tu línea habitual activa si necesitas recibir SMS.\n\n## Redes\n\nLa mayoría de los planes usan Docomo, SoftBank o KDDI, que cubren todo el país, incluidas las líneas del Shinkansen."},
}

// PublishDemo publishes sample versions of the essential pages still
// holding placeholders and adds the sample guides, for -demo. Pages the
// operator has edited are left as they are.
func PublishDemo(ctx context.Context, db *store.DB) error {
	cs, err := db.Contents(ctx)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, c := range cs {
		have[c.Kind+"|"+c.Slug+"|"+c.Lang] = true
		if !c.Placeholder || c.Kind != store.KindPage {
			continue
		}
		c.Body = strings.ReplaceAll(c.Body, PlaceholderMark, sampleMark(c.Lang))
		c.Status, c.Placeholder = store.StatusPublished, false
		if _, err := db.SaveContent(ctx, c); err != nil {
			return err
		}
	}
	for _, g := range demoGuides {
		if have[store.KindGuide+"|"+g.slug+"|"+g.lang] {
			continue
		}
		if _, err := db.SaveContent(ctx, store.Content{Kind: store.KindGuide, Slug: g.slug, Lang: g.lang, Title: g.title,
			Description: g.description, Body: g.body, Status: store.StatusPublished}); err != nil {
			return err
		}
	}
	return nil
}

// sampleMark replaces a placeholder in the demo: sample text, said so.
func sampleMark(lang string) string {
	if lang == "es" {
		return "(Texto de ejemplo de la tienda de demostración.)"
	}
	return "(Sample text of the demo shop.)"
}
