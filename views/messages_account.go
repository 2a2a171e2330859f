package views

// The messages of the after-sale pages and emails ("My eSIMs", the link
// emails, usage and install status on the order page), kept in their own
// file and merged into the catalogs at start-up.
var accountEN = map[string]string{
	"layout.my_esims":       "My eSIMs",
	"account.title":         "My eSIMs | esimshop",
	"account.heading":       "My eSIMs",
	"account.lead":          "Enter the email address you ordered with. We will email you a sign-in link that shows all your orders and eSIMs. No password needed.",
	"account.email":         "Email address",
	"account.hint":          "The link works once, for 15 minutes.",
	"account.send":          "Email me a sign-in link",
	"account.no_account":    "There is no account to create: your email address is enough.",
	"account.sent_h":        "Check your email",
	"account.sent":          "If %s has orders with us, a sign-in link is on its way. It works once, for %d minutes. Nothing arrived? Check your spam folder or try again in a few minutes.",
	"account.demo_outbox":   "Demo: open the outbox to read the email",
	"account.link_lead":     "Sign in to see your orders and eSIMs. The link works once; you stay signed in for a few hours on this device.",
	"account.link_button":   "Sign in",
	"account.signed_in":     "Signed in as %s",
	"account.no_orders":     "There are no orders for this address.",
	"account.order_meta":    "Order %s · %s",
	"account.signout":       "Sign out",
	"account.link_invalid":  "This sign-in link has expired or was already used. Ask for a new one below.",
	"account.rate_limited":  "Too many links were asked for. Please wait a few minutes and try again.",
	"account.more_lines":    "%s + %d more",
	"error.session_expired": "Your session has ended. Ask for a new sign-in link.",

	"order.resend_h":      "Lost this link?",
	"order.resend":        "We can email this page's link again to the address of the order.",
	"order.resend_button": "Email me this link again",
	"order.resend_sent":   "Sent. The link is on its way to the order's email address.",
	"order.resend_limit":  "A link was sent a moment ago. Please wait a few minutes before asking again.",

	"email.demo_link":         "Demo shop: this email was not sent to anyone.",
	"email.signin_subject":    "Your sign-in link for My eSIMs",
	"email.signin_heading":    "Sign in to My eSIMs",
	"email.signin_intro":      "Use the button below to see your orders and eSIMs. The link works once, for %d minutes.",
	"email.signin_button":     "Sign in",
	"email.signin_fine":       "Did not ask for this? Ignore this email: nobody can sign in without it.",
	"email.orderlink_subject": "Your order %s: the link to your eSIM",
	"email.orderlink_heading": "Your order %s",
	"email.orderlink_intro":   "Here is the private link to your order page, with your eSIM and its install details.",
}

var accountES = map[string]string{
	"layout.my_esims":       "Mis eSIM",
	"account.title":         "Mis eSIM | esimshop",
	"account.heading":       "Mis eSIM",
	"account.lead":          "Escribe el correo electrónico con el que hiciste el pedido. Te enviaremos un enlace para entrar y ver todos tus pedidos y eSIM. Sin contraseña.",
	"account.email":         "Correo electrónico",
	"account.hint":          "El enlace funciona una vez, durante 15 minutos.",
	"account.send":          "Envíame un enlace para entrar",
	"account.no_account":    "No hace falta crear una cuenta: basta con tu correo electrónico.",
	"account.sent_h":        "Revisa tu correo",
	"account.sent":          "Si %s tiene pedidos con nosotros, te hemos enviado un enlace para entrar. Funciona una vez, durante %d minutos. ¿No ha llegado? Mira en la carpeta de spam o vuelve a intentarlo en unos minutos.",
	"account.demo_outbox":   "Demo: abre la bandeja de salida para leer el correo",
	"account.link_lead":     "Entra para ver tus pedidos y eSIM. El enlace funciona una vez; seguirás dentro unas horas en este dispositivo.",
	"account.link_button":   "Entrar",
	"account.signed_in":     "Has entrado como %s",
	"account.no_orders":     "No hay pedidos para esta dirección.",
	"account.order_meta":    "Pedido %s · %s",
	"account.signout":       "Salir",
	"account.link_invalid":  "Este enlace ha caducado o ya se usó. Pide uno nuevo aquí abajo.",
	"account.rate_limited":  "Se han pedido demasiados enlaces. Espera unos minutos y vuelve a intentarlo.",
	"account.more_lines":    "%s + %d más",
	"error.session_expired": "Tu sesión ha terminado. Pide un nuevo enlace para entrar.",

	"order.resend_h":      "¿Has perdido este enlace?",
	"order.resend":        "Podemos volver a enviar el enlace de esta página al correo del pedido.",
	"order.resend_button": "Envíame este enlace otra vez",
	"order.resend_sent":   "Enviado. El enlace va de camino al correo del pedido.",
	"order.resend_limit":  "Acabamos de enviar un enlace. Espera unos minutos antes de pedir otro.",

	"email.demo_link":         "Tienda de demostración: este correo no se ha enviado a nadie.",
	"email.signin_subject":    "Tu enlace para entrar en Mis eSIM",
	"email.signin_heading":    "Entra en Mis eSIM",
	"email.signin_intro":      "Usa el botón de abajo para ver tus pedidos y eSIM. El enlace funciona una vez, durante %d minutos.",
	"email.signin_button":     "Entrar",
	"email.signin_fine":       "¿No lo has pedido tú? Ignora este correo: nadie puede entrar sin él.",
	"email.orderlink_subject": "Tu pedido %s: el enlace a tu eSIM",
	"email.orderlink_heading": "Tu pedido %s",
	"email.orderlink_intro":   "Este es el enlace privado a la página de tu pedido, con tu eSIM y los datos para instalarla.",
}

func init() {
	for k, v := range accountEN {
		messagesEN[k] = v
	}
	for k, v := range accountES {
		messagesES[k] = v
	}
}
