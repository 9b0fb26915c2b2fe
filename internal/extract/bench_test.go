package extract

import (
	"os"
	"testing"
)

func benchmarkPage(b *testing.B, file, contentType string) {
	body, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	base := mustParse(b, goldenBase)
	links := len(HTML(body, contentType, base).Links)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		HTML(body, contentType, base)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/page")
	b.ReportMetric(float64(links), "links/page")
}

// BenchmarkHTML: an 8 KB page with 10 links and a 100 KB page with 300,
// served with a charset (the common case) and without (sniffed).
func BenchmarkHTML(b *testing.B) {
	b.Run("8KB-10links", func(b *testing.B) {
		benchmarkPage(b, "testdata/bench-8k.html", "text/html; charset=utf-8")
	})
	b.Run("100KB-300links", func(b *testing.B) {
		benchmarkPage(b, "testdata/bench-100k.html", "text/html; charset=utf-8")
	})
	b.Run("100KB-300links-sniffed", func(b *testing.B) {
		benchmarkPage(b, "testdata/bench-100k.html", "text/html")
	})
	b.Run("windows-1252", func(b *testing.B) {
		benchmarkPage(b, "testdata/windows-1252.html", "text/html")
	})
}
