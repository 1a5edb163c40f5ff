package web

import "net/http"

// contentSecurityPolicy allows nothing but this origin: no inline script
// or style, no framing, forms post only here. USWDS's stylesheet uses
// data: URIs for a few images.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// hstsValue is the Strict-Transport-Security header of HTTPS responses.
// It is sent only over TLS: over plain HTTP browsers ignore it, and an
// operator who has not set up TLS must not lock browsers out.
const hstsValue = "max-age=31536000"

// securityHeaders sets the headers every response carries. Pages hold
// client data and are often used on shared computers, so nothing but the
// static assets (which set their own Cache-Control) may be cached.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			// Served over HTTPS (hearth serve --tls-cert/--tls-key): the
			// browser must never come back over plain HTTP (a year).
			h.Set("Strict-Transport-Security", hstsValue)
		}
		next.ServeHTTP(w, r)
	})
}
