package crawler

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// Record is one output line: what happened to one fetched URL, its
// attempts together.
type Record struct {
	URL         string
	Depth       int
	Parent      string // empty for seeds
	Status      int    // last HTTP status; 0 when no response came
	Redirect    string // absolute, normalized Location of a 3xx
	ContentType string
	Size        int64
	Truncated   bool
	Title       string
	Links       []string // nil unless the body was HTML
	FetchedAt   time.Time
	Duration    time.Duration
	Attempts    int
	Error       string
	// Changed is set when the crawl tracks changes (--state): whether the
	// page is new or its body differs from the last fetch.
	Changed   *bool
	responded bool
}

// AppendJSON appends r as one JSON object, without a newline. It is
// written by hand rather than with encoding/json because it runs once per
// fetched URL and a reflective encoder costs more than the rest of the
// record's work.
func (r *Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"url":`...)
	b = appendString(b, r.URL)
	b = append(b, `,"depth":`...)
	b = strconv.AppendInt(b, int64(r.Depth), 10)
	if r.Parent != "" {
		b = append(b, `,"parent":`...)
		b = appendString(b, r.Parent)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	if r.Redirect != "" {
		b = append(b, `,"redirect":`...)
		b = appendString(b, r.Redirect)
	}
	if r.responded {
		b = append(b, `,"content_type":`...)
		b = appendString(b, r.ContentType)
	}
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, r.Size, 10)
	if r.Truncated {
		b = append(b, `,"truncated":true`...)
	}
	if r.Title != "" {
		b = append(b, `,"title":`...)
		b = appendString(b, r.Title)
	}
	if r.Links != nil {
		b = append(b, `,"links":[`...)
		for i, l := range r.Links {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, l)
		}
		b = append(b, ']')
	}
	b = append(b, `,"fetched_at":"`...)
	b = r.FetchedAt.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	b = append(b, `","duration_ms":`...)
	b = strconv.AppendFloat(b, float64(r.Duration.Microseconds())/1000, 'f', -1, 64)
	b = append(b, `,"attempts":`...)
	b = strconv.AppendInt(b, int64(r.Attempts), 10)
	if r.Changed != nil {
		b = append(b, `,"changed":`...)
		b = strconv.AppendBool(b, *r.Changed)
	}
	if r.Error != "" {
		b = append(b, `,"error":`...)
		b = appendString(b, r.Error)
	}
	return append(b, '}')
}

const hex = "0123456789abcdef"

// appendString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
