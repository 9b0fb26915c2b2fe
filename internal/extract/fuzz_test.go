package extract

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func FuzzHTML(f *testing.F) {
	pages, _ := filepath.Glob("testdata/*.html")
	for _, p := range pages {
		if body, err := os.ReadFile(p); err == nil && len(body) < 4096 {
			f.Add(body, "text/html")
		}
	}
	f.Add([]byte(`<meta http-equiv=refresh content="0;url='x`), "")
	f.Add([]byte(`<base href=//h/><a href=\\x>`), "text/html; charset=shift_jis")
	f.Add([]byte("\xff\xfe<\x00a\x00"), "text/html; charset=utf-16")
	base := mustParse(f, goldenBase)
	f.Add([]byte(`<p title="a > b">x<a href=/1>y</a><script>if (a<b) {x="<a href=/no>"}</script>t<a href='/2>'>z`), "text/html")
	f.Add([]byte("<!-- a > <a href=/c> -->x<title>T > U</title><textarea><a href=/t></textarea><a href=/3>"), "text/html")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		got := HTML(body, contentType, base)
		checkResult(t, got)
		// Skipping text must not change anything.
		if want := extractHTML(body, contentType, base, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("with text skipping:\n%+v\nwithout:\n%+v", got, want)
		}
	})
}
