package main

import (
	"encoding/json"
	"sort"
	"sync"

	"github.com/k6-llm/meter/sseread"
)

// Store is the process-wide store: number lists (in observed order),
// counters, and each VU's pending record.
type Store struct {
	values *sseread.SampleStore

	mu      sync.Mutex
	counts  map[string]int64
	pending map[string]pendingRecord
}

// pendingRecord is a VU's latest request whose successor has not come.
type pendingRecord struct {
	ctx    json.RawMessage
	record json.RawMessage
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{values: sseread.NewSampleStore(), counts: make(map[string]int64), pending: make(map[string]pendingRecord)}
}

// Observe appends each observation to its key's list.
func (s *Store) Observe(obs []obsPair) {
	for _, o := range obs {
		s.values.Observe(o.Key, o.Value)
	}
}

// Values is a copy of key's list (empty, not nil, for an unknown key).
func (s *Store) Values(key string) []float64 {
	v := s.values.Values(key)
	if v == nil {
		v = []float64{}
	}
	return v
}

// Keys is the number of values under every key that starts with prefix
// (the error causes k6 keeps as keys, e.g. "llm_cause:chat:401 ...").
func (s *Store) Keys(prefix string) map[string]int {
	return s.values.Keys(prefix)
}

// Summary is how many values all keys starting with prefix hold and their
// median (nil when none): the CLI's progress line (TTFT p50 so far).
func (s *Store) Summary(prefix string) (int, *float64) {
	var all []float64
	for key := range s.values.Keys(prefix) {
		all = append(all, s.values.Values(key)...)
	}
	if len(all) == 0 {
		return 0, nil
	}
	sort.Float64s(all)
	p50 := sseread.QuantileSorted(all, 0.5)
	return len(all), &p50
}

// Reset empties the store (values, counters and pending records) for a new run.
func (s *Store) Reset() {
	s.values.Reset()
	s.mu.Lock()
	s.counts = make(map[string]int64)
	s.pending = make(map[string]pendingRecord)
	s.mu.Unlock()
}

// Increment adds one to the counter named key.
func (s *Store) Increment(key string) {
	s.mu.Lock()
	s.counts[key]++
	s.mu.Unlock()
}

// Count is the counter named key (0 when never incremented).
func (s *Store) Count(key string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[key]
}

// Forget drops vu's pending record: its successor has arrived, carrying
// the observations derived from it.
func (s *Store) Forget(vu string) {
	s.mu.Lock()
	delete(s.pending, vu)
	s.mu.Unlock()
}

// SetPending keeps record as vu's pending record, replacing its previous one.
func (s *Store) SetPending(vu string, ctx, record json.RawMessage) {
	s.mu.Lock()
	s.pending[vu] = pendingRecord{ctx: ctx, record: record}
	s.mu.Unlock()
}

// PendingEntry is one item of GET /pending.
type PendingEntry struct {
	VU     string          `json:"vu"`
	Ctx    json.RawMessage `json:"ctx"`
	Record json.RawMessage `json:"record"`
}

// TakePending returns every pending record (ordered by VU) and forgets them.
func (s *Store) TakePending() []PendingEntry {
	s.mu.Lock()
	taken := s.pending
	s.pending = make(map[string]pendingRecord)
	s.mu.Unlock()
	out := make([]PendingEntry, 0, len(taken))
	for vu, p := range taken {
		out = append(out, PendingEntry{VU: vu, Ctx: p.ctx, Record: p.record})
	}
	sort.Slice(out, func(i, j int) bool { return vuLess(out[i].VU, out[j].VU) })
	return out
}

// vuLess orders VU keys numerically when both are numbers ("2" < "10").
func vuLess(a, b string) bool {
	if len(a) != len(b) && isDigits(a) && isDigits(b) {
		return len(a) < len(b)
	}
	return a < b
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
