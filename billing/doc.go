// Package billing owns money and the pricing rule: amounts as int64 minor
// units of a lower-case ISO 4217 currency (exactly what Stripe's API calls
// "amount"), strict parsing of the vendor's decimal price strings, and the
// rule that turns a Billionconnect F003 price into a selling price.
//
// Nothing in this package uses floating point: vendor prices, exchange rates
// and markups are exact rationals (math/big), and every rounding step is
// explicit, documented and rounds in the shop's favour only where a price is
// being set.
package billing
