package urlnorm

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unsafe"
)

// MaxLen is the longest URL, in bytes, that Normalize and Resolve return.
const MaxLen = 2048

// Errors returned, wrapped, by Normalize.
var (
	ErrNotAbsolute = errors.New("urlnorm: not an absolute url")
	ErrScheme      = errors.New("urlnorm: scheme is not http or https")
	ErrHost        = errors.New("urlnorm: invalid host")
	ErrPort        = errors.New("urlnorm: invalid port")
	ErrTooLong     = errors.New("urlnorm: url longer than 2048 bytes")
	ErrBase        = errors.New("urlnorm: base is not an absolute http(s) url")
)

// Normalize parses an absolute http or https URL and returns its canonical
// form. The error wraps one of the Err values above and quotes raw.
func Normalize(raw string) (string, error) {
	s, err := resolve(nil, raw)
	if err != nil {
		if len(raw) > 200 {
			raw = raw[:200] + "..."
		}
		return "", fmt.Errorf("%w: %q", err, raw)
	}
	return s, nil
}

// Resolve resolves ref (an href value from a page) against base the way
// browsers do and returns the canonical absolute URL. ok is false when the
// result is not http or https, is invalid, or is longer than MaxLen bytes.
// A nil base accepts only absolute references.
func Resolve(base *url.URL, ref string) (abs string, ok bool) {
	s, err := resolve(base, ref)
	return s, err == nil
}

// ResolveBytes is Resolve for a byte slice, such as an attribute value in
// an HTML tokenizer's buffer. It neither copies nor retains ref.
func ResolveBytes(base *url.URL, ref []byte) (abs string, ok bool) {
	// The string shares ref's memory only for the duration of the call:
	// resolve builds its result in a buffer of its own and keeps no part
	// of its input, so ref may change once ResolveBytes returns.
	return Resolve(base, unsafe.String(unsafe.SliceData(ref), len(ref)))
}

// HostKey returns the politeness key scheme://host[:port] of u, with the
// default port dropped, e.g. "https://example.com", "http://127.0.0.1:8080".
// u is expected to be canonical (parsed from a Normalize or Resolve result);
// scheme and host are lower-cased all the same.
func HostKey(u *url.URL) string {
	scheme, host := strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	port := u.Port()
	if port == "" || scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		host = strings.TrimSuffix(host, ":"+port)
	}
	return scheme + "://" + host
}

// HostKeyOf is HostKey for a canonical URL string (a Normalize or Resolve
// result). It allocates only when the URL has userinfo.
func HostKeyOf(abs string) string {
	i := strings.Index(abs, "://")
	if i < 0 {
		return ""
	}
	rest := abs[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		return abs[:i+3] + rest[at+1:end]
	}
	return abs[:i+3+end]
}

func resolve(base *url.URL, ref string) (string, error) {
	var buf [256]byte
	b, err := appendResolved(buf[:0], base, ref)
	if err != nil {
		return "", err
	}
	if len(b) > MaxLen {
		return "", ErrTooLong
	}
	return string(b), nil
}

// appendResolved appends the canonical form of ref resolved against base.
func appendResolved(b []byte, base *url.URL, ref string) ([]byte, error) {
	ref = clean(ref)
	if scheme, rest, ok := cutScheme(ref); ok {
		https, ok := httpScheme(scheme)
		if !ok {
			return b, ErrScheme
		}
		// WHATWG: "http:x" is relative to an http base, and absolute
		// ("http://x/") otherwise, however many slashes follow the colon.
		if base == nil || !strings.EqualFold(base.Scheme, scheme) {
			return appendAbsolute(b, https, trimSlashes(rest))
		}
		ref = rest
	}
	if base == nil {
		return b, ErrNotAbsolute
	}
	https, ok := httpScheme(base.Scheme)
	if !ok || base.Host == "" || base.Opaque != "" {
		return b, ErrBase
	}
	if len(ref) >= 2 && isSlash(ref[0]) && isSlash(ref[1]) {
		return appendAbsolute(b, https, trimSlashes(ref))
	}
	return appendRelative(b, base, https, ref)
}

// appendRelative appends ref, which has no scheme and no authority,
// resolved against base (RFC 3986 section 5.2.2).
func appendRelative(b []byte, base *url.URL, https bool, ref string) ([]byte, error) {
	b = appendScheme(b, https)
	b, err := appendBaseAuthority(b, base, https)
	if err != nil {
		return b, err
	}
	path, query, hasQuery := splitPathQuery(ref)
	basePath := base.EscapedPath()
	if !strings.HasPrefix(basePath, "/") {
		basePath = "/" + basePath
	}
	start := len(b)
	switch {
	case path == "":
		b = appendPath(b, start, basePath[1:], true)
		if !hasQuery {
			query = base.RawQuery
		}
	case isSlash(path[0]):
		b = appendPath(b, start, path[1:], true)
	default:
		b = appendPath(b, start, basePath[1:strings.LastIndexByte(basePath, '/')+1], false)
		b = appendPath(b, start, path, true)
	}
	return appendQuery(b, query), nil
}

