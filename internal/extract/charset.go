package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
)

// prescanWindow is how much of the body the HTML standard's prescan reads.
const prescanWindow = 1024

var boms = []struct {
	bom  string
	name string
}{
	{"\xef\xbb\xbf", "utf-8"},
	{"\xfe\xff", "utf-16be"},
	{"\xff\xfe", "utf-16le"},
}

// sniff determines the encoding of body following the HTML standard's
// encoding sniffing algorithm. It returns the encoding's WHATWG name, which
// charset.Lookup turns into a decoder, and the body without its BOM.
//
// Order: BOM; the charset parameter of contentType; the standard's byte
// prescan of the first 1024 bytes. Where that finds nothing, a browser
// decodes tentatively as windows-1252 and switches when the tree builder
// meets a <meta charset> later on; here, a body that is valid UTF-8 and not
// pure ASCII is taken as UTF-8 first (a late meta rarely beats that
// evidence), then the prescan runs over the rest of the body (standing in
// for the tree builder's switch), and windows-1252 is the last resort.
func sniff(body []byte, contentType string) (name string, rest []byte) {
	for _, b := range boms {
		if bytes.HasPrefix(body, []byte(b.bom)) {
			return b.name, body[len(b.bom):]
		}
	}
	if label := contentTypeCharset(contentType); label != "" {
		if _, name = charset.Lookup(label); name != "" {
			return name, body
		}
	}
	window := body[:min(len(body), prescanWindow)]
	if name = prescan(window); name != "" {
		return name, body
	}
	if hasHighBit(body) && utf8.Valid(body) {
		return "utf-8", body
	}
	if len(body) > len(window) {
		if name = prescan(body); name != "" {
			return name, body
		}
	}
	return "windows-1252", body
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// contentTypeCharset returns the charset parameter of a Content-Type value.
func contentTypeCharset(ct string) string {
	_, params, ok := strings.Cut(ct, ";")
	for ok {
		var param string
		param, params, ok = strings.Cut(params, ";")
		key, val, _ := strings.Cut(param, "=")
		if strings.EqualFold(strings.TrimSpace(key), "charset") {
			return strings.Trim(strings.TrimSpace(val), `"'`)
		}
	}
	return ""
}

// prescan is "prescan a byte stream to determine its encoding" from the
// HTML standard, over all of b.
func prescan(b []byte) string {
	for i := 0; i < len(b); i++ {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return ""
		}
		i += j
		rest := b[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			k := bytes.Index(rest[2:], []byte("-->"))
			if k < 0 {
				return ""
			}
			i += 2 + k + 2
		case len(rest) > 5 && hasPrefixFold(rest[1:], "meta") && (isSpace(rest[5]) || rest[5] == '/'):
			name, n := prescanMeta(rest[5:])
			if n < 0 {
				return ""
			}
			if name != "" {
				return name
			}
			i += 5 + n
		case len(rest) > 1 && isLetter(rest[1]), len(rest) > 2 && rest[1] == '/' && isLetter(rest[2]):
			k := 1
			for k < len(rest) && !isSpace(rest[k]) && rest[k] != '>' {
				k++
			}
			for {
				_, _, n := getAttr(rest[k:])
				if n <= 0 {
					if n < 0 {
						return ""
					}
					break
				}
				k += n
			}
			i += k
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '/' || rest[1] == '?'):
			k := bytes.IndexByte(rest, '>')
			if k < 0 {
				return ""
			}
			i += k
		}
	}
	return ""
}

// prescanMeta handles the attributes of a meta tag; b starts at the space or
// slash after "<meta", and returns the encoding it declares, if any. n is
// how far it read, -1 at the end of input.
func prescanMeta(b []byte) (name string, n int) {
	var seenEquiv, seenContent, seenCharset, gotPragma bool
	needPragma := 0 // 0 unknown, 1 needed, 2 not needed
	for {
		key, val, m := getAttr(b[n:])
		if m < 0 {
			return "", -1
		}
		if m == 0 {
			break
		}
		n += m
		switch key {
		case "http-equiv":
			if !seenEquiv {
				seenEquiv, gotPragma = true, val == "content-type"
			}
		case "content":
			if !seenContent {
				seenContent = true
				if name == "" {
					if _, name = charset.Lookup(charsetFromContent(val)); name != "" {
						needPragma = 1
					}
				}
			}
		case "charset":
			if !seenCharset {
				seenCharset = true
				_, name = charset.Lookup(val)
				needPragma = 2
			}
		}
	}
	switch {
	case name == "" || needPragma == 0 || needPragma == 1 && !gotPragma:
		return "", n
	case strings.HasPrefix(name, "utf-16"):
		return "utf-8", n
	case name == "x-user-defined":
		return "windows-1252", n
	}
	return name, n
}

// getAttr is the standard's "get an attribute": it returns the lower-cased
// name and value and how many bytes it read; n is 0 when there is no further
// attribute and -1 at the end of input.
func getAttr(b []byte) (name, value string, n int) {
	i := 0
	for i < len(b) && (isSpace(b[i]) || b[i] == '/') {
		i++
	}
	if i == len(b) {
		return "", "", -1
	}
	if b[i] == '>' {
		return "", "", 0
	}
	start := i
	for ; ; i++ {
		if i == len(b) {
			return "", "", -1
		}
		c := b[i]
		if c == '=' && i > start || isSpace(c) || c == '/' || c == '>' {
			break
		}
	}
	name = asciiLower(b[start:i])
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	if i == len(b) {
		return "", "", -1
	}
	if b[i] != '=' {
		return name, "", i
	}
	for i++; i < len(b) && isSpace(b[i]); i++ {
	}
	if i == len(b) {
		return "", "", -1
	}
	if q := b[i]; q == '"' || q == '\'' {
		k := bytes.IndexByte(b[i+1:], q)
		if k < 0 {
			return "", "", -1
		}
		return name, asciiLower(b[i+1 : i+1+k]), i + k + 2
	}
	if b[i] == '>' {
		return name, "", i
	}
	start = i
	for i < len(b) && !isSpace(b[i]) && b[i] != '>' {
		i++
	}
	if i == len(b) {
		return "", "", -1
	}
	return name, asciiLower(b[start:i]), i
}

// charsetFromContent is the standard's "extracting a character encoding from
// a meta element" on a lower-cased content value; it returns the label.
func charsetFromContent(s string) string {
	for {
		i := strings.Index(s, "charset")
		if i < 0 {
			return ""
		}
		s = strings.TrimLeft(s[i+len("charset"):], " \t\n\f\r")
		if !strings.HasPrefix(s, "=") {
			continue
		}
		s = strings.TrimLeft(s[1:], " \t\n\f\r")
		if s != "" && (s[0] == '"' || s[0] == '\'') {
			label, _, ok := strings.Cut(s[1:], s[:1])
			if !ok {
				return ""
			}
			return label
		}
		end := strings.IndexAny(s, " \t\n\f\r;")
		if end < 0 {
			end = len(s)
		}
		return s[:end]
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func isLetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// asciiLower returns b as a string with ASCII letters lower-cased; other
// bytes, whatever the encoding, are kept.
func asciiLower(b []byte) string {
	s := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		s[i] = c
	}
	return string(s)
}

// hasPrefixFold reports whether b starts with the lower-case ASCII word w,
// ignoring ASCII case.
func hasPrefixFold(b []byte, w string) bool {
	if len(b) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := b[i]; c != w[i] && !('A' <= c && c <= 'Z' && c+'a'-'A' == w[i]) {
			return false
		}
	}
	return true
}
