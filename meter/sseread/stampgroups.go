package sseread

// stampGroups finds the events whose stamp may be later than their
// arrival. The kernel gives one receive time per read: its last segment's
// (segments queued unread are even merged, keeping the later time). A read
// whose bytes all came in one segment is stamped exactly. A read of several
// segments stamps all of them with the last one's time: an event followed,
// in that read, by more data (another event, or part of one) may have
// arrived as early as just after the previous read, and its error is at
// most its stamp minus the previous read's stamp. Reads are told apart by
// their stamps: Go's HTTP client hands one system call's bytes over in
// several Body reads, all stamped alike.
type stampGroups struct {
	prevAt   float64 // stamp of the read before the current one (at first: the request's write)
	at       float64 // stamp of the current read
	segments int64   // segments the current read took bytes of (-1: not known)
	first    int     // index of the first event completed in the current read
	bounds   []float64
}

// read is called before feeding the bytes of a Body read stamped at, from a
// read of `segments` segments.
func (g *stampGroups) read(p *Parser, at float64, segments int64) {
	if at == g.at {
		return
	}
	g.close(p, p.pending())
	g.prevAt, g.at, g.segments, g.first = g.at, at, segments, len(p.Events)
}

// end is called once the body has ended: its last read had nothing after it.
func (g *stampGroups) end(p *Parser) {
	g.close(p, false)
}

// close bounds the events of the current read: all but the last, and the
// last too when more bytes came after it in the same read (trailing).
func (g *stampGroups) close(p *Parser, trailing bool) {
	if g.segments == 0 || g.segments == 1 {
		// Every byte of the read arrived at once: its stamp is each event's arrival.
		return
	}
	last := len(p.Events) - 1
	if !trailing {
		last--
	}
	for i := g.first; i <= last; i++ {
		g.bounds = append(g.bounds, float64(i), g.at-g.prevAt)
	}
}

// sendBoundMinMs: a write call shorter than this adds no bound. A write on
// loopback takes some microseconds (the kernel also hands the bytes to the
// server); marking every event of every request with them would cost k6 a
// pair per event for nothing a flag (1 ms by default) could show.
const sendBoundMinMs = 0.05

// withSendBound adds to every event's bound how long the request's write
// call took (sendMs). Times count from the start of that call, and the
// bytes left at some moment inside it: a thread held up between reading
// the clock and the kernel sending (a starved machine) makes every time
// read late by up to the call's length, TTFT and E2E included.
func withSendBound(res *Result, sendMs float64) {
	if sendMs < sendBoundMinMs || len(res.Events) == 0 {
		return
	}
	own := make(map[int]float64, len(res.StampBounds)/2)
	for i := 0; i+1 < len(res.StampBounds); i += 2 {
		own[int(res.StampBounds[i])] = res.StampBounds[i+1]
	}
	bounds := make([]float64, 0, 2*len(res.Events))
	for i := range res.Events {
		bounds = append(bounds, float64(i), own[i]+sendMs)
	}
	res.StampBounds = bounds
}
