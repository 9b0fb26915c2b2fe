package urlnorm

// Character classes, one bit each, looked up in charClass.
const (
	encPath    = 1 << iota // percent-encode in the path
	encQuery               // percent-encode in the query
	encUser                // percent-encode in the userinfo
	unreserved             // ALPHA DIGIT - . _ ~: escapes of these are decoded
	hostOK                 // may appear in a canonical host name
	hexDigit               // 0-9 A-F a-f
	schemeChar             // ALPHA DIGIT + - .
	percent                // '%'
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if c <= 0x20 || c >= 0x7f {
			t[c] |= encPath | encQuery | encUser
		}
	}
	for _, c := range []byte(`"#<>?^` + "`{}|%") {
		t[c] |= encPath
	}
	for _, c := range []byte(`"#<>'`) {
		t[c] |= encQuery
	}
	// net/url escapes everything in userinfo but unreserved and $&+,;=.
	for _, c := range []byte(`"#<>?^` + "`{}|%" + `/:@[\]!'()*`) {
		t[c] |= encUser
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] |= unreserved | hostOK | hexDigit | schemeChar
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] |= unreserved | hostOK | schemeChar
		t[c-'a'+'A'] |= unreserved | hostOK | schemeChar
	}
	for _, c := range []byte("abcdefABCDEF") {
		t[c] |= hexDigit
	}
	for _, c := range []byte("-._~") {
		t[c] |= unreserved | hostOK
	}
	// Allowed by both the WHATWG host parser and net/url.
	for _, c := range []byte(`!$&'()*+,;="`) {
		t[c] |= hostOK
	}
	for _, c := range []byte("+-.") {
		t[c] |= schemeChar
	}
	t['%'] |= percent
	return t
}()

const upperHex = "0123456789ABCDEF"

func unhex(c byte) byte {
	if c <= '9' {
		return c - '0'
	}
	return c&^0x20 - 'A' + 10
}

// escapeAt reports whether s[i:] starts with a valid percent-escape and
// returns the byte it encodes.
func escapeAt(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' || charClass[s[i+1]]&hexDigit == 0 || charClass[s[i+2]]&hexDigit == 0 {
		return 0, false
	}
	return unhex(s[i+1])<<4 | unhex(s[i+2]), true
}

// appendEscaped appends s with canonical percent-encoding for the component
// whose encode bit is enc. A lone "%" is kept raw only in the query.
func appendEscaped(b []byte, s string, enc uint8) []byte {
	for i := 0; i < len(s); i++ {
		// Copy the run of bytes that stay as they are in one go.
		j := i
		for j < len(s) && charClass[s[j]]&(enc|percent) == 0 {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		switch {
		case c != '%':
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		case i+2 < len(s) && charClass[s[i+1]]&hexDigit != 0 && charClass[s[i+2]]&hexDigit != 0:
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			i += 2
			if charClass[v]&unreserved != 0 {
				b = append(b, v)
			} else {
				b = append(b, '%', upperHex[v>>4], upperHex[v&15])
			}
		case enc == encQuery:
			b = append(b, '%')
		default:
			b = append(b, "%25"...)
		}
	}
	return b
}

// appendPath appends the segments of p (separated by "/" or "\") to the path
// that starts at b[start:], resolving dot segments. If final is false, p is
// a directory prefix and a trailing dot segment adds no empty segment.
func appendPath(b []byte, start int, p string, final bool) []byte {
	for {
		seg, rest, more := cutSegment(p)
		last := final && !more
		switch {
		case isDoubleDot(seg):
			b = popSegment(b, start)
			if last {
				b = append(b, '/')
			}
		case isSingleDot(seg):
			if last {
				b = append(b, '/')
			}
		case !more && seg == "" && !final:
			// The empty tail of a directory prefix "a/b/".
		default:
			b = append(b, '/')
			b = appendEscaped(b, seg, encPath)
		}
		if !more {
			return b
		}
		p = rest
	}
}

func cutSegment(p string) (seg, rest string, more bool) {
	for i := 0; i < len(p); i++ {
		if p[i] == '/' || p[i] == '\\' {
			return p[:i], p[i+1:], true
		}
	}
	return p, "", false
}

// popSegment removes the last segment of the path in b[start:].
func popSegment(b []byte, start int) []byte {
	for i := len(b) - 1; i >= start; i-- {
		if b[i] == '/' {
			return b[:i]
		}
	}
	return b
}

func isSingleDot(s string) bool {
	return s == "." || len(s) == 3 && s[0] == '%' && s[1] == '2' && s[2]|0x20 == 'e'
}

func isDoubleDot(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		return isSingleDot(s[:1]) && isSingleDot(s[1:]) || isSingleDot(s[:3]) && s[3] == '.'
	case 6:
		return isSingleDot(s[:3]) && isSingleDot(s[3:])
	}
	return false
}
