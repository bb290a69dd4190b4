//go:build !linux

package sseread

import (
	"context"
	"errors"
	"net"
)

// Reactor is Linux only (epoll); elsewhere every request goes through Do.
type Reactor struct{}

// NewReactor reports that there is no reactor here.
func NewReactor(*net.Dialer, int) (*Reactor, error) {
	return nil, errors.New("the reactor needs Linux (epoll)")
}

// Serves is false: there is no reactor.
func (r *Reactor) Serves(*Request) bool { return false }

// Do is never called (Serves is false).
func (r *Reactor) Do(context.Context, Request) Result {
	return Result{ErrorKind: ErrRequest, ErrorMessage: "no reactor"}
}

// Close does nothing: there is no reactor.
func (r *Reactor) Close() {}
