package sseread

import (
	"math"
	"sort"
	"sync"
	"testing"
)

func TestSampleStoreQuantiles(t *testing.T) {
	s := NewSampleStore()
	if !math.IsNaN(QuantileSorted(nil, 0.5)) {
		t.Fatal("no values: want NaN")
	}
	for _, v := range []float64{40, 10, 30, 20, 50} {
		s.Observe("x", v)
	}
	sorted := s.Values("x")
	sort.Float64s(sorted)
	for _, tc := range []struct{ q, want float64 }{{0, 10}, {0.5, 30}, {0.25, 20}, {0.99, 49.6}, {1, 50}, {0.1, 14}} {
		if got := QuantileSorted(sorted, tc.q); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("Quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
	if s.Count("x") != 5 || s.Count("y") != 0 {
		t.Errorf("counts: %d %d", s.Count("x"), s.Count("y"))
	}
}

func TestSampleStoreConcurrent(t *testing.T) {
	s := NewSampleStore()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				s.Observe("k", float64(i))
			}
		}()
	}
	wg.Wait()
	if s.Count("k") != 8000 {
		t.Fatalf("Count = %d, want 8000", s.Count("k"))
	}
	all := s.Values("k")
	sort.Float64s(all)
	if got := QuantileSorted(all, 0.5); got != 499.5 {
		t.Fatalf("median = %v, want 499.5", got)
	}
}

func TestSampleStoreValuesKeepOrder(t *testing.T) {
	s := NewSampleStore()
	if got := s.Values("none"); len(got) != 0 {
		t.Fatalf("Values of an unknown key = %v, want empty", got)
	}
	for _, v := range []float64{3, 1, 2} {
		s.Observe("k", v)
	}
	// Quantiles sort what Values returned: the stored order must survive it.
	sort.Float64s(s.Values("k"))
	got := s.Values("k")
	if len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 2 {
		t.Fatalf("Values = %v, want [3 1 2]", got)
	}
	got[0] = 99 // a copy: the store is unchanged
	if s.Values("k")[0] != 3 {
		t.Fatal("Values returned the store's own slice")
	}
}
