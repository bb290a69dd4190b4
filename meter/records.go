package main

import (
	"bufio"
	"os"
	"sync"
	"time"
)

// recordsWriter writes the --records file: one JSON line per finished
// /stream request, handed over through a buffered channel so that a slow
// disk never holds a stream's answer for long, written by one goroutine
// through a buffer, flushed every second and on close.
type recordsWriter struct {
	mu     sync.RWMutex // held for reading by senders, for writing by close
	closed bool
	ch     chan []byte
	done   chan struct{}
	f      *os.File
	err    error // the first write error (reported once, at close)
}

const (
	recordsQueue      = 4096
	recordsBufSize    = 256 * 1024
	recordsFlushEvery = time.Second
)

func openRecords(path string) (*recordsWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	rw := &recordsWriter{ch: make(chan []byte, recordsQueue), done: make(chan struct{}), f: f}
	go rw.loop()
	return rw, nil
}

func (rw *recordsWriter) loop() {
	defer close(rw.done)
	w := bufio.NewWriterSize(rw.f, recordsBufSize)
	tick := time.NewTicker(recordsFlushEvery)
	defer tick.Stop()
	for {
		select {
		case line, ok := <-rw.ch:
			if !ok {
				rw.keep(w.Flush())
				return
			}
			_, err := w.Write(line)
			rw.keep(err)
		case <-tick.C:
			if w.Buffered() > 0 {
				rw.keep(w.Flush())
			}
		}
	}
}

func (rw *recordsWriter) keep(err error) {
	if err != nil && rw.err == nil {
		rw.err = err
	}
}

// write queues one line (it must end in '\n' and not be modified after).
// Lines that come after close are dropped.
func (rw *recordsWriter) write(line []byte) {
	rw.mu.RLock()
	if !rw.closed {
		rw.ch <- line
	}
	rw.mu.RUnlock()
}

// close writes out what is queued, flushes and closes the file.
func (rw *recordsWriter) close() error {
	rw.mu.Lock()
	if rw.closed {
		rw.mu.Unlock()
		return nil
	}
	rw.closed = true
	close(rw.ch)
	rw.mu.Unlock()
	<-rw.done
	rw.keep(rw.f.Close())
	return rw.err
}
