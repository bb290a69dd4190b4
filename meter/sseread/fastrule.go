package sseread

import "strings"

// FastRule is a protocol's plain-token test, defined in TypeScript
// (src/protocols/fast-token-rule.ts) and applied here while reading, so the
// data of a plain token event is never copied, sent or parsed by JavaScript.
// Both executors must agree on test/fixtures/fast-token-vectors.json (every
// protocol's rule and its cases).
type FastRule struct {
	StartsWith     string   `json:"startsWith"`
	EndsWith       string   `json:"endsWith"`
	Key            string   `json:"key"`
	EmptyValueChar string   `json:"emptyValueChar"`
	KeyInside      string   `json:"keyInside"`
	Excludes       []string `json:"excludes"`
}

// Match reports whether data is a plain token event under the rule.
func (r *FastRule) Match(data string) bool {
	at := strings.Index(data, r.Key)
	if at < 0 {
		return false
	}
	// charAt semantics: past the end reads as "", which never equals a one-char EmptyValueChar.
	next := ""
	if at+len(r.Key) < len(data) {
		next = data[at+len(r.Key) : at+len(r.Key)+1]
	}
	if next == r.EmptyValueChar {
		return false
	}
	if !strings.HasPrefix(data, r.StartsWith) || !strings.HasSuffix(data, r.EndsWith) {
		return false
	}
	// As JavaScript's lastIndexOf(keyInside, at): an occurrence starting at or before the key.
	if !strings.Contains(data[:min(len(data), at+len(r.KeyInside))], r.KeyInside) {
		return false
	}
	for _, ex := range r.Excludes {
		if strings.Contains(data, ex) {
			return false
		}
	}
	return true
}
