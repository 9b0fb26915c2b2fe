package robots

import (
	"strings"
	"testing"
)

// FuzzParse checks that Parse and the matcher never panic, and that
// /robots.txt stays allowed whatever the file says.
func FuzzParse(f *testing.F) {
	seeds := []struct{ body, agent, path string }{
		{"", "crawl", "/"},
		{"user-agent: *\ndisallow: /\n", "crawl", "/x"},
		{"\xEF\xBB\xBFUser-Agent: crawl\r\nAllow: /a*b$\r\nDisallow: /\r\n", "crawl", "/a/b"},
		{"useragent crawl\ndissallow /x\ncrawl-delay: 0.5\nsitemap: https://x/ü\n", "CRAWL", "/x?y"},
		{"user-agent: *\nallow: /d/index.html\ndisallow: /*$\n", "", ""},
		{"user-agent: * x\ndisallow: %\ndisallow: %a\ndisallow: /%zz*\n", "crawl", "/%e3%83"},
		{"user-agent:\n:\n#\n\x00\n\r\r\n", "", "/robots.txt"},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.agent, s.path)
	}
	f.Fuzz(func(t *testing.T, body []byte, agent, path string) {
		r := Parse(body)
		g := r.Group(agent)
		g.Allowed(path)
		g.CrawlDelay()
		r.Sitemaps()
		if !g.Allowed("/robots.txt") {
			t.Errorf("/robots.txt disallowed by %q", body)
		}
	})
}

// FuzzMatch checks the segment matcher against a port of Google's.
func FuzzMatch(f *testing.F) {
	f.Add("/a*b$", "/a/b")
	f.Add("/*aa*aa$", "/aaa")
	f.Add("*$", "")
	f.Add("/a$b$", "/a$b")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if len(pattern) > 64 || len(path) > 256 || strings.Count(pattern, "*") > 8 {
			return // keep googleMatches, which is O(len(pattern)*len(path)), quick
		}
		r := compile(pattern, false)
		if got, want := r.match(path), googleMatches(path, pattern); got != want {
			t.Errorf("match(%q, %q) = %v, Google's = %v", path, pattern, got, want)
		}
	})
}
