// Package present turns the catalog's plans and the store's orders into
// the view models of package views: plan cards and titles, order lines,
// eSIM install details and their QR codes. The storefront, the admin and
// the delivery email all show the same plan and eSIM the same way, so
// they share these builders.
package present
