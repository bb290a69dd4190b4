package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/k6-llm/meter/sseread"
)

// The compact answers k6-llm's reader (src/meter/record.ts readCompactAnswer,
// src/measure/meter-record.ts recordFromCompact) is tested against, in
// test/fixtures/meter-compact.json: every transcript of test/fixtures/sse
// read as the meter reads a response, and hand-made results. The encoder
// must write each vector's `times`, `record` and `compact` byte for byte;
// the TypeScript test proves that k6 gets from `compact` the figures its
// protocol adapter gives reading every event.

var updateVectors = flag.Bool("update", false, "rewrite test/fixtures/meter-compact.json from the encoder")

const compactVectorsFile = "../test/fixtures/meter-compact.json"

type compactFixture struct {
	Comment string          `json:"$comment"`
	TimeMs  string          `json:"timeMs"`
	Outcome json.RawMessage `json:"outcome"`
	Vectors []compactVector `json:"vectors"`
}

type compactVector struct {
	Name       string `json:"name"`
	Protocol   string `json:"protocol"`
	Streamed   *bool  `json:"streamed,omitempty"`
	Transcript string `json:"transcript,omitempty"`
	// Events, instead of a transcript: each one's data, sent as "data: X\n\n".
	Events       []string        `json:"events,omitempty"`
	Rule         bool            `json:"rule"`
	Bounds       bool            `json:"bounds"`
	KernelStamps *bool           `json:"kernelStamps,omitempty"`
	Result       json.RawMessage `json:"result,omitempty"`
	// What the encoder writes: the record's event times, the record
	// without its events (k6-llm's reader fills them in), the compact answer.
	Times   []float64 `json:"times,omitempty"`
	Record  string    `json:"record"`
	Compact string    `json:"compact"`
}

// vectorTimeMs is when byte i of a transcript arrives (timeMs in the file).
func vectorTimeMs(i int) float64 { return 200 + 0.1234567*float64(i) }

// vectorResult builds a vector's result: its hand-made result, else the
// file's outcome, with the transcript's (or listed) events read one byte at
// a time.
func vectorResult(t *testing.T, fx *compactFixture, v *compactVector, rules map[string]*sseread.FastRule) sseread.Result {
	t.Helper()
	var res sseread.Result
	base := fx.Outcome
	if v.Result != nil {
		base = v.Result
	}
	if err := json.Unmarshal(base, &res); err != nil {
		t.Fatalf("%s: result: %v", v.Name, err)
	}
	var text string
	switch {
	case v.Transcript != "":
		b, err := os.ReadFile(filepath.Join("..", "test", "fixtures", "sse", v.Transcript+".txt"))
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		text = string(b)
	case len(v.Events) > 0:
		var sb strings.Builder
		for _, data := range v.Events {
			sb.WriteString("data: " + data + "\n\n")
		}
		text = sb.String()
	default:
		return res
	}
	p := sseread.Parser{}
	if v.Rule {
		rule, ok := rules[v.Protocol]
		if !ok {
			t.Fatalf("%s: no plain-token rule for %s in the fast-token vectors", v.Name, v.Protocol)
		}
		p.Rule = rule
	}
	for i := 0; i < len(text); i++ {
		p.Feed([]byte{text[i]}, vectorTimeMs(i))
	}
	end := vectorTimeMs(len(text)-1) + 1
	if res.EndMs == 0 {
		res.EndMs = end
	}
	res.Unterminated = p.Flush(end)
	res.Events = p.Events
	res.Comments = p.Comments
	if res.BodyBytes == 0 {
		res.BodyBytes = int64(len(text))
	}
	if v.KernelStamps != nil {
		res.KernelStamps = *v.KernelStamps
	}
	if v.Bounds {
		for i := 0; i < len(res.Events); i += 3 {
			res.StampBounds = append(res.StampBounds, float64(i), 0.5+0.25*float64(i))
		}
	}
	return res
}

func loadRules(t *testing.T) map[string]*sseread.FastRule {
	t.Helper()
	raw, err := os.ReadFile("../test/fixtures/fast-token-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors struct {
		Protocols map[string]struct {
			Rule sseread.FastRule `json:"rule"`
		} `json:"protocols"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	rules := map[string]*sseread.FastRule{}
	for name, p := range vectors.Protocols {
		rule := p.Rule
		rules[name] = &rule
	}
	return rules
}

func TestCompactVectors(t *testing.T) {
	raw, err := os.ReadFile(compactVectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	var fx compactFixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Vectors) < 30 {
		t.Fatalf("only %d vectors", len(fx.Vectors))
	}
	rules := loadRules(t)
	for i := range fx.Vectors {
		v := &fx.Vectors[i]
		res := vectorResult(t, &fx, v, rules)
		var times []float64
		for _, e := range res.Events {
			times = append(times, roundMs(e.AtMs))
		}
		withoutEvents := res
		withoutEvents.Events = nil
		record := string(appendRecord(nil, &withoutEvents, false))
		compact := string(appendCompact(nil, &res))
		if *updateVectors {
			v.Times, v.Record, v.Compact = times, record, compact
			continue
		}
		if !slices.Equal(times, v.Times) {
			t.Errorf("%s: times\n got %v\nwant %v", v.Name, times, v.Times)
		}
		if record != v.Record {
			t.Errorf("%s: record\n got %s\nwant %s", v.Name, record, v.Record)
		}
		if compact != v.Compact {
			t.Errorf("%s: compact\n got %s\nwant %s", v.Name, compact, v.Compact)
		}
	}
	if *updateVectors {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(fx); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(compactVectorsFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("rewrote %s", compactVectorsFile)
	}
}

// The compact answer's parts on a small stream: runs between the events
// that need the adapter, their gaps from the times as written, stamp
// bounds by event time.
func TestAppendCompactRuns(t *testing.T) {
	res := sseread.Result{
		Status: 200, IsSSE: true, HeadersMs: 1, EndMs: 9, KernelStamps: true,
		Events: []sseread.Event{
			{AtMs: 1.0004, Data: "role"},
			{AtMs: 2.0004, Fast: true},
			{AtMs: 3.1, Fast: true},
			{AtMs: 4.2, Fast: true},
			{AtMs: 5, Data: "finish"},
			{AtMs: 6, Fast: true},
			{AtMs: 302.4, Fast: true},
		},
		StampBounds: []float64{2, 0.5, 4, 1},
	}
	got := string(appendCompact(nil, &res))
	want := `[1,200,1,9,3,0,0,0,"","","","",[1,"role",5,"finish"],[1,3,2,4.2,2,2,6,302.4],[1.1,1.1,296.4],[3.1,0.5,5,1]]`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}
