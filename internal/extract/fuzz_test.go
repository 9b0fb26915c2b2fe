package extract

import (
	"os"
	"path/filepath"
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
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		checkResult(t, HTML(body, contentType, base))
	})
}
