package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/k6-llm/meter/sseread"
)

// wireParams is one JSON line of a /stream request. Pointers (and the set
// flags of the custom types) tell a field that was given from one that was
// not, so that line 2 replaces only what it names.
type wireParams struct {
	URL            *string           `json:"url"`
	Method         *string           `json:"method"`
	Headers        map[string]string `json:"headers"`
	TimeoutMs      *float64          `json:"timeoutMs"`
	StallTimeoutMs *float64          `json:"stallTimeoutMs"`
	MaxBodyBytes   *int              `json:"maxBodyBytes"`
	FastToken      optRule           `json:"fastToken"`
	InsecureTLS    *bool             `json:"insecureTls"`
	Answer         *string           `json:"answer"`
	VU             *string           `json:"vu"`
	Obs            []obsPair         `json:"obs"`
	Count          *string           `json:"count"`
	Ctx            json.RawMessage   `json:"ctx"`
}

// optRule is the fastToken field: given or not, null or a rule.
type optRule struct {
	set  bool
	rule *sseread.FastRule
}

func (o *optRule) UnmarshalJSON(b []byte) error {
	o.set = true
	o.rule = nil
	if string(b) == "null" {
		return nil
	}
	var r sseread.FastRule
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return fieldError{"fastToken", "null or {startsWith, endsWith, key, emptyValueChar, keyInside, excludes} (" + describe(err) + ")"}
	}
	o.rule = &r
	return nil
}

// obsPair is one [key, number] observation.
type obsPair struct {
	Key   string
	Value float64
}

func (o *obsPair) UnmarshalJSON(b []byte) error {
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) != 2 ||
		string(parts[0]) == "null" || string(parts[1]) == "null" ||
		json.Unmarshal(parts[0], &o.Key) != nil || json.Unmarshal(parts[1], &o.Value) != nil {
		return fieldError{"obs", fmt.Sprintf("[key, number] pairs, got %.60s", b)}
	}
	return nil
}

// fieldError names the field that was wrong and what it should have been.
type fieldError struct {
	field, expected string
}

func (e fieldError) Error() string { return e.field + ": expected " + e.expected }

// streamParams is the parameter set of one /stream request.
type streamParams struct {
	req      sseread.Request
	insecure bool
	// compact: answer with the compact answer (appendCompact), not the record.
	compact bool
	vu      string
	obs     []obsPair
	count   string
	ctx     json.RawMessage // nil when absent or null: no pending record
}

// decodeLine parses one JSON line, refusing unknown fields.
func decodeLine(line []byte, into *wireParams) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return errors.New(describe(err))
	}
	if dec.More() {
		return errors.New("expected one JSON object, got more after it")
	}
	return nil
}

// describe turns a decoding error into "which field, what was expected".
func describe(err error) string {
	var fe fieldError
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &fe):
		return fe.Error()
	case errors.As(err, &te):
		if te.Field == "" {
			return "expected a JSON object, got " + te.Value
		}
		return fmt.Sprintf("%s: expected %s, got %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("not valid JSON at offset %d (%v)", se.Offset, se)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if msg == "EOF" {
		return "expected a JSON object, got an empty line"
	}
	if msg == "unexpected EOF" {
		return "expected a JSON object, got one cut short"
	}
	return msg
}

func jsonKind(goKind string) string {
	switch goKind {
	case "float64":
		return "a number"
	case "int", "int64":
		return "an integer"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "map", "struct":
		return "an object"
	case "slice", "array":
		return "an array"
	}
	return goKind
}

// merge lays the fields given in b over a.
func merge(a, b *wireParams) wireParams {
	m := *a
	if b.URL != nil {
		m.URL = b.URL
	}
	if b.Method != nil {
		m.Method = b.Method
	}
	if b.Headers != nil {
		m.Headers = b.Headers
	}
	if b.TimeoutMs != nil {
		m.TimeoutMs = b.TimeoutMs
	}
	if b.StallTimeoutMs != nil {
		m.StallTimeoutMs = b.StallTimeoutMs
	}
	if b.MaxBodyBytes != nil {
		m.MaxBodyBytes = b.MaxBodyBytes
	}
	if b.FastToken.set {
		m.FastToken = b.FastToken
	}
	if b.InsecureTLS != nil {
		m.InsecureTLS = b.InsecureTLS
	}
	if b.Answer != nil {
		m.Answer = b.Answer
	}
	if b.VU != nil {
		m.VU = b.VU
	}
	if b.Obs != nil {
		m.Obs = b.Obs
	}
	if b.Count != nil {
		m.Count = b.Count
	}
	if b.Ctx != nil {
		m.Ctx = b.Ctx
	}
	return m
}

