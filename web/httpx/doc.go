// Package httpx is the HTTP plumbing the storefront and the admin share:
// user-safe page errors, rendering templ components, CSRF tokens and the
// middleware that checks them, request ids and access logs, security
// headers and CSP nonces, the client's IP behind trusted proxies, and the
// request's language. It holds no business rules.
package httpx
