package sseread

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The raw SSE transcripts in test/fixtures/sse/ are replayed through the Go
// parser, the one the stream meter runs: each must give the events recorded
// in events.json (which the TypeScript test parser must give too), whole, split
// into two chunks at every byte, and one byte per chunk.

const fixtureDir = "../../test/fixtures/sse"

type fixtureEvents struct {
	Events       []string `json:"events"`
	Comments     int      `json:"comments"`
	Unterminated bool     `json:"unterminated"`
}

func loadFixtureEvents(t *testing.T) map[string]fixtureEvents {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtureDir, "events.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	out := map[string]fixtureEvents{}
	for name, msg := range all {
		if strings.HasPrefix(name, "$") {
			continue
		}
		var f fixtureEvents
		if err := json.Unmarshal(msg, &f); err != nil {
			t.Fatalf("events.json %s: %v", name, err)
		}
		out[name] = f
	}
	return out
}

func TestFixtureTranscripts(t *testing.T) {
	want := loadFixtureEvents(t)
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, p := range paths {
		names = append(names, strings.TrimSuffix(filepath.Base(p), ".txt"))
	}
	sort.Strings(names)
	listed := []string{}
	for name := range want {
		listed = append(listed, name)
	}
	sort.Strings(listed)
	if !reflect.DeepEqual(names, listed) {
		t.Fatalf("transcripts %q, but events.json lists %q: every transcript needs its events", names, listed)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(fixtureDir, name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			in := string(raw)
			w := want[name]
			if w.Events == nil {
				w.Events = []string{}
			}
			p, unterminated := parseAll(in)
			if got := datas(p.Events); !reflect.DeepEqual(got, w.Events) {
				t.Fatalf("events = %q, want %q", got, w.Events)
			}
			if p.Comments != w.Comments || unterminated != w.Unterminated {
				t.Fatalf("Comments = %d, Flush() = %v; want %d, %v", p.Comments, unterminated, w.Comments, w.Unterminated)
			}
			// One byte per chunk, the byte's offset as its time: which byte completes each event.
			const flushAt = 1e9
			offs := dispatchOffsets(t, in, flushAt)
			if len(offs) != len(w.Events) {
				t.Fatalf("byte by byte: %d events, want %d", len(offs), len(w.Events))
			}
			for i := 0; i <= len(in); i++ {
				var q Parser
				q.Feed([]byte(in[:i]), 0)
				q.Feed([]byte(in[i:]), 1)
				un := q.Flush(2)
				if got := datas(q.Events); !reflect.DeepEqual(got, w.Events) {
					t.Fatalf("split at %d: events = %q, want %q", i, got, w.Events)
				}
				if q.Comments != w.Comments || un != w.Unterminated {
					t.Fatalf("split at %d: Comments = %d, Flush() = %v; want %d, %v", i, q.Comments, un, w.Comments, w.Unterminated)
				}
				for k, e := range q.Events {
					at := 2.0
					if offs[k] != flushAt {
						at = 0
						if int(offs[k]) >= i {
							at = 1
						}
					}
					if e.AtMs != at {
						t.Fatalf("split at %d: event %d AtMs = %v, want %v (completed by byte %v)", i, k, e.AtMs, at, offs[k])
					}
				}
			}
		})
	}
}
