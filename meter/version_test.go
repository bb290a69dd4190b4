package main

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

func TestVersionFlagPrintsVersionPlatformAndStamps(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--version"}, strings.NewReader(""), &stdout, &stderr, nil); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	line := stdout.String()
	want := "k6-llm-meter dev (" + runtime.GOOS + "/" + runtime.GOARCH + ", " + runtime.Version() + ", events stamped at "
	if !strings.HasPrefix(line, want) || strings.Count(line, "\n") != 1 {
		t.Fatalf("got %q, want one line starting %q", line, want)
	}
	kernel := strings.Contains(line, "kernel receive time")
	if kernel != (runtime.GOOS == "linux") {
		t.Fatalf("kernel receive stamps on %s: %q", runtime.GOOS, line)
	}
}

func TestHelpSucceeds(t *testing.T) {
	for _, flag := range []string{"-h", "--help"} {
		var stdout, stderr bytes.Buffer
		if code := run([]string{flag}, strings.NewReader(""), &stdout, &stderr, nil); code != 0 {
			t.Fatalf("%s: exit %d", flag, code)
		}
		if !strings.Contains(stderr.String(), "-max-streams") {
			t.Fatalf("%s: no flag list in %q", flag, stderr.String())
		}
	}
}
