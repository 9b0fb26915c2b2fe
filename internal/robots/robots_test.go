package robots

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCrawlDelay(t *testing.T) {
	tests := []struct {
		name, robots, agent string
		want                time.Duration
	}{
		{"none", "user-agent: *\ndisallow: /x\n", "crawl", 0},
		{"integer", "user-agent: *\ncrawl-delay: 5\n", "crawl", 5 * time.Second},
		{"decimal", "user-agent: *\nCrawl-Delay: 0.5\n", "crawl", 500 * time.Millisecond},
		{"leading dot", "user-agent: *\ncrawl-delay: .25\n", "crawl", 250 * time.Millisecond},
		{"zero", "user-agent: *\ncrawl-delay: 0\n", "crawl", 0},
		{"negative", "user-agent: *\ncrawl-delay: -1\n", "crawl", 0},
		{"word", "user-agent: *\ncrawl-delay: soon\n", "crawl", 0},
		{"unit", "user-agent: *\ncrawl-delay: 10s\n", "crawl", 0},
		{"exponent", "user-agent: *\ncrawl-delay: 1e3\n", "crawl", 0},
		{"infinity", "user-agent: *\ncrawl-delay: Inf\n", "crawl", 0},
		{"two dots", "user-agent: *\ncrawl-delay: 1.2.3\n", "crawl", 0},
		{"comment", "user-agent: *\ncrawl-delay: 2 # be nice\n", "crawl", 2 * time.Second},
		{"huge is clamped", "user-agent: *\ncrawl-delay: 99999999999999999999\n", "crawl", math.MaxInt64},
		{"before any group", "crawl-delay: 5\nuser-agent: *\ndisallow: /x\n", "crawl", 0},
		{"specific group", "user-agent: *\ncrawl-delay: 9\n\nuser-agent: crawl\ncrawl-delay: 1\n", "crawl", time.Second},
		{"global group", "user-agent: *\ncrawl-delay: 9\n\nuser-agent: crawl\ncrawl-delay: 1\n", "other", 9 * time.Second},
		{"specific without delay", "user-agent: *\ncrawl-delay: 9\n\nuser-agent: crawl\ndisallow: /x\n", "crawl", 0},
		{"merged groups, largest", "user-agent: crawl\ncrawl-delay: 1\n\nuser-agent: crawl\ncrawl-delay: 3\n", "crawl", 3 * time.Second},
		{"delay ends the run", "user-agent: crawl\ncrawl-delay: 2\nuser-agent: other\ndisallow: /\n", "other", 0},
		{"delay after rules", "user-agent: crawl\ndisallow: /x\ncrawl-delay: 2\n", "crawl", 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.robots)).Group(tt.agent).CrawlDelay(); got != tt.want {
				t.Errorf("CrawlDelay() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSitemaps(t *testing.T) {
	tests := []struct {
		name, robots string
		want         []string
	}{
		{"none", "user-agent: *\ndisallow: /\n", nil},
		{"top level", "Sitemap: https://a.example/s.xml\n", []string{"https://a.example/s.xml"}},
		{"in groups and between", "user-agent: a\nsitemap: https://x/1.xml\ndisallow: /\n" +
			"SITEMAP: https://x/2.xml\nuser-agent: b\nsite-map: https://x/3.xml\n",
			[]string{"https://x/1.xml", "https://x/2.xml", "https://x/3.xml"}},
		{"duplicates dropped", "sitemap: https://x/1.xml\nsitemap: https://x/1.xml\n", []string{"https://x/1.xml"}},
		{"empty value skipped", "sitemap:\nsitemap: https://x/1.xml\n", []string{"https://x/1.xml"}},
		{"non-ASCII escaped", "sitemap: https://x/ü.xml\n", []string{"https://x/%C3%BC.xml"}},
		{"comment stripped", "sitemap: https://x/1.xml # main\n", []string{"https://x/1.xml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.robots)).Sitemaps(); !slices.Equal(got, tt.want) {
				t.Errorf("Sitemaps() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSitemapsIsACopy(t *testing.T) {
	r := Parse([]byte("sitemap: https://x/1.xml\n"))
	r.Sitemaps()[0] = "changed"
	if got := r.Sitemaps()[0]; got != "https://x/1.xml" {
		t.Errorf("Sitemaps()[0] = %q after changing a returned slice", got)
	}
}

func TestProductToken(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"crawl/1.0 (+https://x)", "crawl"},
		{"crawl", "crawl"},
		{"  crawl /1.0", "crawl"},
		{"Mozilla/5.0 (compatible; crawl/1.0)", "Mozilla"},
		{"", ""},
		{"/1.0", ""},
		{"my bot/2", "my bot"}, // not a valid token: the caller should check
	}
	for _, tt := range tests {
		if got := ProductToken(tt.ua); got != tt.want {
			t.Errorf("ProductToken(%q) = %q, want %q", tt.ua, got, tt.want)
		}
	}
}

func TestValidProductToken(t *testing.T) {
	tests := []struct {
		tok  string
		want bool
	}{
		{"crawl", true}, {"Foo-Bar_Baz", true}, {"-", true},
		{"", false}, {"crawl2", false}, {"crawl/1.0", false}, {"crawl bot", false}, {"*", false}, {"ツ", false},
	}
	for _, tt := range tests {
		if got := ValidProductToken(tt.tok); got != tt.want {
			t.Errorf("ValidProductToken(%q) = %v, want %v", tt.tok, got, tt.want)
		}
	}
}

// TestGroupSelection checks which group's rules apply, through a path
// that each group treats differently.
func TestGroupSelection(t *testing.T) {
	const twoGroups = "user-agent: *\ndisallow: /\n\nuser-agent: crawl\ndisallow: /private\n"
	tests := []struct {
		name, robots, agent, path string
		want                      bool
	}{
		{"specific wins over *", twoGroups, "crawl", "/page", true},
		{"specific rules apply", twoGroups, "crawl", "/private/x", false},
		{"others get *", twoGroups, "other", "/page", false},
		{"agent case-insensitive", twoGroups, "CRAWL", "/page", true},
		{"line case-insensitive", "user-agent: *\ndisallow: /\nuser-agent: CrAwL\nallow: /\n", "crawl", "/page", true},
		{"version on the line", "user-agent: *\ndisallow: /\nuser-agent: crawl/1.0\nallow: /\n", "crawl", "/page", true},
		{"prefix is not a match", "user-agent: crawler\ndisallow: /\n", "crawl", "/page", true},
		{"empty agent matches no line", "user-agent: \ndisallow: /\n", "", "/page", true},
		{"no applicable group", "user-agent: other\ndisallow: /\n", "crawl", "/page", true},
		{"merged groups 1", "user-agent: crawl\ndisallow: /a\n\nuser-agent: x\ndisallow: /\n\nuser-agent: crawl\ndisallow: /b\n", "crawl", "/a", false},
		{"merged groups 2", "user-agent: crawl\ndisallow: /a\n\nuser-agent: x\ndisallow: /\n\nuser-agent: crawl\ndisallow: /b\n", "crawl", "/b", false},
		{"merged groups 3", "user-agent: crawl\ndisallow: /a\n\nuser-agent: x\ndisallow: /\n\nuser-agent: crawl\ndisallow: /b\n", "crawl", "/c", true},
		{"merged longest wins", "user-agent: crawl\ndisallow: /a\n\nuser-agent: crawl\nallow: /a/b\n", "crawl", "/a/b", true},
		{"merged * groups", "user-agent: *\ndisallow: /a\n\nuser-agent: x\nallow: /\n\nuser-agent: *\ndisallow: /b\n", "crawl", "/b", false},
		{"shared group", "user-agent: a\nuser-agent: crawl\nuser-agent: b\ndisallow: /\n", "crawl", "/page", false},
		{"sitemap keeps the run", "user-agent: crawl\nsitemap: https://x/s\nuser-agent: *\ndisallow: /\n", "crawl", "/page", false},
		{"rule ends the run", "user-agent: crawl\nallow: /x\nuser-agent: *\ndisallow: /\n", "crawl", "/page", true},
		{"empty disallow ends the run", "user-agent: crawl\ndisallow:\nuser-agent: *\ndisallow: /\n", "crawl", "/page", true},
		{"named group without rules", "user-agent: *\ndisallow: /\nuser-agent: crawl\n", "crawl", "/page", true},
		{"star with text is global", "user-agent: * everyone\ndisallow: /\n", "crawl", "/page", false},
		{"star with slash is not", "user-agent: */1.0\ndisallow: /\n", "crawl", "/page", true},
		{"rules before any agent", "disallow: /\nuser-agent: crawl\nallow: /x\n", "crawl", "/page", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.robots)).Group(tt.agent).Allowed(tt.path); got != tt.want {
				t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestReadyMade(t *testing.T) {
	var nilRobots *Robots
	var nilGroup *Group
	tests := []struct {
		name string
		g    *Group
		path string
		want bool
	}{
		{"AllowAll", AllowAll().Group("crawl"), "/x", true},
		{"DisallowAll", DisallowAll().Group("crawl"), "/x", false},
		{"DisallowAll root", DisallowAll().Group("crawl"), "", false},
		{"DisallowAll robots.txt", DisallowAll().Group("crawl"), "/robots.txt", true},
		{"nil Robots", nilRobots.Group("crawl"), "/x", true},
		{"nil Group", nilGroup, "/x", true},
		{"empty file", Parse(nil).Group("crawl"), "/x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.g.Allowed(tt.path); got != tt.want {
				t.Errorf("Allowed(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	if nilGroup.CrawlDelay() != 0 || nilRobots.Sitemaps() != nil {
		t.Error("nil Group or Robots is not empty")
	}
}

// TestParseSyntax checks the lenient parsing of lines, each robots.txt
// disallowing /x for crawl if parsed as meant.
func TestParseSyntax(t *testing.T) {
	tests := []struct {
		name, robots string
		want         bool // Allowed("/x")
	}{
		{"plain", "user-agent: crawl\ndisallow: /x\n", false},
		{"BOM", "\xEF\xBB\xBFuser-agent: crawl\ndisallow: /x\n", false},
		{"partial BOM", "\xEF\xBBuser-agent: crawl\ndisallow: /x\n", false},
		{"CRLF", "user-agent: crawl\r\ndisallow: /x\r\n", false},
		{"CR", "user-agent: crawl\rdisallow: /x\r", false},
		{"no final newline", "user-agent: crawl\ndisallow: /x", false},
		{"comments", "# hello\nuser-agent: crawl # us\n# disallow: /y\ndisallow: /x # no\n", false},
		{"hash ends the pattern", "user-agent: crawl\ndisallow: /#x\nallow: /x\n", true},
		{"missing colon", "user-agent crawl\ndisallow /x\n", false},
		{"missing colon, three words", "user-agent crawl\ndisallow /x y\n", true},
		{"upper case keys", "USER-AGENT: crawl\nDISALLOW: /x\n", false},
		{"typos", "useragent: crawl\ndissallow: /x\n", false},
		{"more typos", "user agent: crawl\ndisalow: /x\n", false},
		{"spaces and tabs", "  user-agent \t:\t crawl  \n\tdisallow :  /x \t\n", false},
		{"empty disallow", "user-agent: crawl\ndisallow:\n", true},
		{"unknown key", "user-agent: crawl\nnoindex: /x\n", true},
		{"no key", "user-agent: crawl\n: /x\n", true},
		{"NUL ends the line", "user-agent: crawl\ndisallow: /x\x00yz\n", false},
		{"pattern case-sensitive", "user-agent: crawl\ndisallow: /X\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Parse([]byte(tt.robots)).Group("crawl").Allowed("/x"); got != tt.want {
				t.Errorf("Allowed(/x) = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLongLine(t *testing.T) {
	long := "/" + strings.Repeat("a", 2*maxLineLen)
	r := Parse([]byte("user-agent: crawl\ndisallow: " + long + "\n"))
	g := r.Group("crawl")
	kept := long[:maxLineLen-len("disallow: ")]
	if g.Allowed(kept) {
		t.Errorf("the kept part of a long pattern does not match")
	}
	if !g.Allowed(kept[:len(kept)-1]) {
		t.Errorf("the pattern was kept longer than %d bytes", maxLineLen)
	}
}
