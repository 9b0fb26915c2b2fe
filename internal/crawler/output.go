package crawler

import (
	"bufio"
	"io"
)

// output writes records as JSON lines from one goroutine. Lines are
// buffered while more records are waiting and flushed as soon as none
// is, so a record reaches the reader promptly without a write per line
// under load.
type output struct {
	in  chan *Record
	w   *bufio.Writer
	buf []byte
	// observe sees every written record (progress, logging).
	observe func(*Record)
}

func newOutput(w io.Writer, queue int, observe func(*Record)) *output {
	return &output{
		in:      make(chan *Record, queue),
		w:       bufio.NewWriterSize(w, 64<<10),
		observe: observe,
	}
}

// run writes records until in is closed. After a write error it keeps
// draining in (so senders never block) and returns the error at the end.
// stop is called once with the error, or when limit records (if > 0)
// have been written.
func (o *output) run(limit int, stop func(error)) (written int, err error) {
	for r := range o.in {
		if err != nil || (limit > 0 && written >= limit) {
			continue
		}
		o.buf = append(r.AppendJSON(o.buf[:0]), '\n')
		if _, err = o.w.Write(o.buf); err == nil && len(o.in) == 0 {
			err = o.w.Flush()
		}
		if err != nil {
			stop(err)
			continue
		}
		written++
		if o.observe != nil {
			o.observe(r)
		}
		if written == limit {
			if err = o.w.Flush(); err != nil {
				stop(err)
				continue
			}
			stop(nil)
		}
	}
	if err == nil {
		err = o.w.Flush()
	}
	return written, err
}
