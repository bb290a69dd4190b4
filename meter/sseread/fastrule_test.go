package sseread

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"
)

// The vectors are shared with the TypeScript executor of the same rules
// (test/unit/protocols/fast-token-rule.test.ts): both must agree on every
// case of every protocol.
func TestFastRuleSharedVectors(t *testing.T) {
	raw, err := os.ReadFile("../../test/fixtures/fast-token-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors struct {
		Protocols map[string]struct {
			Rule  FastRule `json:"rule"`
			Cases []struct {
				Name string `json:"name"`
				Data string `json:"data"`
				Fast bool   `json:"fast"`
			} `json:"cases"`
		} `json:"protocols"`
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	if len(vectors.Protocols) < 5 {
		t.Fatalf("only %d protocols in the vectors", len(vectors.Protocols))
	}
	for name, p := range vectors.Protocols {
		if len(p.Cases) < 8 {
			t.Fatalf("%s: only %d vectors", name, len(p.Cases))
		}
		for _, c := range p.Cases {
			if got := p.Rule.Match(c.Data); got != c.Fast {
				t.Errorf("%s: %s: Match = %v, want %v (data %q)", name, c.Name, got, c.Fast, c.Data)
			}
		}
	}
}

func TestDoMarksFastEvents(t *testing.T) {
	body := "data: {\"delta\":{\"content\":\"a\"}}\n\ndata: {\"delta\":{\"content\":\"\"}}\n\ndata: [DONE]\n\n"
	srv := startServer(t, handler(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = w.Write([]byte(body))
	}))
	rule := &FastRule{StartsWith: "{", EndsWith: "}", Key: `"content":"`, EmptyValueChar: `"`, KeyInside: `"delta":{`}
	res := doReq(t, context.Background(), newClient(t), Request{URL: srv.URL, Timeout: 2 * time.Second, FastRule: rule})
	if res.ErrorKind != "" || len(res.Events) != 3 {
		t.Fatalf("result: %+v", res)
	}
	if res.SendLagMs <= 0 || res.HeadersMs < 0 || res.Events[0].AtMs < res.HeadersMs {
		t.Fatalf("times not rebased on the write: send lag %v, headers %v, first event %v", res.SendLagMs, res.HeadersMs, res.Events[0].AtMs)
	}
	got := []bool{res.Events[0].Fast, res.Events[1].Fast, res.Events[2].Fast}
	if got[0] != true || got[1] != false || got[2] != false {
		t.Fatalf("Fast flags = %v, want [true false false]", got)
	}
	if got := datas(res.Events); got[0] != "" || got[1] != `{"delta":{"content":""}}` || got[2] != "[DONE]" {
		t.Fatalf("data = %q, want a plain token's data left empty, the others kept", got)
	}
}

// The parser applies the rule as it dispatches: a plain token's data is
// never copied.
func TestParserRuleSkipsCopy(t *testing.T) {
	rule := &FastRule{StartsWith: "{", EndsWith: "}", Key: `"content":"`, EmptyValueChar: `"`, KeyInside: `"delta":{`}
	p := Parser{Rule: rule, Events: make([]Event, 0, 200)}
	chunk := []byte("data: {\"delta\":{\"content\":\"a\"}}\n\n")
	p.Feed(chunk, 0) // BOM check done
	allocs := testing.AllocsPerRun(100, func() { p.Feed(chunk, 1) })
	if allocs != 0 {
		t.Errorf("%v allocations per plain token event, want 0", allocs)
	}
	for _, e := range p.Events {
		if !e.Fast || e.Data != "" {
			t.Fatalf("event %+v, want Fast with no data", e)
		}
	}
}
