package sseread

import (
	"math"
	"strings"
	"sync"
)

// SampleStore keeps every observed value per key for the whole process, so
// that end-of-test checks k6 thresholds cannot express (a ratio of two
// percentiles) see all VUs' samples. One float64 per request: small.
type SampleStore struct {
	mu     sync.Mutex
	values map[string][]float64
}

// NewSampleStore returns an empty store.
func NewSampleStore() *SampleStore {
	return &SampleStore{values: make(map[string][]float64)}
}

// Observe records one value under key.
func (s *SampleStore) Observe(key string, v float64) {
	s.mu.Lock()
	s.values[key] = append(s.values[key], v)
	s.mu.Unlock()
}

// Reset forgets every value.
func (s *SampleStore) Reset() {
	s.mu.Lock()
	s.values = make(map[string][]float64)
	s.mu.Unlock()
}

// Count is the number of values under key.
func (s *SampleStore) Count(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.values[key])
}

// Keys is the number of values under every key that starts with prefix.
func (s *SampleStore) Keys(prefix string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int)
	for k, v := range s.values {
		if strings.HasPrefix(k, prefix) {
			out[k] = len(v)
		}
	}
	return out
}

// Values is a copy of key's values in the order they were observed (across
// VUs, the order Observe was called), for end-of-test reports that need a
// time series rather than a distribution.
func (s *SampleStore) Values(key string) []float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]float64(nil), s.values[key]...)
}

// QuantileSorted is the q-quantile (0..1) of ascending sorted values,
// interpolated between the closest ranks as k6 computes Trend percentiles
// (and src/measure/quantile.ts does); NaN when empty.
func QuantileSorted(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	if q <= 0 {
		return sorted[0]
	}
	if q >= 1 {
		return sorted[len(sorted)-1]
	}
	pos := q * float64(len(sorted)-1)
	lo := math.Floor(pos)
	hi := math.Ceil(pos)
	if lo == hi {
		return sorted[int(lo)]
	}
	return sorted[int(lo)] + (pos-lo)*(sorted[int(hi)]-sorted[int(lo)])
}
