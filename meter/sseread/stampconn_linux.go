//go:build linux

package sseread

import (
	"io"
	"net"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// KernelReceiveStamps is true: events are stamped with the kernel's receive
// time of their bytes (SO_TIMESTAMPNS), not the time Go read them.
const KernelReceiveStamps = true

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
	// The state of the read in progress, kept here so that the callback
	// handed to raw.Read is made once, not once per read (Read is never
	// called concurrently: one reader per connection).
	recvFn    func(fd uintptr) bool
	rbuf      []byte
	rn, roobn int
	rerr      error
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
	s := &StampedConn{Conn: c, raw: raw, bytesRead: bytesRead, oob: make([]byte, syscall.CmsgSpace(int(unsafe.Sizeof(syscall.Timespec{}))))}
	s.recvFn = s.recv
	return s
}

// recv is the raw.Read callback: one recvmsg into s.rbuf.
func (s *StampedConn) recv(fd uintptr) bool {
	s.rn, s.roobn, _, _, s.rerr = syscall.Recvmsg(int(fd), s.rbuf, s.oob, 0)
	// false: not ready yet, let the poller wait (and honour deadlines).
	return s.rerr != syscall.EAGAIN
}

// Read reads with recvmsg and records the kernel receive time of the data.
func (s *StampedConn) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	s.rbuf = b
	err := s.raw.Read(s.recvFn)
	n, oobn := s.rn, s.roobn
	if err == nil {
		err = s.rerr
	}
	s.rbuf, s.rerr = nil, nil
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

// parseTimestampNs finds the SCM_TIMESTAMPNS message in oob. It walks the
// control messages in place (syscall.ParseSocketControlMessage would
// allocate on every read).
func parseTimestampNs(oob []byte) (int64, bool) {
	const hdrLen = syscall.SizeofCmsghdr
	tsLen := int(unsafe.Sizeof(syscall.Timespec{}))
	for len(oob) >= hdrLen {
		h := (*syscall.Cmsghdr)(unsafe.Pointer(&oob[0]))
		msgLen := int(h.Len)
		if msgLen < hdrLen || msgLen > len(oob) {
			return 0, false
		}
		data := cmsgAlign(hdrLen)
		if h.Level == syscall.SOL_SOCKET && h.Type == syscall.SCM_TIMESTAMPNS && msgLen-data >= tsLen {
			var ts syscall.Timespec
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&ts)), tsLen), oob[data:data+tsLen])
			return ts.Nano(), true
		}
		next := cmsgAlign(msgLen)
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	return 0, false
}

// cmsgAlign rounds n up to the alignment of control messages.
func cmsgAlign(n int) int {
	const align = int(unsafe.Sizeof(uintptr(0)))
	return (n + align - 1) &^ (align - 1)
}
