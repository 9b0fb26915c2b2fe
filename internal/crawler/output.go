package crawler

import (
	"io"
	"time"

	"github.com/crawlhq/crawl/internal/frontier"
)

// outputBuffer is how many bytes of lines are gathered for one write.
const outputBuffer = 64 << 10

// entry is a finished record and the lease it reports.
type entry struct {
	rec   *Record
	lease *frontier.Lease
}

// output writes records as JSON lines from one goroutine. Lines are
// buffered and flushed once no record has come for a moment (delay), so
// a record reaches the reader within milliseconds while a busy crawl
// makes one write for many lines rather than one per line.
//
// After each flush it completes the leases whose records it wrote, so a
// frontier that keeps state marks a URL done only once its record is out:
// a crawl killed before then fetches it again rather than losing it. With
// a journal, the leases and the lines are committed together just before
// the write instead, so that the next run can tell from the output file
// whether the write happened: then a kill at any moment neither loses nor
// repeats a record.
type output struct {
	in    chan entry
	w     io.Writer
	lines []byte        // whole lines not yet written
	buf   []byte        // one line being encoded
	delay time.Duration // 0: flush as soon as no record is waiting
	// observe sees every written record (progress, logging).
	observe func(*Record)
	// complete settles the leases of written records; journal, when
	// set, replaces it (see Config.Journal).
	complete func([]*frontier.Lease) error
	journal  func([]*frontier.Lease, []byte) error
	pending  []*frontier.Lease
}

func newOutput(w io.Writer, queue int, delay time.Duration, observe func(*Record), complete func([]*frontier.Lease) error) *output {
	return &output{
		in:       make(chan entry, queue),
		w:        w,
		delay:    delay,
		observe:  observe,
		complete: complete,
	}
}

// run writes records until in is closed. After an error it keeps
// draining in (so senders never block) and returns the error at the end.
// stop is called once with the error, or when limit records (if > 0)
// have been written.
func (o *output) run(limit int, stop func(error)) (written int, err error) {
	var timer *time.Timer
	var flushNow <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	fail := func(e error) {
		if err == nil {
			err = e
			stop(e)
		}
	}
	for {
		select {
		case <-flushNow:
			flushNow = nil
			if err == nil {
				if e := o.flush(); e != nil {
					fail(e)
				}
			}
			continue
		case e, ok := <-o.in:
			if !ok {
				if err == nil {
					err = o.flush()
				}
				return written, err
			}
			if err != nil || (limit > 0 && written >= limit) {
				continue
			}
			if e := o.write(e); e != nil {
				fail(e)
				continue
			}
			written++
			if written == limit {
				if e := o.flush(); e != nil {
					fail(e)
					continue
				}
				stop(nil)
			}
		}
		if len(o.in) > 0 || len(o.lines) == 0 || flushNow != nil {
			continue
		}
		if o.delay <= 0 {
			if e := o.flush(); e != nil {
				fail(e)
			}
			continue
		}
		if timer == nil {
			timer = time.NewTimer(o.delay)
		} else {
			timer.Reset(o.delay)
		}
		flushNow = timer.C
	}
}

// write buffers one record line. A line that does not fit in what is
// left of the buffer flushes the lines before it first, so that every
// write to the output holds whole lines: a crawl killed at any moment
// leaves no half line for the next run to append to.
func (o *output) write(e entry) error {
	o.buf = append(e.rec.AppendJSON(o.buf[:0]), '\n')
	if len(o.lines) > 0 && len(o.lines)+len(o.buf) > outputBuffer {
		if err := o.flush(); err != nil {
			return err
		}
	}
	o.lines = append(o.lines, o.buf...)
	o.pending = append(o.pending, e.lease)
	if o.observe != nil {
		o.observe(e.rec)
	}
	return nil
}

// flush writes the gathered lines out in one write and completes their
// leases: after the write, or, with a journal, together with the lines
// just before it.
func (o *output) flush() error {
	if len(o.lines) == 0 {
		return nil
	}
	defer func() {
		clear(o.pending)
		o.pending = o.pending[:0]
		o.lines = o.lines[:0]
		if cap(o.lines) > 4*outputBuffer {
			o.lines = nil // one huge record: do not keep its buffer
		}
	}()
	if o.journal != nil {
		if err := o.journal(o.pending, o.lines); err != nil {
			return err
		}
		_, err := o.w.Write(o.lines)
		return err
	}
	if _, err := o.w.Write(o.lines); err != nil {
		return err
	}
	return o.complete(o.pending)
}
