package main

// The meter's lifelines: how it learns that its owner (the process that
// started it and reads its records) is gone, so it never outlives it, even
// when the owner dies of SIGKILL and cannot stop it:
//   - an inherited file descriptor (--lifeline-fd, or stdin with
//     --stdin-lifeline) whose other end only the owner holds: the kernel
//     closes it when the owner dies, and the read returns EOF;
//   - the owner's pid (--parent-pid): on Linux the parent-death signal
//     (prctl PR_SET_PDEATHSIG) wakes the meter at once, and everywhere the
//     parent pid is checked every 250 ms: once it differs, the owner is gone.

import (
	"fmt"
	"io"
	"os"
	"time"
)

// parentPollInterval is how often the parent pid is checked; the
// parent-death signal makes it immediate on Linux. A variable for tests.
var parentPollInterval = 250 * time.Millisecond

// ownerGoneDrain bounds how long in-flight streams run on once the owner is
// gone: nobody will read their answers, but their records are still written.
const ownerGoneDrain = 500 * time.Millisecond

// watchReader closes the returned channel when r reaches EOF or fails: the
// owner holds the only other end, so either means it is gone.
func watchReader(r io.Reader) <-chan struct{} {
	gone := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, r)
		close(gone)
	}()
	return gone
}

// lifelineFile opens an inherited descriptor as a file, refusing one that
// is not open.
func lifelineFile(fd int) (*os.File, error) {
	f := os.NewFile(uintptr(fd), "lifeline")
	if f == nil {
		return nil, fmt.Errorf("invalid --lifeline-fd %d; expected an open file descriptor inherited from the owner, got none", fd)
	}
	if _, err := f.Stat(); err != nil {
		_ = f.Close() // not open: nothing to close, and no finalizer left to close a later file of that number
		return nil, fmt.Errorf("invalid --lifeline-fd %d; expected an open file descriptor inherited from the owner, got: %v", fd, err)
	}
	return f, nil
}

// watchParent closes the returned channel once getppid no longer returns
// owner, checking at once, then on every tick and every wake-up.
func watchParent(owner int, getppid func() int, ticks <-chan time.Time, wake <-chan os.Signal) <-chan struct{} {
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		for getppid() == owner {
			select {
			case <-ticks:
			case <-wake:
			}
		}
	}()
	return gone
}

// startParentWatch ties the meter to its parent process owner: the
// parent-death signal where the system has one (set before the first
// check, so a parent that died just before is seen too), the poll always.
// It fails when owner is not the parent at the start: the owner is gone
// already, or the pid is wrong.
func startParentWatch(owner int, wake chan os.Signal) (<-chan struct{}, error) {
	if err := setParentDeathSignal(); err != nil {
		return nil, fmt.Errorf("cannot set the parent-death signal: %v", err)
	}
	if now := os.Getppid(); now != owner {
		return nil, fmt.Errorf("invalid --parent-pid %d; expected the meter's parent process, got parent %d (the owner has gone already, or the pid is wrong)", owner, now)
	}
	ticker := time.NewTicker(parentPollInterval)
	gone := watchParent(owner, os.Getppid, ticker.C, wake)
	go func() {
		<-gone
		ticker.Stop()
	}()
	return gone, nil
}

// ownerWatch merges the lifelines the flags ask for into one channel,
// closed with the reason when the first of them reports the owner gone; nil
// when there is none (the meter then stops on a signal only).
func ownerWatch(o options, stdin io.Reader, wake chan os.Signal) (<-chan string, error) {
	type line struct {
		gone   <-chan struct{}
		reason string
	}
	var lines []line
	if o.stdinLifeline {
		lines = append(lines, line{watchReader(stdin), "stdin closed"})
	}
	if o.lifelineFD >= 0 {
		f, err := lifelineFile(o.lifelineFD)
		if err != nil {
			return nil, err
		}
		lines = append(lines, line{watchReader(f), fmt.Sprintf("lifeline fd %d closed", o.lifelineFD)})
	}
	if o.parentPID != 0 {
		gone, err := startParentWatch(o.parentPID, wake)
		if err != nil {
			return nil, err
		}
		lines = append(lines, line{gone, fmt.Sprintf("parent %d exited", o.parentPID)})
	}
	if len(lines) == 0 {
		return nil, nil
	}
	out := make(chan string, 1)
	for _, l := range lines {
		go func(l line) {
			<-l.gone
			select {
			case out <- l.reason:
			default:
			}
		}(l)
	}
	return out, nil
}
