package extract

import (
	"bytes"

	"golang.org/x/net/html"
)

// The tokenizer's TagName and TagAttr copy their result on every call (since
// x/net v0.62.0, to replace NUL bytes). Most tags only need their name
// checked, and link tags have short, plain attributes, so both are read
// from the token's raw text here, with the tokenizer's own rules; TagAttr is
// used only when a value holds an entity or a NUL.

// tagName returns the lower-cased name of the current tag token, or "" when
// it is longer than any name extract looks for.
func tagName(z *html.Tokenizer) (name [10]byte, n int) {
	raw := z.Raw()
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	for ; i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>'; i++ {
		if n == len(name) {
			return name, 0
		}
		c := raw[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		name[n] = c
		n++
	}
	return name, n
}

// attrs returns the values of the attributes of the current start tag
// named in keys ("" for none), and whether each is present; the first of
// duplicate attributes wins, as in HTML. The values are valid until z.Next.
func attrs(z *html.Tokenizer, keys [3]string) (val [3][]byte, ok [3]bool) {
	val, ok, plain := scanAttrs(z.Raw(), keys)
	if plain {
		return val, ok
	}
	return tokenizerAttrs(z, keys)
}

// tokenizerAttrs is attrs through the tokenizer, which decodes entities.
func tokenizerAttrs(z *html.Tokenizer, keys [3]string) (val [3][]byte, ok [3]bool) {
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		for i, key := range keys {
			if key != "" && !ok[i] && string(k) == key {
				val[i], ok[i] = v, true
			}
		}
	}
	return val, ok
}

// scanAttrs reads attributes from the raw text of a start tag as the
// tokenizer's readTag does. plain is false when a wanted value holds "&" or
// a NUL, which only the tokenizer decodes.
func scanAttrs(raw []byte, keys [3]string) (val [3][]byte, ok [3]bool, plain bool) {
	i := 1
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '/' && raw[i] != '>' {
		i++
	}
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == '>' {
			return val, ok, true
		}
		start := i
		for ; i < len(raw); i++ {
			c := raw[i]
			if c == '=' && i == start {
				continue
			}
			if isSpace(c) || c == '/' || c == '>' || c == '=' {
				break
			}
		}
		key := raw[start:i]
		var v []byte
		v, i = scanValue(raw, i)
		for k, want := range keys {
			if want == "" || ok[k] || len(key) != len(want) || !hasPrefixFold(key, want) {
				continue
			}
			if bytes.IndexByte(v, '&') >= 0 || bytes.IndexByte(v, 0) >= 0 {
				return val, ok, false
			}
			val[k], ok[k] = v, true
		}
	}
}

// scanValue reads the "=value" part after an attribute name at raw[i:],
// as the tokenizer's readTagAttrVal does, and returns the value and where
// the next attribute starts.
func scanValue(raw []byte, i int) ([]byte, int) {
	i = skipSpace(raw, i)
	if i >= len(raw) {
		return nil, i
	}
	switch c := raw[i]; {
	case c == '/':
		return nil, i + 1
	case c != '=':
		return nil, i
	}
	i = skipSpace(raw, i+1)
	if i >= len(raw) || raw[i] == '>' {
		return nil, i
	}
	if q := raw[i]; q == '"' || q == '\'' {
		end := bytes.IndexByte(raw[i+1:], q)
		if end < 0 {
			return raw[i+1:], len(raw)
		}
		return raw[i+1 : i+1+end], i + 2 + end
	}
	start := i
	for i < len(raw) && !isSpace(raw[i]) && raw[i] != '>' {
		i++
	}
	return raw[start:i], i
}
