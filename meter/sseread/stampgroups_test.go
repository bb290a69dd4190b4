package sseread

import (
	"reflect"
	"testing"
)

// One read of a stream: its stamp, how many segments it took bytes of, and its bytes.
type fakeRead struct {
	at       float64
	segments int64
	bytes    string
}

// boundsOf feeds the reads as Do does, after headers read alone at headersAt, and returns the bounds (flat pairs).
func boundsOf(reads []fakeRead, wroteAt, headersAt float64, headerSegments int64) []float64 {
	var p Parser
	g := stampGroups{prevAt: wroteAt, at: headersAt, segments: headerSegments}
	for _, r := range reads {
		g.read(&p, r.at, r.segments)
		p.Feed([]byte(r.bytes), r.at)
	}
	g.end(&p)
	return g.bounds
}

func TestStampGroups(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reads []fakeRead
		want  []float64
	}{
		{"one event a read: every stamp exact", []fakeRead{{100, 1, "data: a\n\n"}, {120, 1, "data: b\n\n"}, {140, 1, "data: c\n\n"}}, nil},
		{"several events in one segment (one write): exact", []fakeRead{{100, 1, "data: a\n\n"}, {120, 1, "data: b\n\ndata: [DONE]\n\n"}}, nil},
		{"a starved reader: three segments in one read, the first two bounded by the previous read's stamp",
			[]fakeRead{{100, 1, "data: a\n\n"}, {160, 3, "data: b\n\ndata: c\n\ndata: d\n\n"}}, []float64{1, 60, 2, 60}},
		{"the event before trailing bytes of the next, in a read of two segments",
			[]fakeRead{{100, 1, "data: a\n\n"}, {130, 2, "data: b\n\ndata: c"}, {150, 1, "\n\n"}}, []float64{1, 30}},
		{"a read split into several Body reads keeps one stamp: one group",
			[]fakeRead{{100, 2, "data: a\n\nda"}, {100, 2, "ta: b\n\n"}}, []float64{0, 90}},
		{"segments not known: bounded as several", []fakeRead{{100, -1, "data: a\n\ndata: b\n\n"}}, []float64{0, 90}},
		{"nothing read: no bounds", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := boundsOf(tc.reads, 0, 10, 1); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("bounds %v, want %v", got, tc.want)
			}
		})
	}
}

// The headers and the first events in one read of several segments: the
// first events may have come any time after the request was written.
func TestStampGroupsWithTheHeaders(t *testing.T) {
	got := boundsOf([]fakeRead{{50, 3, "data: a\n\ndata: b\n\n"}, {70, 1, "data: c\n\n"}}, 2, 50, 3)
	if want := []float64{0, 48}; !reflect.DeepEqual(got, want) {
		t.Errorf("bounds %v, want %v (b, the last of its read, is exact)", got, want)
	}
}

// A write call that took long (the thread held up between the clock and the
// kernel) bounds every event by its length, on top of the event's own bound;
// a write of some microseconds adds nothing.
func TestWithSendBound(t *testing.T) {
	events := []Event{{AtMs: 10}, {AtMs: 12}, {AtMs: 12}}
	res := Result{Events: events, StampBounds: []float64{1, 2}}
	withSendBound(&res, 4)
	if want := []float64{0, 4, 1, 6, 2, 4}; !reflect.DeepEqual(res.StampBounds, want) {
		t.Errorf("long write: bounds %v, want %v", res.StampBounds, want)
	}
	res = Result{Events: events, StampBounds: []float64{1, 2}}
	withSendBound(&res, 0.01)
	if want := []float64{1, 2}; !reflect.DeepEqual(res.StampBounds, want) {
		t.Errorf("short write: bounds %v, want %v (unchanged)", res.StampBounds, want)
	}
	res = Result{}
	withSendBound(&res, 4)
	if res.StampBounds != nil {
		t.Errorf("no events: bounds %v, want none", res.StampBounds)
	}
}
