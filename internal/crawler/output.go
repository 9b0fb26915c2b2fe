package crawler

import (
	"bufio"
	"io"
	"time"
)

// output writes records as JSON lines from one goroutine. Lines are
// buffered and flushed once no record has come for a moment (delay), so
// a record reaches the reader within milliseconds while a busy crawl
// makes one write for many lines rather than one per line.
type output struct {
	in    chan *Record
	w     *bufio.Writer
	buf   []byte
	delay time.Duration // 0: flush as soon as no record is waiting
	// observe sees every written record (progress, logging).
	observe func(*Record)
}

func newOutput(w io.Writer, queue int, delay time.Duration, observe func(*Record)) *output {
	return &output{
		in:      make(chan *Record, queue),
		w:       bufio.NewWriterSize(w, 64<<10),
		delay:   delay,
		observe: observe,
	}
}

// run writes records until in is closed. After a write error it keeps
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
				if e := o.w.Flush(); e != nil {
					fail(e)
				}
			}
			continue
		case r, ok := <-o.in:
			if !ok {
				if err == nil {
					err = o.w.Flush()
				}
				return written, err
			}
			if err != nil || (limit > 0 && written >= limit) {
				continue
			}
			if e := o.write(r); e != nil {
				fail(e)
				continue
			}
			written++
			if written == limit {
				if e := o.w.Flush(); e != nil {
					fail(e)
					continue
				}
				stop(nil)
			}
		}
		if len(o.in) > 0 || o.w.Buffered() == 0 || flushNow != nil {
			continue
		}
		if o.delay <= 0 {
			if e := o.w.Flush(); e != nil {
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

func (o *output) write(r *Record) error {
	o.buf = append(r.AppendJSON(o.buf[:0]), '\n')
	if _, err := o.w.Write(o.buf); err != nil {
		return err
	}
	if o.observe != nil {
		o.observe(r)
	}
	return nil
}
