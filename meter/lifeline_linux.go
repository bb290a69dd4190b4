package main

import (
	"os"
	"syscall"
)

// parentDeathSignals is what the kernel sends when the meter's parent (the
// thread that started it) exits. Not SIGTERM: a thread of the owner may exit
// while the owner lives on, so the meter checks its parent pid before it
// believes the signal.
var parentDeathSignals = []os.Signal{syscall.SIGUSR2}

// setParentDeathSignal asks the kernel for that signal:
// prctl(PR_SET_PDEATHSIG). It applies to the meter's whole life (exec is
// behind it).
func setParentDeathSignal() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGUSR2), 0); errno != 0 {
		return errno
	}
	return nil
}