// resolve checks the merged parameters and builds the request.
func resolve(w *wireParams) (streamParams, error) {
	var p streamParams
	if w.URL == nil || *w.URL == "" {
		return p, fieldError{"url", "an http or https URL, got none"}
	}
	u := *w.URL
	if !hasPrefixFold(u, "http://") && !hasPrefixFold(u, "https://") {
		return p, fieldError{"url", fmt.Sprintf("an http or https URL, got %.80q", u)}
	}
	if w.TimeoutMs == nil || !(*w.TimeoutMs > 0) || math.IsInf(*w.TimeoutMs, 0) {
		got := "none"
		if w.TimeoutMs != nil {
			got = fmt.Sprint(*w.TimeoutMs)
		}
		return p, fieldError{"timeoutMs", "a number > 0, got " + got}
	}
	var stall float64
	if w.StallTimeoutMs != nil {
		stall = *w.StallTimeoutMs
		if stall < 0 || math.IsInf(stall, 0) {
			return p, fieldError{"stallTimeoutMs", fmt.Sprintf("a number >= 0 (0 = off), got %v", stall)}
		}
	}
	var maxBody int
	if w.MaxBodyBytes != nil {
		maxBody = *w.MaxBodyBytes
		if maxBody < 0 {
			return p, fieldError{"maxBodyBytes", fmt.Sprintf("an integer >= 0, got %d", maxBody)}
		}
	}
	method := "POST"
	if w.Method != nil && *w.Method != "" {
		method = *w.Method
	}
	p.req = sseread.Request{
		Method:       method,
		URL:          u,
		Headers:      w.Headers,
		Timeout:      msDuration(*w.TimeoutMs),
		StallTimeout: msDuration(stall),
		MaxBodyBytes: maxBody,
		FastRule:     w.FastToken.rule,
	}
	if w.InsecureTLS != nil {
		p.insecure = *w.InsecureTLS
	}
	if w.Answer != nil {
		switch *w.Answer {
		case "record":
		case "compact":
			p.compact = true
		default:
			return p, fieldError{"answer", fmt.Sprintf("\"record\" or \"compact\", got %.40q", *w.Answer)}
		}
	}
	if w.VU != nil {
		p.vu = *w.VU
	}
	p.obs = w.Obs
	if w.Count != nil {
		p.count = *w.Count
	}
	if len(w.Ctx) > 0 && string(w.Ctx) != "null" {
		p.ctx = w.Ctx
	}
	return p, nil
}

func msDuration(ms float64) time.Duration {
	const maxMs = float64(math.MaxInt64 / int64(time.Millisecond))
	if ms > maxMs {
		ms = maxMs
	}
	return time.Duration(ms * float64(time.Millisecond))
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// lineCache keeps line 1 decoded: it is the same for every request of a
// transport (headers, URL, rule), so most requests decode only line 2.
type lineCache struct {
	mu sync.RWMutex
	m  map[string]*wireParams
}

// maxCachedLines bounds the cache; past it, it starts over.
const maxCachedLines = 256

// get returns line decoded, from the cache when it was seen before. The
// result is shared: never modify it.
func (c *lineCache) get(line []byte) (*wireParams, error) {
	c.mu.RLock()
	w, ok := c.m[string(line)]
	c.mu.RUnlock()
	if ok {
		return w, nil
	}
	w = new(wireParams)
	if err := decodeLine(line, w); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedLines {
		c.m = make(map[string]*wireParams)
	}
	c.m[string(line)] = w
	c.mu.Unlock()
	return w, nil
}

// parseStreamBody splits a /stream body into its two JSON lines and the
// upstream body, and builds the parameter set.
func (c *lineCache) parseStreamBody(body []byte) (streamParams, []byte, error) {
	i := bytes.IndexByte(body, '\n')
	if i < 0 {
		return streamParams{}, nil, errors.New("body: expected two JSON lines, each ended by \\n, then the upstream body; got no line end")
	}
	j := bytes.IndexByte(body[i+1:], '\n')
	if j < 0 {
		return streamParams{}, nil, errors.New("body: expected two JSON lines, each ended by \\n, then the upstream body; got one line")
	}
	line1, line2, rest := body[:i], body[i+1:i+1+j], body[i+1+j+1:]
	first, err := c.get(line1)
	if err != nil {
		return streamParams{}, nil, fmt.Errorf("line 1: %v", err)
	}
	var second wireParams
	if err := decodeLine(line2, &second); err != nil {
		return streamParams{}, nil, fmt.Errorf("line 2: %v", err)
	}
	merged := merge(first, &second)
	p, err := resolve(&merged)
	if err != nil {
		return streamParams{}, nil, err
	}
	return p, rest, nil
}
