// Command meter is k6-llm's stream meter: it runs beside k6 on loopback,
// sends each generation request k6 hands it upstream, reads the response
// with kernel receive timestamps and answers with one compact JSON record.
// The protocol is docs/meter-protocol.md. Standard library only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/k6-llm/meter/sseread"
)

func main() {
	// A closed stderr must not kill the meter (SIGPIPE) before it has
	// flushed its records.
	signal.Ignore(syscall.SIGPIPE)
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, sig))
}

// parentDeath wakes the --parent-pid watch (lifeline.go) on the signal the
// kernel sends when the parent dies; it stays unused without that flag.
var parentDeath = make(chan os.Signal, 1)

func init() {
	if len(parentDeathSignals) > 0 {
		signal.Notify(parentDeath, parentDeathSignals...)
	}
}

type options struct {
	listen          string
	port            int
	maxStreams      int
	maxRequestBytes int64
	records         string
	drainTimeout    time.Duration
	stdinLifeline   bool
	lifelineFD      int
	parentPID       int
	reactor         bool
	procs           int
	version         bool
}

// version is the k6-llm release the meter was built for, set at link time by
// the release build (-ldflags "-X main.version=0.1.0"); "dev" when built from source.
var version = "dev"

// versionLine is what --version prints: the version, the platform, the Go
// release, and how stream events are stamped on this platform.
func versionLine() string {
	stamps := "read time (kernel receive stamps are Linux-only)"
	if sseread.KernelReceiveStamps {
		stamps = "kernel receive time"
	}
	return fmt.Sprintf("k6-llm-meter %s (%s/%s, %s, events stamped at %s)", version, runtime.GOOS, runtime.GOARCH, runtime.Version(), stamps)
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("meter", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", "127.0.0.1", "loopback address to listen on (127.0.0.1, ::1 or localhost)")
	fs.IntVar(&o.port, "port", 0, "port to listen on (0: any free port)")
	fs.IntVar(&o.maxStreams, "max-streams", 4096, "most /stream requests in flight; past it: 503 at once")
	fs.Int64Var(&o.maxRequestBytes, "max-request-bytes", 8<<20, "largest request body accepted; past it: 413")
	fs.StringVar(&o.records, "records", "", "write one JSON line per finished /stream request to this file")
	fs.DurationVar(&o.drainTimeout, "drain-timeout", 10*time.Second, "on SIGTERM/SIGINT, how long in-flight streams may run on before they are cancelled")
	fs.BoolVar(&o.stdinLifeline, "stdin-lifeline", false, "the owner is gone when stdin reaches EOF (as --lifeline-fd 0)")
	fs.IntVar(&o.lifelineFD, "lifeline-fd", -1, "an inherited file descriptor only the owner holds the other end of: at EOF the owner is gone, and in-flight streams are cancelled after 0.5 s")
	fs.IntVar(&o.procs, "procs", 0, "cores the meter's Go runtime runs on (GOMAXPROCS); 0: $GOMAXPROCS when set, else a quarter of the machine's, at least 1 (its work is one epoll loop and the handling of k6's requests: fewer idle cores to wake cost less per event)")
	fs.BoolVar(&o.reactor, "reactor", true, "read plain-HTTP answers on one epoll loop (Linux), a wake-up per batch of reads instead of a goroutine per stream; false: every answer through net/http")
	fs.BoolVar(&o.version, "version", false, "print the version, platform and how events are stamped, and exit")
	fs.IntVar(&o.parentPID, "parent-pid", 0, "the owner's pid, the meter's parent: once it is no longer the parent, the owner is gone (Linux: the parent-death signal; elsewhere checked every 250 ms)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q; expected flags only", fs.Arg(0))
	case o.port < 0 || o.port > 65535:
		return o, fmt.Errorf("invalid --port %d; expected 0..65535", o.port)
	case o.maxStreams < 1:
		return o, fmt.Errorf("invalid --max-streams %d; expected at least 1", o.maxStreams)
	case o.maxRequestBytes < 1:
		return o, fmt.Errorf("invalid --max-request-bytes %d; expected at least 1", o.maxRequestBytes)
	case o.procs < 0:
		return o, fmt.Errorf("invalid --procs %d; expected 0 (automatic) or more", o.procs)
	case o.drainTimeout < 0:
		return o, fmt.Errorf("invalid --drain-timeout %v; expected 0 or more", o.drainTimeout)
	case o.lifelineFD < -1:
		return o, fmt.Errorf("invalid --lifeline-fd %d; expected a file descriptor (0 or more)", o.lifelineFD)
	case o.parentPID < 0 || o.parentPID == 1:
		return o, fmt.Errorf("invalid --parent-pid %d; expected the pid of the process that starts the meter (2 or more)", o.parentPID)
	}
	host, ok := loopbackHost(o.listen)
	if !ok {
		return o, fmt.Errorf("invalid --listen %q; expected a loopback address (127.0.0.1, ::1 or localhost): the meter sends requests with the API keys it is given", o.listen)
	}
	o.listen = host
	return o, nil
}

