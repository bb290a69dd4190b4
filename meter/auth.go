package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
)

// SecretHeader carries the meter's secret on every request.
const SecretHeader = "X-K6-LLM-Meter-Secret"

// secretKey is SecretHeader as net/http stores it, looked up without
// canonicalising it again on every request.
var secretKey = http.CanonicalHeaderKey(SecretHeader)

// newSecret is 32 lowercase hex characters from crypto/rand.
func newSecret() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// authorized reports whether r carries the secret (compared in constant time).
func (m *Meter) authorized(r *http.Request) bool {
	v := r.Header[secretKey]
	if len(v) != 1 {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(v[0]), m.secret) == 1
}
