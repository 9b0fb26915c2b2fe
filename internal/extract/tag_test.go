package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

var tagSamples = []string{
	`<a href="/x" rel=nofollow>`, `<A HREF='/x' REL="NoFollow">`, `<a href=/x/>`, `<a href = "/x" >`,
	`<a href>`, `<a href=>`, `<a =href=/x>`, `<a href=/first href=/second>`, `<a HREF=/up href=/low>`,
	`<a/href=/x>`, `<a href="/x"rel="y">`, `<a href='/x`, `<a href="/&amp;x">`, "<a href=\"/\x00\">",
	"<a\thref\n=\r'/x'\f>", `<a href=/x rel>`, `<link rel="alternate stylesheet" href=x>`,
	`<meta name=robots content="none">`, `<iframe src=//x/></iframe>`, `<averyveryverylongname href=/x>`,
	`<a title="a>b" href=/x>`, `<a href="/x" / rel=next>`, `<a b c d href=/x e=f>`, `</a href=/x>`,
}

func TestScanAttrsMatchesTokenizer(t *testing.T) {
	for _, s := range tagSamples {
		compareWithTokenizer(t, []byte(s))
	}
}

func FuzzScanAttrs(f *testing.F) {
	for _, s := range tagSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		compareWithTokenizer(t, b)
	})
}

// compareWithTokenizer checks tagName and attrs against the tokenizer's
// TagName and TagAttr for every tag of page.
func compareWithTokenizer(t *testing.T, page []byte) {
	t.Helper()
	keys := [3]string{"href", "rel", "src"}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			continue
		}
		raw := string(z.Raw())
		name, n := tagName(z)
		var gotVal [3][]byte
		var gotOK [3]bool
		plain := false
		if tt != html.EndTagToken {
			gotVal, gotOK, plain = scanAttrs(z.Raw(), keys)
		}
		wantName, _ := z.TagName()
		ours := strings.ReplaceAll(string(name[:n]), "\x00", "\uFFFD")
		rawLen := len(strings.ReplaceAll(string(wantName), "\uFFFD", "\x00"))
		if n > 0 && ours != string(wantName) || n == 0 && rawLen > 0 && rawLen <= len(name) {
			t.Errorf("%q: tagName %q, tokenizer %q", raw, ours, wantName)
		}
		if tt == html.EndTagToken || !plain {
			continue
		}
		wantVal, wantOK := tokenizerAttrs(z, keys)
		for i := range keys {
			got := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(gotVal[i]))
			if gotOK[i] != wantOK[i] || got != string(wantVal[i]) {
				t.Errorf("%q: %s = %q, %v; tokenizer %q, %v", raw, keys[i], got, gotOK[i], wantVal[i], wantOK[i])
			}
		}
	}
}
