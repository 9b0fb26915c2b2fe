package extract

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Parsing of attribute values: rel and robots token lists, meta refresh,
// the title text.

// hasToken reports whether list, split on ASCII whitespace and commas,
// holds word (lower-case), ignoring ASCII case.
func hasToken(list []byte, word string) bool {
	for len(list) > 0 {
		i := 0
		for i < len(list) && (isSpace(list[i]) || list[i] == ',') {
			i++
		}
		j := i
		for j < len(list) && !isSpace(list[j]) && list[j] != ',' {
			j++
		}
		if j-i == len(word) && hasPrefixFold(list[i:j], word) {
			return true
		}
		list = list[j:]
	}
	return false
}

// isPageRel reports whether a <link rel> names another page: alternate
// (translations, feeds, mobile versions), next or prev; an alternate
// stylesheet is CSS, not a page.
func isPageRel(rel []byte) bool {
	if hasToken(rel, "next") || hasToken(rel, "prev") {
		return true
	}
	return hasToken(rel, "alternate") && !hasToken(rel, "stylesheet")
}

// refreshURL returns the URL of a <meta http-equiv="refresh"> content value,
// parsed as the HTML standard's "shared declarative refresh steps" do:
// "5; url='x'", "0;URL=x", "5, x", "0 x". ok is false when the refresh
// reloads the page itself or the value is malformed.
func refreshURL(content []byte) (ref []byte, ok bool) {
	s := content
	i := skipSpace(s, 0)
	j := i
	for j < len(s) && '0' <= s[j] && s[j] <= '9' {
		j++
	}
	if j == i && (j == len(s) || s[j] != '.') {
		return nil, false
	}
	for j < len(s) && ('0' <= s[j] && s[j] <= '9' || s[j] == '.') {
		j++
	}
	if j == len(s) || s[j] != ';' && s[j] != ',' && !isSpace(s[j]) {
		return nil, false
	}
	i = skipSpace(s, j)
	if i < len(s) && (s[i] == ';' || s[i] == ',') {
		i++
	}
	if i = skipSpace(s, i); i == len(s) {
		return nil, false
	}
	ref = s[i:]
	if s[i]|0x20 == 'u' {
		if i+2 >= len(s) || s[i+1]|0x20 != 'r' || s[i+2]|0x20 != 'l' {
			return trimSpace(ref)
		}
		if i = skipSpace(s, i+3); i == len(s) || s[i] != '=' {
			return trimSpace(ref)
		}
		i = skipSpace(s, i+1)
	}
	ref = s[i:]
	if i < len(s) && (s[i] == '"' || s[i] == '\'') {
		ref = s[i+1:]
		if k := bytes.IndexByte(ref, s[i]); k >= 0 {
			ref = ref[:k]
		}
	}
	return trimSpace(ref)
}

func skipSpace(s []byte, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func trimSpace(b []byte) ([]byte, bool) {
	b = bytes.TrimSpace(b)
	return b, len(b) > 0
}

// collapse strips and collapses ASCII whitespace, makes the text valid
// UTF-8 and cuts it to MaxTitle bytes.
func collapse(b []byte) string {
	out := make([]byte, 0, min(len(b), MaxTitle+utf8.UTFMax))
	for _, f := range bytes.FieldsFunc(b, func(r rune) bool { return r < utf8.RuneSelf && isSpace(byte(r)) }) {
		if len(out) > 0 {
			out = append(out, ' ')
		}
		out = append(out, f...)
		if len(out) > MaxTitle {
			break
		}
	}
	s := strings.ToValidUTF8(string(out), "\uFFFD")
	if len(s) > MaxTitle {
		i := MaxTitle
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = strings.TrimRight(s[:i], " ")
	}
	return s
}
