package robots

import (
	"fmt"
	"testing"
)

func TestAllowed(t *testing.T) {
	tests := []struct {
		name, rules, path string
		want              bool
	}{
		{"no rules", "", "/x", true},
		{"empty path is root", "disallow: /$\n", "", false},
		{"robots.txt always allowed", "disallow: /\n", "/robots.txt", true},
		{"robots.txt with query is not special", "disallow: /\n", "/robots.txt?x", false},
		{"prefix", "disallow: /a\n", "/ab/c", false},
		{"not a prefix", "disallow: /a\n", "/b/a", true},
		{"longest wins", "disallow: /a\nallow: /a/b\n", "/a/b/c", true},
		{"allow wins a tie", "disallow: /a\nallow: /a\n", "/a", true},
		{"wildcard", "disallow: /*.pdf\n", "/docs/x.pdf", false},
		{"wildcard in query", "disallow: /*?session=\n", "/a?b=1&session=2", true},
		{"wildcard query", "disallow: /*?*session=\n", "/a?b=1&session=2", false},
		{"anchor", "disallow: /*.pdf$\n", "/x.pdf?y", true},
		{"anchor matches", "disallow: /*.pdf$\n", "/a/x.pdf", false},
		{"anchor without wildcard", "disallow: /a$\n", "/a/", true},
		{"only anchor", "disallow: $\n", "/", true},
		{"dollar in the middle is literal", "disallow: /a$b\n", "/a$b/c", false},
		{"double star", "disallow: /a**b$\n", "/a/x/b", false},
		{"star alone", "disallow: *\n", "/anything", false},
		{"star then anchor", "disallow: /a*$\n", "/a/b", false},
		{"last segment repeats", "disallow: /*ab$\n", "/xabab", false},
		{"middle segment leftmost", "disallow: /*a*b$\n", "/a-b-a", true},
		{"overlap", "disallow: /*aa*aa$\n", "/aaa", true},
		{"overlap fits", "disallow: /*aa*aa$\n", "/aaaa", false},
		{"lower-case escape in path", "disallow: /%E3%83%84\n", "/%e3%83%84", false},
		{"lower-case escape in pattern", "disallow: /%e3%83%84\n", "/%E3%83%84", false},
		{"non-ASCII pattern, escaped path", "disallow: /ツ\n", "/%E3%83%84", false},
		{"escapes not decoded", "disallow: /%61\n", "/a", true},
		{"index.html allows the directory", "disallow: /\nallow: /d/index.html\n", "/d/", true},
		{"index.htm too", "disallow: /\nallow: /d/index.htm\n", "/d/", true},
		{"but not below it", "disallow: /\nallow: /d/index.html\n", "/d/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := Parse([]byte("user-agent: *\n" + tt.rules)).Group("crawl")
			if got := g.Allowed(tt.path); got != tt.want {
				t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

// TestMatchAgainstGoogle compares the segment matcher with a port of
// Google's Matches on patterns with many wildcards; FuzzMatch does the
// same on random input.
func TestMatchAgainstGoogle(t *testing.T) {
	patterns := []string{"", "/", "*", "$", "*$", "/a*", "/a*$", "/*a*b", "/*a*b$", "/a$b", "/a$b$",
		"**", "/*aa*aa$", "/*/*/", "/a*a*a", "a*"}
	paths := []string{"/", "/a", "/ab", "/aab", "/a/b/c", "/a$b", "/a$b$", "/aaa", "/aaaa", "/ba", "/a/a/a", ""}
	for _, pat := range patterns {
		for _, path := range paths {
			r := compile(pat, false)
			if got, want := r.match(path), googleMatches(path, pat); got != want {
				t.Errorf("match(%q, %q) = %v, want %v", path, pat, got, want)
			}
		}
	}
}

// googleMatches is RobotsMatchStrategy::Matches of google/robotstxt: it
// tracks every prefix of path that the pattern read so far can match.
func googleMatches(path, pattern string) bool {
	pos := make([]int, len(path)+1)
	n := 1
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		if c == '$' && i+1 == len(pattern) {
			return pos[n-1] == len(path)
		}
		if c == '*' {
			n = len(path) - pos[0] + 1
			for j := 1; j < n; j++ {
				pos[j] = pos[j-1] + 1
			}
			continue
		}
		m := 0
		for j := 0; j < n; j++ {
			if pos[j] < len(path) && path[pos[j]] == c {
				pos[m] = pos[j] + 1
				m++
			}
		}
		n = m
		if n == 0 {
			return false
		}
	}
	return true
}

func TestAllowedDoesNotAllocate(t *testing.T) {
	g := Parse([]byte(benchRobots)).Group("crawl")
	allocs := testing.AllocsPerRun(100, func() {
		for _, p := range benchPaths {
			g.Allowed(p)
		}
	})
	if allocs != 0 {
		t.Errorf("Allowed allocates %v times per run of %d paths", allocs, len(benchPaths))
	}
}

// benchRobots is shaped like a large site's robots.txt: a few named
// groups, then a long "*" group with prefixes, wildcards and anchors.
var benchRobots = func() string {
	s := "User-agent: GPTBot\nDisallow: /\n\nUser-agent: Googlebot\nAllow: /\n\n" +
		"User-agent: *\nCrawl-delay: 1\nAllow: /w/load.php?\nAllow: /api/rest_v1/?doc\n"
	for i := 0; i < 20; i++ {
		s += fmt.Sprintf("Disallow: /section%d/private/\nAllow: /section%d/private/public/\n", i, i)
	}
	s += "Disallow: /*?action=edit\nDisallow: /*&printable=yes$\nDisallow: /*.pdf$\n" +
		"Disallow: /search\nDisallow: /w/\nDisallow: /api/\nDisallow: /trap/*/*/*/deep\n" +
		"Sitemap: https://example.com/sitemap.xml\n"
	return s
}()

var benchPaths = []string{
	"/",
	"/wiki/Main_Page",
	"/wiki/Robots_exclusion_standard?action=edit",
	"/w/index.php?title=X&printable=yes",
	"/w/load.php?modules=site",
	"/section7/private/public/page.html",
	"/section7/private/secret.html",
	"/files/report-2026.pdf",
	"/search?q=robots",
	"/trap/a/b/c/not-so-deep/page",
}

func BenchmarkAllowed(b *testing.B) {
	g := Parse([]byte(benchRobots)).Group("crawl")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		g.Allowed(benchPaths[i%len(benchPaths)])
		i++
	}
}

func BenchmarkParse(b *testing.B) {
	body := []byte(benchRobots)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		Parse(body).Group("crawl")
	}
}
