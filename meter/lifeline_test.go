package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// A scripted parent pid: each call returns the next value, the last one
// forever after.
type ppidScript struct {
	values []int
	calls  chan int
}

func (p *ppidScript) get() int {
	v := p.values[0]
	if len(p.values) > 1 {
		p.values = p.values[1:]
	}
	p.calls <- v
	return v
}

func closedWithin(ch <-chan struct{}, d time.Duration) bool {
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

func TestWatchParentClosesOnlyOnceTheParentChanged(t *testing.T) {
	script := &ppidScript{values: []int{40, 40, 40, 1}, calls: make(chan int, 8)}
	ticks := make(chan time.Time)
	wake := make(chan os.Signal)
	gone := watchParent(40, script.get, ticks, wake)
	<-script.calls // the first check, at once
	// A tick and a wake-up each check again; the parent is still 40.
	ticks <- time.Time{}
	<-script.calls
	wake <- os.Interrupt // any signal: the wake-up is what counts
	<-script.calls
	select {
	case <-gone:
		t.Fatal("closed while the parent was still the owner")
	default:
	}
	// A wake-up (the parent-death signal) with the parent now init: gone.
	wake <- os.Interrupt // any signal: the wake-up is what counts
	if v := <-script.calls; v != 1 {
		t.Fatalf("checked %d, want the scripted 1", v)
	}
	if !closedWithin(gone, 5*time.Second) {
		t.Fatal("not closed once the parent pid changed")
	}
}

func TestWatchParentSeesAnOwnerGoneBeforeTheWatch(t *testing.T) {
	script := &ppidScript{values: []int{1}, calls: make(chan int, 8)}
	gone := watchParent(40, script.get, nil, nil)
	if !closedWithin(gone, 5*time.Second) {
		t.Fatal("not closed although the parent was not the owner at the start")
	}
}

func TestWatchReaderClosesAtEOF(t *testing.T) {
	r, w := io.Pipe()
	gone := watchReader(r)
	if _, err := w.Write([]byte("data is not EOF")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-gone:
		t.Fatal("closed before EOF")
	default:
	}
	w.Close()
	if !closedWithin(gone, 5*time.Second) {
		t.Fatal("not closed at EOF")
	}
}

func TestRunRefusesBadLifelines(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"negative fd", []string{"--lifeline-fd", "-2"}, 2, "invalid --lifeline-fd -2; expected a file descriptor"},
		{"closed fd", []string{"--lifeline-fd", "987"}, 1, "invalid --lifeline-fd 987; expected an open file descriptor inherited from the owner, got"},
		{"init as owner", []string{"--parent-pid", "1"}, 2, "invalid --parent-pid 1"},
		{"not the parent", []string{"--parent-pid", "999999999"}, 1, "invalid --parent-pid 999999999; expected the meter's parent process, got parent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &stdout, &stderr, make(chan os.Signal))
			if code != tc.code || stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("code %d, stdout %q, stderr %q; want %d, nothing, one line with %q", code, stdout.String(), stderr.String(), tc.code, tc.want)
			}
		})
	}
}
