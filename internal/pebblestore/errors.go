package pebblestore

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors callers branch on. Each is returned wrapped, with the state
// directory and the cause in the message.
var (
	// ErrLocked: another crawl holds the state directory (see LockedError).
	ErrLocked = errors.New("pebblestore: state directory in use")
	// ErrVersion: the state was written in a format this build does not
	// read.
	ErrVersion = errors.New("pebblestore: incompatible state format")
	// ErrCorrupt: the store could not be opened or read, or holds a
	// record that does not decode.
	ErrCorrupt = errors.New("pebblestore: corrupt state")
	// ErrClosed: the DB was used after Close.
	ErrClosed = errors.New("pebblestore: closed")
	// ErrFrontierOpen: DB.Frontier was called a second time.
	ErrFrontierOpen = errors.New("pebblestore: frontier already made")
)

// errForeignLease: a lease passed to Release, Complete or Retry that this
// frontier did not hand out, or that was settled already.
var errForeignLease = errors.New("pebblestore: lease not handed out by this frontier, or already settled")

// LockedError reports that another crawl holds a state directory.
type LockedError struct {
	Dir string
	PID int // of the holder, 0 when unknown
}

func (e *LockedError) Error() string {
	who := "another crawl"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return "pebblestore: " + who + " is using the state directory " + e.Dir +
		"; wait for it to end or use another --state directory"
}

// Unwrap makes errors.Is(err, ErrLocked) hold.
func (e *LockedError) Unwrap() error { return ErrLocked }

// corrupt wraps a store error or an undecodable record as ErrCorrupt.
func corrupt(dir, what string, err error) error {
	return fmt.Errorf("pebblestore: %s: %s: %w: %w", dir, what, ErrCorrupt, err)
}

// errDecode is the cause of ErrCorrupt for a record that does not decode.
var errDecode = errors.New("record does not decode")
