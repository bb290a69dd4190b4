//go:build !linux

package main

import "os"

// No parent-death signal outside Linux: the parent pid poll (lifeline.go)
// stands alone, and --lifeline-fd works everywhere.
var parentDeathSignals []os.Signal

func setParentDeathSignal() error { return nil }
