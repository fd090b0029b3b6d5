package auth

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The two functions Traefik's fork of this package (containous/go-http-auth) adds and Traefik's
// basic-auth and digest-auth middlewares call, added to github.com/abbot/go-http-auth v0.4.0 by
// test/e2e/build-traefik.sh, since the proxy does not serve the fork.

// CheckSecret tells whether password matches secret (an htpasswd entry: MD5, {SHA} or bcrypt).
func CheckSecret(password, secret string) bool {
	compare := compareFuncs[0].compare
	for _, cmp := range compareFuncs[1:] {
		if strings.HasPrefix(secret, cmp.prefix) {
			compare = cmp.compare
			break
		}
	}
	return compare([]byte(secret), []byte(password)) == nil
}

// RequireAuthStale answers 401 with a fresh nonce marked stale, so that the client retries with
// the same credentials.
func (a *DigestAuth) RequireAuthStale(w http.ResponseWriter, r *http.Request) {
	if len(a.clients) > a.ClientCacheSize+a.ClientCacheTolerance {
		a.Purge(a.ClientCacheTolerance * 2)
	}
	nonce := RandomKey()
	a.clients[nonce] = &digest_client{nc: 0, last_seen: time.Now().UnixNano()}
	w.Header().Set(contentType, a.Headers.V().UnauthContentType)
	w.Header().Set(a.Headers.V().Authenticate,
		fmt.Sprintf(`Digest realm="%s", nonce="%s", opaque="%s", algorithm="MD5", qop="auth", stale=TRUE`,
			a.Realm, nonce, a.Opaque))
	w.WriteHeader(a.Headers.V().UnauthCode)
	_, _ = w.Write([]byte(a.Headers.V().UnauthResponse))
}