// meterProcs is the GOMAXPROCS the meter runs with: --procs when given,
// else $GOMAXPROCS when set, else a quarter of the cores (at least one).
// Measured at 500 streams on 2 cores: 11 % less CPU per event with one
// than with two (fewer idle Ps to wake for each arriving event).
func meterProcs(flag int, env string, cpus int) int {
	if flag > 0 {
		return flag
	}
	if n, err := strconv.Atoi(env); err == nil && n > 0 {
		return n
	}
	return max(1, cpus/4)
}

// loopbackHost returns the IP literal to listen on for a loopback --listen.
func loopbackHost(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if strings.EqualFold(s, "localhost") {
		return "127.0.0.1", true
	}
	ip := net.ParseIP(s)
	if ip == nil || !ip.IsLoopback() {
		return "", false
	}
	return ip.String(), true
}

// run is the whole program, with its surroundings passed in for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, signals <-chan os.Signal) int {
	logger := log.New(stderr, "meter: ", log.LstdFlags)
	o, err := parseFlags(args, stderr)
	if err != nil {
		// -h and --help print the flags and succeed, as they do everywhere.
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "meter:", err)
		return 2
	}
	if o.version {
		fmt.Fprintln(stdout, versionLine())
		return 0
	}
	// Before anything is opened: an owner that has gone already ends the meter here.
	ownerGone, err := ownerWatch(o, stdin, parentDeath)
	if err != nil {
		logger.Print(err)
		return 1
	}
	secret, err := newSecret()
	if err != nil {
		logger.Printf("cannot make a secret: %v", err)
		return 1
	}
	var records *recordsWriter
	if o.records != "" {
		if records, err = openRecords(o.records); err != nil {
			logger.Printf("cannot open --records file: %v", err)
			return 1
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(o.listen, fmt.Sprint(o.port)))
	if err != nil {
		logger.Printf("cannot listen: %v", err)
		if records != nil {
			_ = records.close()
		}
		return 1
	}
	runtime.GOMAXPROCS(meterProcs(o.procs, os.Getenv("GOMAXPROCS"), runtime.NumCPU()))
	m := NewMeter(secret, o.maxStreams, o.maxRequestBytes, records)
	if !o.reactor {
		m.closeReactor()
	}
	base, cancelStreams := context.WithCancel(context.Background())
	defer cancelStreams()
	srv := &http.Server{
		Handler:           m,
		ReadHeaderTimeout: 30 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          logger,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	addr := ln.Addr().String()
	if _, err := fmt.Fprintf(stdout, "LLM_METER_URL=http://k6llm:%s@%s\n", secret, addr); err != nil {
		logger.Printf("cannot write the URL line on stdout: %v", err)
	}
	logger.Printf("listening on %s (max %d streams, version 1)", addr, o.maxStreams)

	code := 0
	grace, cancelWait := o.drainTimeout, 5*time.Second
	select {
	case s := <-signals:
		logger.Printf("%v: draining (up to %v)", s, o.drainTimeout)
	case why := <-ownerGone:
		// Nobody will read the answers: a short grace, then the streams are cancelled (their records are still written).
		grace, cancelWait = min(grace, ownerGoneDrain), time.Second
		logger.Printf("owner gone (%s): draining (up to %v)", why, grace)
	case err := <-served:
		logger.Printf("serving stopped: %v", err)
		code = 1
	}
	drain(srv, m, grace, cancelWait, cancelStreams, signals, logger)
	if records != nil {
		if err := records.close(); err != nil {
			logger.Printf("records file: %v", err)
			code = 1
		}
	}
	return code
}

// drain stops accepting, lets in-flight streams finish for up to timeout
// (a second signal cuts it short), then cancels the rest and waits up to
// cancelWait for their handlers, which still write their records.
func drain(srv *http.Server, m *Meter, timeout, cancelWait time.Duration, cancelStreams context.CancelFunc, signals <-chan os.Signal, logger *log.Logger) {
	ctx, stop := context.WithTimeout(context.Background(), timeout)
	defer stop()
	go func() {
		select {
		case <-signals:
			stop()
		case <-ctx.Done():
		}
	}()
	if err := srv.Shutdown(ctx); err != nil {
		logger.Printf("%d streams still in flight: cancelling them", m.Streams())
		cancelStreams()
		// A cancelled stream ends within milliseconds; bound the wait anyway.
		deadline := time.Now().Add(cancelWait)
		for m.Streams() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		_ = srv.Close()
	}
	cancelStreams()
}
