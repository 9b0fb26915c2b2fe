package urlnorm

import "testing"

// benchRefs are typical href values of a page, in rough proportion.
var benchRefs = []string{
	"/", "/about/", "/blog/2024/05/some-post-title.html", "page2.html", "../img/logo.png",
	"?page=2", "#top", "https://www.example.com/dir/other?a=1&b=2",
	"https://other.example.org/path/to/thing", "//cdn.example.net/lib.js",
	"/search?q=go+crawler&lang=en", "mailto:info@example.com", "javascript:void(0)",
	" /spaced/link ", "/caf%c3%a9/menu", "HTTP://WWW.EXAMPLE.COM:80/Upper",
}

// BenchmarkResolve resolves the whole of benchRefs per op, like one page's
// links; ns/link is the figure to compare.
func BenchmarkResolve(b *testing.B) {
	base := mustParse(b, "https://www.example.com/dir/page.html?x=1")
	b.ReportAllocs()
	for b.Loop() {
		for _, ref := range benchRefs {
			Resolve(base, ref)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(benchRefs)), "ns/link")
}

func BenchmarkResolveKinds(b *testing.B) {
	base := mustParse(b, "https://www.example.com/dir/page.html?x=1")
	for _, tc := range []struct{ name, ref string }{
		{"relative", "../img/logo.png"},
		{"absolute", "https://other.example.org/path/to/thing?a=1"},
		{"idn", "https://bücher.example/x"},
		{"mailto", "mailto:info@example.com"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Resolve(base, tc.ref)
			}
		})
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Normalize("HTTPS://Www.Example.com:443/a/./b/../c?q=%7e#frag")
	}
}
