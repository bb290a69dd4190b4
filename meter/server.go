package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"

	"github.com/k6-llm/meter/sseread"
)

// Meter serves the protocol of docs/meter-protocol.md.
type Meter struct {
	secret          []byte
	maxStreams      int64
	maxRequestBytes int64
	streams         atomic.Int64 // /stream requests in flight
	started         atomic.Int64 // /stream requests taken since the last /store/reset (progress)
	store           *Store
	records         *recordsWriter // nil without --records
	upstream        upstreamClients
	insecure        upstreamClients
	// reactor reads plain-HTTP answers on one epoll loop; nil: all through net/http.
	reactor *sseread.Reactor
	lines   lineCache
}

// NewMeter returns a meter; records may be nil.
func NewMeter(secret string, maxStreams int, maxRequestBytes int64, records *recordsWriter) *Meter {
	return &Meter{
		secret:          []byte(secret),
		maxStreams:      int64(maxStreams),
		maxRequestBytes: maxRequestBytes,
		store:           NewStore(),
		records:         records,
		upstream:        newUpstream(maxStreams, false),
		insecure:        newUpstream(maxStreams, true),
		reactor:         newReactor(maxStreams),
	}
}

// closeReactor sends every answer through net/http from now on.
func (m *Meter) closeReactor() {
	if m.reactor != nil {
		m.reactor.Close()
		m.reactor = nil
	}
}

// Streams is the number of /stream requests in flight.
func (m *Meter) Streams() int64 { return m.streams.Load() }

// ServeHTTP checks the secret, then routes.
func (m *Meter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !m.authorized(r) {
		refuse(w, http.StatusUnauthorized, "missing or wrong meter secret")
		return
	}
	switch r.URL.Path {
	case "/stream":
		m.serveStream(w, r)
	case "/store/observe":
		if allow(w, r, http.MethodPost) {
			m.serveObserve(w, r)
		}
	case "/store/values":
		if allow(w, r, http.MethodGet) {
			key, ok := keyParam(w, r)
			if ok {
				writeJSON(w, struct {
					Values []float64 `json:"values"`
				}{m.store.Values(key)})
			}
		}
	case "/store/keys":
		if allow(w, r, http.MethodGet) {
			writeJSON(w, struct {
				Keys map[string]int `json:"keys"`
			}{m.store.Keys(r.URL.Query().Get("prefix"))})
		}
	case "/store/summary":
		if allow(w, r, http.MethodGet) {
			count, p50 := m.store.Summary(r.URL.Query().Get("prefix"))
			writeJSON(w, struct {
				Count int      `json:"count"`
				P50   *float64 `json:"p50"`
			}{count, p50})
		}
	case "/store/count":
		if allow(w, r, http.MethodGet) {
			key, ok := keyParam(w, r)
			if ok {
				writeJSON(w, struct {
					Count int64 `json:"count"`
				}{m.store.Count(key)})
			}
		}
	case "/store/reset":
		if allow(w, r, http.MethodPost) {
			m.store.Reset()
			m.started.Store(0)
			// A run's setup() resets; streams in flight then belong to another run.
			writeJSON(w, struct {
				Streams int64 `json:"streams"`
			}{m.Streams()})
		}
	case "/pending":
		if allow(w, r, http.MethodGet) {
			writeJSON(w, struct {
				Pending []PendingEntry `json:"pending"`
			}{m.store.TakePending()})
		}
	case "/health":
		if allow(w, r, http.MethodGet) {
			writeJSON(w, struct {
				Version    string `json:"version"`
				Streams    int64  `json:"streams"`
				MaxStreams int64  `json:"maxStreams"`
				Started    int64  `json:"started"`
			}{"1", m.Streams(), m.maxStreams, m.started.Load()})
		}
	default:
		refuse(w, http.StatusNotFound, "no such endpoint: "+strconv.Quote(r.URL.Path))
	}
}

// serveObserve is POST /store/observe {"obs":[[key, number], ...]}.
func (m *Meter) serveObserve(w http.ResponseWriter, r *http.Request) {
	body, status, err := m.readRequestBody(w, r)
	if err != nil {
		refuse(w, status, err.Error())
		return
	}
	var in struct {
		Obs []obsPair `json:"obs"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		refuse(w, http.StatusBadRequest, "body: "+describe(err))
		return
	}
	m.store.Observe(in.Obs)
	w.WriteHeader(http.StatusNoContent)
}

func allow(w http.ResponseWriter, r *http.Request, method string) bool {
	if r.Method == method {
		return true
	}
	w.Header().Set("Allow", method)
	refuse(w, http.StatusMethodNotAllowed, "method not allowed: "+r.URL.Path+" takes "+method)
	return false
}

func keyParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	q := r.URL.Query()
	if _, ok := q["key"]; !ok {
		refuse(w, http.StatusBadRequest, "key: expected a query parameter ?key=K")
		return "", false
	}
	return q.Get("key"), true
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		refuse(w, http.StatusInternalServerError, "could not encode the answer: "+err.Error())
		return
	}
	w.Header()["Content-Type"] = jsonContentType
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	_, _ = w.Write(b)
}
