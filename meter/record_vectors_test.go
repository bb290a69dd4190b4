package main

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/k6-llm/meter/sseread"
)

// The records k6-llm's reader (src/meter/record.ts) is tested against, in
// test/fixtures/meter-records.json: the encoder must write each one byte for
// byte, so the two sides cannot drift apart.
type recordVectors struct {
	Records []struct {
		Name     string
		WithFast bool
		Result   sseread.Result
		JSON     string
	}
	Lines []struct {
		Name string
		Of   int
		VU   string
		URL  string
		Ctx  *string
	}
}

func loadRecordVectors(t *testing.T) recordVectors {
	t.Helper()
	b, err := os.ReadFile("../test/fixtures/meter-records.json")
	if err != nil {
		t.Fatal(err)
	}
	var v recordVectors
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Records) == 0 || len(v.Lines) == 0 {
		t.Fatal("no vectors read")
	}
	return v
}

func TestRecordVectors(t *testing.T) {
	v := loadRecordVectors(t)
	for _, r := range v.Records {
		got := string(appendRecord(nil, &r.Result, r.WithFast))
		if got != r.JSON {
			t.Errorf("%s:\n got %s\nwant %s", r.Name, got, r.JSON)
		}
	}
}

func TestRecordsLineVectors(t *testing.T) {
	v := loadRecordVectors(t)
	for _, l := range v.Lines {
		r := v.Records[l.Of]
		var ctx json.RawMessage
		if l.Ctx != nil {
			ctx = json.RawMessage(*l.Ctx)
		}
		line := recordsLine(appendRecord(nil, &r.Result, r.WithFast), l.VU, l.URL, ctx)
		// The line is the record with vu, url and ctx added: it must read back as all four.
		var got map[string]json.RawMessage
		if err := json.Unmarshal(line, &got); err != nil {
			t.Fatalf("%s: %s is not JSON: %v", l.Name, line, err)
		}
		var vu, url string
		_ = json.Unmarshal(got["vu"], &vu)
		_ = json.Unmarshal(got["url"], &url)
		if vu != l.VU || url != l.URL {
			t.Errorf("%s: vu %q url %q, want %q %q", l.Name, vu, url, l.VU, l.URL)
		}
		if (l.Ctx == nil) != (got["ctx"] == nil) || (l.Ctx != nil && string(got["ctx"]) != *l.Ctx) {
			t.Errorf("%s: ctx %s, want %v", l.Name, got["ctx"], l.Ctx)
		}
	}
}
