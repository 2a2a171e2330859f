package content

import (
	"strings"

	"github.com/esimshop/esimshop/store"
)

// Essential page slugs. Stripe and the card networks expect the legal
// pages and a way to reach the shop to be linked from every page.
const (
	SlugTerms   = "terms"
	SlugPrivacy = "privacy"
	SlugRefund  = "refund-policy"
	SlugFAQ     = "faq"
	SlugContact = "contact"
	SlugAbout   = "about"
)

// Required are the pages the dashboard asks for until they are published.
var Required = []string{SlugTerms, SlugPrivacy, SlugRefund, SlugContact}

// footerSlugs are the pages the footer links, in order, when published.
var footerSlugs = []string{SlugTerms, SlugPrivacy, SlugRefund, SlugFAQ, SlugContact}

// PlaceholderMark starts every paragraph of seeded text that the operator
// must replace; the admin shows a page still containing it as unfinished.
const PlaceholderMark = "[TO FILL IN]"

// seedPage is an essential page in one language.
type seedPage struct{ slug, lang, title, description, body string }

// essentials are the seeded drafts: real structure, clearly marked gaps.
var essentials = []seedPage{
	{SlugTerms, "en", "Terms of service", "The terms under which this shop sells eSIM data plans.",
		"## Who we are\n\n" + PlaceholderMark + " Your company's legal name, address and registration number.\n\n## What you buy\n\nA prepaid eSIM data plan for the destination, data and days shown on the plan's page. The eSIM is delivered on your order page and by email once your payment is confirmed.\n\n## Your device\n\nYou must check that your phone supports eSIM and is not carrier-locked before buying.\n\n## Governing law\n\n" + PlaceholderMark + " The law and courts that apply."},
	{SlugTerms, "es", "Condiciones del servicio", "Las condiciones con las que esta tienda vende planes de datos eSIM.",
		"## Quiénes somos\n\n" + PlaceholderMark + " Razón social, dirección y número de registro de tu empresa.\n\n## Qué compras\n\nUn plan de datos eSIM prepago para el destino, los datos y los días que muestra la página del plan. La eSIM se entrega en la página de tu pedido y por correo cuando se confirma el pago.\n\n## Tu dispositivo\n\nAntes de comprar debes comprobar que tu teléfono admite eSIM y no está bloqueado por el operador.\n\n## Ley aplicable\n\n" + PlaceholderMark + " La ley y los tribunales aplicables."},
	{SlugPrivacy, "en", "Privacy policy", "What personal data this shop keeps, why, and for how long.",
		"## What we keep\n\nYour email address, your order and its eSIMs. Card details are handled by our payment provider and never reach us.\n\n## Who we share it with\n\nOur payment provider and our eSIM supplier, only to deliver your order.\n\n## Your rights\n\n" + PlaceholderMark + " How to ask for a copy or the deletion of your data, and the data controller's contact."},
	{SlugPrivacy, "es", "Política de privacidad", "Qué datos personales guarda esta tienda, para qué y durante cuánto tiempo.",
		"## Qué guardamos\n\nTu correo electrónico, tu pedido y sus eSIM. Los datos de la tarjeta los gestiona nuestro proveedor de pagos y nunca nos llegan.\n\n## Con quién los compartimos\n\nCon nuestro proveedor de pagos y nuestro proveedor de eSIM, solo para entregar tu pedido.\n\n## Tus derechos\n\n" + PlaceholderMark + " Cómo pedir una copia o el borrado de tus datos, y el contacto del responsable."},
	{SlugRefund, "en", "Refund policy", "When an eSIM order can be refunded.",
		"## Before installation\n\n" + PlaceholderMark + " Whether, and for how long, an eSIM that was never installed can be refunded.\n\n## After installation\n\nAn eSIM that has been installed or has used data cannot be refunded, except when it never worked because of us.\n\n## How to ask\n\nWrite to us from the contact page with your order number."},
	{SlugRefund, "es", "Política de reembolso", "Cuándo se puede reembolsar un pedido de eSIM.",
		"## Antes de instalarla\n\n" + PlaceholderMark + " Si se puede reembolsar una eSIM que nunca se instaló, y durante cuánto tiempo.\n\n## Después de instalarla\n\nUna eSIM instalada o que ha usado datos no se puede reembolsar, salvo que no funcionara nunca por causa nuestra.\n\n## Cómo pedirlo\n\nEscríbenos desde la página de contacto con tu número de pedido."},
	{SlugFAQ, "en", "Frequently asked questions", "Answers to the questions travellers ask most about our eSIMs.",
		"## When do I get my eSIM?\n\nA few minutes after paying, on your order page and by email.\n\n## When should I install it?\n\nBefore you travel, while you have Wi-Fi. The plan's days start when the eSIM first connects at your destination.\n\n## Can I keep my phone number?\n\nYes: the eSIM only adds data. Your usual SIM stays in your phone for calls and texts."},
	{SlugFAQ, "es", "Preguntas frecuentes", "Respuestas a lo que más preguntan los viajeros sobre nuestras eSIM.",
		"## ¿Cuándo recibo mi eSIM?\n\nUnos minutos después de pagar, en la página de tu pedido y por correo.\n\n## ¿Cuándo debo instalarla?\n\nAntes de viajar, con Wi-Fi. Los días del plan empiezan cuando la eSIM se conecta por primera vez en tu destino.\n\n## ¿Conservo mi número de teléfono?\n\nSí: la eSIM solo añade datos. Tu SIM habitual sigue en el teléfono para llamadas y SMS."},
	{SlugContact, "en", "Contact us", "How to reach us about an order.",
		"Write to us with your order number and we answer within one working day.\n\n- Email: " + PlaceholderMark + " support@your-shop.example\n- " + PlaceholderMark + " Your company's postal address"},
	{SlugContact, "es", "Contacto", "Cómo contactarnos por un pedido.",
		"Escríbenos con tu número de pedido y te respondemos en un día laborable.\n\n- Correo: " + PlaceholderMark + " support@your-shop.example\n- " + PlaceholderMark + " Dirección postal de tu empresa"},
	{SlugAbout, "en", "About us", "Who runs this eSIM shop.", PlaceholderMark + " A few words about who you are and why travellers can trust you."},
	{SlugAbout, "es", "Quiénes somos", "Quién está detrás de esta tienda de eSIM.", PlaceholderMark + " Unas palabras sobre quiénes sois y por qué los viajeros pueden confiar en vosotros."},
}

// Essentials are the pages a fresh shop starts with, as drafts with
// clearly marked placeholders (see store.DB.SeedContent).
func Essentials() []store.Content {
	out := make([]store.Content, 0, len(essentials))
	for _, p := range essentials {
		out = append(out, store.Content{
			Kind: store.KindPage, Slug: p.slug, Lang: p.lang, Title: p.title, Description: p.description,
			Body: p.body, Status: store.StatusDraft, Placeholder: true,
		})
	}
	return out
}

// HasPlaceholder reports whether a text still holds seeded placeholders.
func HasPlaceholder(body string) bool { return strings.Contains(body, PlaceholderMark) }
