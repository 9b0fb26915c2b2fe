package urlnorm

import (
	"bytes"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// idnaProfile is UTS #46 processing as the WHATWG URL standard asks for it:
// non-transitional, no STD3 rules, no hyphen checks, no DNS length limits.
var idnaProfile = idna.New(
	idna.MapForLookup(),
	idna.BidiRule(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.CheckHyphens(false),
	idna.VerifyDNSLength(false),
)

// appendHost appends the canonical form of host (as written in a URL, with
// percent-escapes and perhaps Unicode) to b.
func appendHost(b []byte, host string) ([]byte, error) {
	if host == "" {
		return b, ErrHost
	}
	if host[0] == '[' {
		return appendIPv6(b, host)
	}
	start := len(b)
	switch hostKind(host) {
	case hostLower:
		b = append(b, host...)
	case hostMixed:
		for i := 0; i < len(host); i++ {
			c := host[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
	case hostUnicode:
		if len(host) > MaxLen {
			return b, ErrTooLong // before UTS #46, which is slow per byte
		}
		ascii, err := hostToASCII(host)
		if err != nil {
			return b, err
		}
		b = append(b, ascii...)
	default:
		return b, ErrHost
	}
	if endsInNumber(b[start:]) {
		return appendIPv4(b[:start], b[start:])
	}
	return b, nil
}

const (
	hostInvalid = iota
	hostLower   // canonical as it is
	hostMixed   // needs lower-casing only
	hostUnicode // has percent-escapes or non-ASCII bytes: needs UTS #46
)

// hostKind classifies host. ASCII hosts are only lower-cased, ACE ("xn--")
// labels included, as the WHATWG URL standard now does.
func hostKind(host string) int {
	kind := hostLower
	for i := 0; i < len(host); i++ {
		c := host[i]
		switch {
		case charClass[c]&hostOK == 0:
			if c == '%' || c >= utf8.RuneSelf {
				return hostUnicode
			}
			return hostInvalid
		case 'A' <= c && c <= 'Z':
			kind = hostMixed
		}
	}
	return kind
}

// hostToASCII percent-decodes host and applies UTS #46 ToASCII.
func hostToASCII(host string) (string, error) {
	if strings.IndexByte(host, '%') >= 0 {
		var d []byte
		for i := 0; i < len(host); i++ {
			if v, ok := escapeAt(host, i); ok {
				d = append(d, v)
				i += 2
			} else {
				d = append(d, host[i])
			}
		}
		host = string(d)
	}
	if !utf8.ValidString(host) {
		return "", ErrHost
	}
	ascii, err := idnaProfile.ToASCII(host)
	if err != nil || ascii == "" {
		return "", ErrHost
	}
	for i := 0; i < len(ascii); i++ {
		if charClass[ascii[i]]&hostOK == 0 || 'A' <= ascii[i] && ascii[i] <= 'Z' {
			return "", ErrHost
		}
	}
	// Mapping can yield a host that maps differently a second time; such a
	// host would break idempotence, and no browser can reach it either.
	if again, err := idnaProfile.ToASCII(ascii); err != nil || again != ascii {
		return "", ErrHost
	}
	return ascii, nil
}

// endsInNumber is the WHATWG "ends in a number" test: the last label (a
// trailing dot aside) is decimal digits or a 0x hex number.
func endsInNumber(h []byte) bool {
	if n := len(h); n > 1 && h[n-1] == '.' {
		h = h[:n-1]
	}
	i := len(h)
	for i > 0 && h[i-1] != '.' {
		i--
	}
	last := h[i:]
	if len(last) == 0 {
		return false
	}
	if last[0] == '0' && len(last) >= 2 && last[1]|0x20 == 'x' {
		last = last[2:]
		for _, c := range last {
			if charClass[c]&hexDigit == 0 {
				return false
			}
		}
		return true
	}
	for _, c := range last {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// appendIPv4 parses h (lower-cased) as a WHATWG IPv4 address and appends it
// in dotted decimal form.
func appendIPv4(b, h []byte) ([]byte, error) {
	if n := len(h); n > 0 && h[n-1] == '.' {
		h = h[:n-1]
	}
	var parts [4]uint64
	n := 0
	for {
		part, rest, more := bytes.Cut(h, []byte{'.'})
		if n == len(parts) {
			return b, ErrHost
		}
		v, ok := parseIPv4Number(part)
		if !ok {
			return b, ErrHost
		}
		parts[n] = v
		n++
		if !more {
			break
		}
		h = rest
	}
	var addr uint64
	for i := 0; i < n-1; i++ {
		if parts[i] > 255 {
			return b, ErrHost
		}
		addr |= parts[i] << (8 * (3 - i))
	}
	if parts[n-1] >= 1<<(8*(5-n)) {
		return b, ErrHost
	}
	addr |= parts[n-1]
	ip := netip.AddrFrom4([4]byte{byte(addr >> 24), byte(addr >> 16), byte(addr >> 8), byte(addr)})
	return ip.AppendTo(b), nil
}

// parseIPv4Number parses a decimal, 0-prefixed octal or 0x-prefixed hex
// number, saturating above 2^32.
func parseIPv4Number(s []byte) (uint64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	base := uint64(10)
	if len(s) >= 2 && s[0] == '0' && s[1]|0x20 == 'x' {
		base, s = 16, s[2:]
	} else if len(s) >= 2 && s[0] == '0' {
		base, s = 8, s[1:]
	}
	var v uint64
	for _, c := range s {
		var d uint64
		switch {
		case '0' <= c && c <= '9':
			d = uint64(c - '0')
		case 'a' <= c && c <= 'f':
			d = uint64(c-'a') + 10
		default:
			return 0, false
		}
		if d >= base {
			return 0, false
		}
		if v = v*base + d; v > 1<<32 {
			v = 1 << 32
		}
	}
	return v, true
}

// appendIPv6 parses "[addr]" and appends it in the WHATWG serialisation:
// lower-case hex, the first longest run of two or more zero pieces
// compressed, no embedded IPv4 form.
func appendIPv6(b []byte, host string) ([]byte, error) {
	if len(host) < 2 || host[len(host)-1] != ']' {
		return b, ErrHost
	}
	ip, err := netip.ParseAddr(host[1 : len(host)-1])
	if err != nil || !ip.Is6() || ip.Zone() != "" {
		return b, ErrHost
	}
	a := ip.As16()
	var p [8]uint16
	for i := range p {
		p[i] = uint16(a[2*i])<<8 | uint16(a[2*i+1])
	}
	bestAt, bestLen := -1, 1
	for i := 0; i < 8; {
		j := i
		for j < 8 && p[j] == 0 {
			j++
		}
		if j-i > bestLen {
			bestAt, bestLen = i, j-i
		}
		i = j + 1
	}
	b = append(b, '[')
	for i := 0; i < 8; i++ {
		if i == bestAt {
			b = append(b, "::"...)
			i += bestLen - 1
			continue
		}
		if i > 0 && i != bestAt+bestLen {
			b = append(b, ':')
		}
		b = appendHex16(b, p[i])
	}
	return append(b, ']'), nil
}

func appendHex16(b []byte, v uint16) []byte {
	const lower = "0123456789abcdef"
	started := false
	for shift := 12; shift >= 0; shift -= 4 {
		d := v >> shift & 15
		if d != 0 || started || shift == 0 {
			b = append(b, lower[d])
			started = true
		}
	}
	return b
}

// appendPort appends ":port" unless port is empty or the default for the
// scheme. port must be ASCII digits.
func appendPort(b []byte, port string, https bool) ([]byte, error) {
	var v int
	for i := 0; i < len(port); i++ {
		c := port[i]
		if c < '0' || c > '9' {
			return b, ErrPort
		}
		if v = v*10 + int(c-'0'); v > 65535 {
			return b, ErrPort
		}
	}
	if port == "" || !https && v == 80 || https && v == 443 {
		return b, nil
	}
	b = append(b, ':')
	return appendInt(b, v), nil
}

func appendInt(b []byte, v int) []byte {
	var d [5]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		if v /= 10; v == 0 {
			break
		}
	}
	return append(b, d[i:]...)
}
