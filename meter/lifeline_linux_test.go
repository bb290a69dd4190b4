package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary plays the owner and the meter in these tests:
// LIFELINE_TEST_ROLE=owner starts the binary again as the meter (its child,
// with --parent-pid of itself) and prints the meter's pid; =meter runs the
// meter with the parent pid poll turned off, so only the kernel's
// parent-death signal can tell it the owner is gone.
func TestMain(m *testing.M) {
	switch os.Getenv("LIFELINE_TEST_ROLE") {
	case "owner":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), "LIFELINE_TEST_ROLE=meter", fmt.Sprintf("LIFELINE_TEST_ARGS=--parent-pid %d", os.Getpid()))
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Start(); err != nil {
			fmt.Println("owner: cannot start the meter:", err)
			os.Exit(1)
		}
		fmt.Printf("meter pid %d\n", cmd.Process.Pid)
		_ = cmd.Wait()
		os.Exit(0)
	case "meter":
		parentPollInterval = time.Hour
		sig := make(chan os.Signal, 1)
		os.Exit(run(strings.Fields(os.Getenv("LIFELINE_TEST_ARGS")), os.Stdin, os.Stdout, os.Stderr, sig))
	}
	os.Exit(m.Run())
}

// gone reports whether pid has exited (a zombie not yet reaped counts).
func gone(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && (fields[0] == "Z" || fields[0] == "X")
}

// An owner killed with SIGKILL cannot stop its meter: the parent-death
// signal does, within the 2 s the project promises.
func TestParentDeathSignalEndsTheMeterWhenItsOwnerIsKilled(t *testing.T) {
	owner := exec.Command(os.Args[0], "-test.run=^$")
	owner.Env = append(os.Environ(), "LIFELINE_TEST_ROLE=owner")
	out, err := owner.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := owner.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	meterPid, urlSeen := 0, false
	for (meterPid == 0 || !urlSeen) && lines.Scan() {
		line := lines.Text()
		if rest, ok := strings.CutPrefix(line, "meter pid "); ok {
			meterPid, _ = strconv.Atoi(rest)
		}
		urlSeen = urlSeen || strings.HasPrefix(line, "LLM_METER_URL=")
	}
	if meterPid == 0 || !urlSeen {
		t.Fatalf("the owner printed no meter pid and URL line (%v)", lines.Err())
	}
	t.Cleanup(func() { _ = syscall.Kill(meterPid, syscall.SIGKILL) })
	if err := owner.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = owner.Wait()
	killed := time.Now()
	for !gone(meterPid) {
		if time.Since(killed) > 2*time.Second {
			t.Fatalf("meter %d still running 2 s after its owner was killed", meterPid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The lifeline descriptor's EOF ends the meter with a short drain: an
// in-flight stream is cancelled after 0.5 s, not after --drain-timeout, and
// its record is still written.
func TestRunLifelineFDEndsTheMeterWithAShortDrain(t *testing.T) {
	up := upstream(t, func(done <-chan struct{}) http.HandlerFunc {
		return sseHandler(done, []sseStep{{0, tokenEvent("a")}}, 30*time.Second)
	})
	var p [2]int
	if err := syscall.Pipe2(p[:], syscall.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "records.jsonl")
	r := startRun(t, "--lifeline-fd", strconv.Itoa(p[0]), "--records", path, "--drain-timeout", "30s")
	go func() { _, _ = r.post(t, line1(up.URL, map[string]any{"timeoutMs": 60000})+"\n{}\n") }()
	for i := 0; i < 200 && r.stderr.String() == ""; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond) // the stream is in flight
	closed := time.Now()
	if err := syscall.Close(p[1]); err != nil {
		t.Fatal(err)
	}
	if code := r.wait(t, 5*time.Second); code != 0 {
		t.Fatalf("exit code %d (stderr %q)", code, r.stderr.String())
	}
	if el := time.Since(closed); el > 2*time.Second {
		t.Errorf("exited %v after the lifeline closed, want within 2 s", el)
	}
	if want := fmt.Sprintf("owner gone (lifeline fd %d closed): draining (up to 500ms)", p[0]); !strings.Contains(r.stderr.String(), want) {
		t.Errorf("stderr %q, want %q", r.stderr.String(), want)
	}
	raw, _ := os.ReadFile(path)
	if rec := decodeRecord(t, string(raw)); rec.ErrorKind != "canceled" {
		t.Errorf("record %+v, want the cancelled stream", rec)
	}
}
