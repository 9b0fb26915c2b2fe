package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSkipTextChangesNothing compares extraction with and without text
// skipping on every test page and on pages built to trip it up.
func TestSkipTextChangesNothing(t *testing.T) {
	base := mustParse(t, goldenBase)
	pages := map[string]string{
		"quoted >":    `<p title="a > b">x</p><a href="/x>y" title='>'>1</a> text > more <a href=/2>`,
		"script":      `<script>if (a<b && c>d) { s = "<a href=/no>" }</script><a href=/yes>`,
		"style":       `<style>a > b { }</style><a href=/yes>`,
		"comment":     `<!-- <a href=/no> > --> <a href=/yes> <!--> <a href=/yes2> <!---->`,
		"title":       `<title> A &amp; <b> B </title><a href=/t>`,
		"textarea":    `<textarea><a href=/no></textarea><a href=/yes>`,
		"plaintext":   `<a href=/1><plaintext><a href=/no>`,
		"noscript":    `<noscript><a href=/ns></noscript>`,
		"lt in text":  `a < b <a href=/1> c<d <a href=/2> e <`,
		"unclosed":    `<a href="/1" <a href=/2>`,
		"bogus":       `<!doctype html><?php x ?><!x><a href=/1></ a><a href=/2>`,
		"many gt":     strings.Repeat("x > ", 5000) + `<a href=/end>`,
		"long script": "<script>" + strings.Repeat("if (a > b) {}\n", 3000) + `</script><a href=/after>`,
		"svg title":   `<svg><title>no</title></svg><title>yes</title>`,
		"selfclosing": `<script/><a href=/in-script></script><a href=/out>`,
	}
	files, _ := filepath.Glob("testdata/*.html")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[f] = string(b)
	}
	for name, page := range pages {
		for _, ct := range []string{"text/html", "text/html; charset=utf-8"} {
			got := extractHTML([]byte(page), ct, base, true)
			want := extractHTML([]byte(page), ct, base, false)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s (%s): with skipping\n%+v\nwithout\n%+v", name, ct, got, want)
			}
		}
	}
}
