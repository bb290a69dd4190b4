//go:build linux

package sseread

import (
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// StampedConn reads a TCP connection with recvmsg and SO_TIMESTAMPNS, so
// every read also yields the kernel's receive time of the data it returns.
// Stamping events with that time instead of the time Go got around to the
// read keeps TTFT and ITL true when the load generator is short of CPU: a
// goroutine woken by the network poller can wait behind hundreds of busy VUs.
type StampedConn struct {
	net.Conn // the dialed connection: writes, close, deadlines, addresses
	raw      syscall.RawConn
	// bytesRead is k6's data_received counter when the dialer provided one.
	bytesRead *int64
	// lastRxNs is the kernel receive time (Unix ns) of the last read; 0 if unknown.
	lastRxNs atomic.Int64
	oob      []byte
}

// WrapForTimestamps returns c wrapped in a StampedConn when kernel receive
// timestamps can be enabled on it, else c itself. inner is the raw TCP
// connection (c itself, or the one k6's counting wrapper holds), and
// bytesRead the counter to keep up to date (nil when none).
func WrapForTimestamps(c net.Conn, inner net.Conn, bytesRead *int64) net.Conn {
	sc, ok := inner.(syscall.Conn)
	if !ok {
		return c
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return c
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_TIMESTAMPNS, 1)
	}); err != nil || serr != nil {
		return c
	}
	return &StampedConn{Conn: c, raw: raw, bytesRead: bytesRead, oob: make([]byte, syscall.CmsgSpace(int(unsafe.Sizeof(syscall.Timespec{}))))}
}

// Read reads with recvmsg and records the kernel receive time of the data.
func (s *StampedConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	var n, oobn int
	var rerr error
	err := s.raw.Read(func(fd uintptr) bool {
		n, oobn, _, _, rerr = syscall.Recvmsg(int(fd), b, s.oob, 0)
		// false: not ready yet, let the poller wait (and honour deadlines).
		return rerr != syscall.EAGAIN
	})
	if err == nil {
		err = rerr
	}
	if err != nil {
		return 0, &net.OpError{Op: "read", Net: "tcp", Source: s.LocalAddr(), Addr: s.RemoteAddr(), Err: err}
	}
	if n == 0 {
		return 0, io.EOF
	}
	if s.bytesRead != nil {
		atomic.AddInt64(s.bytesRead, int64(n))
	}
	// A read without a stamp must not keep the previous one: that would date
	// this data too early. The kernel switches stamping on asynchronously, so
	// the first packets after SO_TIMESTAMPNS can come without one.
	ts, _ := parseTimestampNs(s.oob[:oobn])
	s.lastRxNs.Store(ts)
	return n, nil
}

// LastRxNs is the kernel receive time (Unix ns) of the last read, or 0.
func (s *StampedConn) LastRxNs() int64 { return s.lastRxNs.Load() }

func parseTimestampNs(oob []byte) (int64, bool) {
	msgs, err := syscall.ParseSocketControlMessage(oob)
	if err != nil {
		return 0, false
	}
	for _, m := range msgs {
		if m.Header.Level == syscall.SOL_SOCKET && m.Header.Type == syscall.SCM_TIMESTAMPNS && len(m.Data) >= int(unsafe.Sizeof(syscall.Timespec{})) {
			ts := (*syscall.Timespec)(unsafe.Pointer(&m.Data[0]))
			return ts.Nano(), true
		}
	}
	return 0, false
}
