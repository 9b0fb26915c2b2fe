package extract

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the .golden files in testdata")

// goldenBase is the document URL of every testdata page.
const goldenBase = "https://example.com/dir/page.html"

// goldenContentType gives the Content-Type a page is served with; the
// default is "text/html" with no charset, so that sniffing decides.
var goldenContentType = map[string]string{
	"euc-kr.html": "text/html; charset=EUC-KR",
}

// TestGolden runs HTML on each testdata/*.html page and compares the result
// with the .golden file beside it. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	pages, err := filepath.Glob("testdata/*.html")
	if err != nil || len(pages) == 0 {
		t.Fatalf("no testdata pages: %v", err)
	}
	base := mustParse(t, goldenBase)
	for _, page := range pages {
		name := filepath.Base(page)
		t.Run(name, func(t *testing.T) {
			body, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			ct := goldenContentType[name]
			if ct == "" {
				ct = "text/html"
			}
			got := formatResult(HTML(body, ct, base))
			golden := strings.TrimSuffix(page, ".html") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("result differs from %s (run go test -update and review the diff):\n--- got\n%s--- want\n%s", golden, got, want)
			}
		})
	}
}

// formatResult writes a Result one field a line, then one link a line.
func formatResult(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\ncharset: %s\nnofollow: %v\nlinks: %d\n", r.Title, r.Charset, r.NoFollow, len(r.Links))
	for _, l := range r.Links {
		b.WriteString(l.URL)
		if l.NoFollow {
			b.WriteString(" nofollow")
		}
		b.WriteByte('\n')
	}
	return b.String()
}