// appendAbsolute appends the URL whose text after "scheme://" is rest.
func appendAbsolute(b []byte, https bool, rest string) ([]byte, error) {
	end := len(rest)
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c == '/' || c == '\\' || c == '?' || c == '#' {
			end = i
			break
		}
	}
	b = appendScheme(b, https)
	b, err := appendAuthority(b, rest[:end], https)
	if err != nil {
		return b, err
	}
	path, query, _ := splitPathQuery(rest[end:])
	if path == "" {
		b = append(b, '/')
	} else {
		b = appendPath(b, len(b), path[1:], true)
	}
	return appendQuery(b, query), nil
}

func appendScheme(b []byte, https bool) []byte {
	if https {
		return append(b, "https://"...)
	}
	return append(b, "http://"...)
}

// appendAuthority appends userinfo@host:port, canonicalised.
func appendAuthority(b []byte, auth string, https bool) ([]byte, error) {
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		b = appendUserinfo(b, auth[:at])
		auth = auth[at+1:]
	}
	host, port, err := splitHostPort(auth)
	if err != nil {
		return b, err
	}
	if b, err = appendHost(b, host); err != nil {
		return b, err
	}
	return appendPort(b, port, https)
}

func appendBaseAuthority(b []byte, base *url.URL, https bool) ([]byte, error) {
	auth := base.Host
	if base.User != nil {
		auth = base.User.String() + "@" + auth
	}
	return appendAuthority(b, auth, https)
}

func appendUserinfo(b []byte, userinfo string) []byte {
	user, pass, _ := strings.Cut(userinfo, ":")
	if user == "" && pass == "" {
		return b
	}
	b = appendEscaped(b, user, encUser)
	if pass != "" {
		b = append(b, ':')
		b = appendEscaped(b, pass, encUser)
	}
	return append(b, '@')
}

func appendQuery(b []byte, query string) []byte {
	if query == "" {
		return b
	}
	return appendEscaped(append(b, '?'), query, encQuery)
}

// splitHostPort splits host[:port] or [v6]:port; port may be empty.
func splitHostPort(auth string) (host, port string, err error) {
	if strings.HasPrefix(auth, "[") {
		i := strings.IndexByte(auth, ']')
		if i < 0 {
			return "", "", ErrHost
		}
		host, rest := auth[:i+1], auth[i+1:]
		if rest == "" {
			return host, "", nil
		}
		if rest[0] != ':' {
			return "", "", ErrHost
		}
		return host, rest[1:], nil
	}
	host, port, _ = strings.Cut(auth, ":")
	return host, port, nil
}

// splitPathQuery splits a reference without scheme and authority into its
// path and query, dropping the fragment.
func splitPathQuery(s string) (path, query string, hasQuery bool) {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	path, query, hasQuery = strings.Cut(s, "?")
	return path, query, hasQuery
}

// clean strips leading and trailing C0 controls and spaces and removes tab
// and newline characters, as browsers do before parsing.
func clean(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	s = s[i:j]
	for i = 0; i < len(s) && (s[i] > '\r' || s[i] != '\t' && s[i] != '\n' && s[i] != '\r'); i++ {
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && c != '\n' && c != '\r' {
			b = append(b, c)
		}
	}
	return string(b)
}

// cutScheme splits "scheme:rest"; ok is false for a relative reference.
func cutScheme(s string) (scheme, rest string, ok bool) {
	if s == "" || !('a' <= s[0]|0x20 && s[0]|0x20 <= 'z') {
		return "", s, false
	}
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == ':':
			return s[:i], s[i+1:], true
		case charClass[c]&schemeChar == 0:
			return "", s, false
		}
	}
	return "", s, false
}

func httpScheme(scheme string) (https, ok bool) {
	switch {
	case strings.EqualFold(scheme, "http"):
		return false, true
	case strings.EqualFold(scheme, "https"):
		return true, true
	}
	return false, false
}

func isSlash(c byte) bool { return c == '/' || c == '\\' }

func trimSlashes(s string) string {
	for s != "" && isSlash(s[0]) {
		s = s[1:]
	}
	return s
}

// HostnameOf returns the host of a canonical URL string without port,
// userinfo or IPv6 brackets, e.g. "example.com", "::1". It does not
// allocate.
func HostnameOf(abs string) string {
	key := HostKeyOf(abs)
	host := key[strings.Index(key, "://")+3:]
	if strings.HasPrefix(host, "[") {
		if j := strings.IndexByte(host, ']'); j >= 0 {
			return host[1:j]
		}
	}
	if j := strings.LastIndexByte(host, ':'); j >= 0 {
		return host[:j]
	}
	return host
}

// RequestURIOf returns the path and query of a canonical URL string, as
// sent on the request line ("/" at least). It does not allocate unless
// the URL has a query but no path.
func RequestURIOf(abs string) string {
	i := strings.Index(abs, "://")
	if i < 0 {
		return "/"
	}
	rest := abs[i+3:]
	j := strings.IndexAny(rest, "/?#")
	if j < 0 || rest[j] == '#' {
		return "/"
	}
	pq := rest[j:]
	if k := strings.IndexByte(pq, '#'); k >= 0 {
		pq = pq[:k]
	}
	if pq[0] == '?' {
		return "/" + pq
	}
	return pq
}
