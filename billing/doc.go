// Package billing owns money and the pricing rule: amounts as int64 minor
// units of a lower-case ISO 4217 currency (exactly what Stripe's API calls
// "amount"), strict parsing of the vendor's decimal price strings, and the
// rule that turns a Billionconnect F003 price into a selling price; and the
// payment providers behind the Provider interface: Stripe Checkout (create
// a session, retrieve it, verify and decode its webhooks) and Demo, which
// sends the buyer to the shop's own /demo/pay page.
//
// Stripe is reached through a per-instance client (never stripe-go's global
// key), every create carries an idempotency key derived from the order, and
// errors are reduced to *Error, which never contains a key or a client
// secret; PaymentTemporary tells a retryable failure from a final one.
//
// Nothing in this package uses floating point: vendor prices, exchange rates
// and markups are exact rationals (math/big), and every rounding step is
// explicit, documented and rounds in the shop's favour only where a price is
// being set.
package billing
