package pebblestore

import (
	"encoding/binary"
	"time"
)

// The value encodings share these helpers: strings are a uvarint length
// and the bytes, small numbers are uvarints, times are varint Unix
// nanoseconds with 0 for the zero time.

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(b, 0)
	}
	return binary.AppendVarint(b, t.UnixNano())
}

func appendInt32(b []byte, v int32) []byte {
	return binary.AppendUvarint(b, uint64(uint32(v)))
}

// reader decodes a value; the first malformed field sets err, and every
// read after it returns zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() { r.err = errDecode; r.b = nil }

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int32() int32 {
	v := r.uvarint()
	if v > 1<<32-1 {
		r.fail()
		return 0
	}
	return int32(uint32(v))
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) time() time.Time {
	ns := r.varint()
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// done reports the decode error, or errDecode if bytes are left over.
func (r *reader) done() error {
	if r.err == nil && len(r.b) > 0 {
		r.fail()
	}
	return r.err
}

func uvarintValue(v uint64) []byte { return binary.AppendUvarint(nil, v) }

func decodeUvarint(b []byte) (uint64, error) {
	r := reader{b: b}
	v := r.uvarint()
	return v, r.done()
}

// appendUint64 stores a hash in a fixed 8 bytes: a varint of a random
// 64-bit number is longer.
func appendUint64(b []byte, v uint64) []byte { return binary.BigEndian.AppendUint64(b, v) }

func (r *reader) uint64() uint64 {
	if len(r.b) < 8 {
		r.fail()
		return 0
	}
	v := binary.BigEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

func appendUvarint(b []byte, v uint64) []byte { return binary.AppendUvarint(b, v) }
