//go:build !linux

package sseread

import "net"

// KernelReceiveStamps is false: events are stamped when Go reads them.
const KernelReceiveStamps = false

// WrapForTimestamps returns c: kernel receive timestamps are Linux-only, so
// elsewhere events are stamped when Go reads them.
func WrapForTimestamps(c net.Conn, _ net.Conn, _ *int64) net.Conn { return c }
