// Command crawl is a concurrent, polite web crawler: seed URLs in, one
// JSON object per fetched URL out.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit statuses; documented in the README and in --help.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitSIGINT  = 130
	exitSIGTERM = 143
)

func main() {
	tuneGC()
	os.Exit(mainStatus(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// mainStatus is main without the process: it returns the exit status.
func mainStatus(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// A closed stdout must surface as an EPIPE write error, not kill us.
	signal.Ignore(syscall.SIGPIPE)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	finished := make(chan struct{})
	defer close(finished)
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	got := make(chan os.Signal, 1)
	go func() {
		select {
		case s := <-sigs:
			got <- s
			cancel()
		case <-finished:
			return
		}
		// A second signal stops at once, without waiting for the flush.
		select {
		case s := <-sigs:
			fmt.Fprintln(stderr, "crawl: stopped")
			os.Exit(signalStatus(s))
		case <-finished:
		}
	}()

	cmd := newRootCmd(stdin, stdout, stderr)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	select {
	case s := <-got:
		return signalStatus(s)
	default:
	}
	return exitStatus(err, stderr)
}

func signalStatus(s os.Signal) int {
	if s == syscall.SIGTERM {
		return exitSIGTERM
	}
	return exitSIGINT
}

// exitStatus reports err on stderr when it deserves it and maps it to an
// exit status.
func exitStatus(err error, stderr io.Writer) int {
	var usage *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "crawl: %v\nRun 'crawl --help' for usage.\n", err)
		return exitUsage
	case errors.Is(err, syscall.EPIPE):
		return exitOK // the reader has gone (crawl | head): stop quietly
	case errors.Is(err, context.Canceled):
		return exitSIGINT
	}
	fmt.Fprintf(stderr, "crawl: %v\n", err)
	return exitFailed
}

// usageError is a bad flag, flag value or seed: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}
