package robots

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxLineLen is how much of a line Google's parser keeps (a buffer of
// 2083*8 bytes with a terminating NUL); the rest of the line is dropped.
const maxLineLen = 2083*8 - 1

// asciiSpace is what the parser trims around keys and values.
const asciiSpace = " \t\n\v\f\r"

// Robots is a parsed robots.txt. The zero value and nil allow everything.
// A Robots is immutable and safe for concurrent use.
type Robots struct {
	groups   []group
	sitemaps []string
}

// group is one run of user-agent lines and the rules that follow it.
type group struct {
	agents []string // product tokens named by the run, as written
	global bool     // the run has a "*" line
	rules  []rule
	delay  time.Duration
}

// names reports whether the group names the product token agent.
func (g *group) names(agent string) bool {
	for _, a := range g.agents {
		if strings.EqualFold(a, agent) {
			return true
		}
	}
	return false
}

// AllowAll returns a Robots that allows everything: what RFC 9309 asks for
// when robots.txt answers with a 4xx status.
func AllowAll() *Robots { return &Robots{} }

// DisallowAll returns a Robots that disallows everything but /robots.txt:
// what RFC 9309 asks for when robots.txt answers with a 5xx status or
// cannot be reached.
func DisallowAll() *Robots {
	return &Robots{groups: []group{{global: true, rules: []rule{compile("/", false)}}}}
}

// Sitemaps returns the Sitemap URLs found anywhere in the file, in order,
// without duplicates. They are returned as written (relative ones are not
// resolved), with non-ASCII octets percent-encoded.
func (r *Robots) Sitemaps() []string {
	if r == nil {
		return nil
	}
	return slices.Clone(r.sitemaps)
}

// Parse parses a robots.txt body. It never fails: lines it cannot make
// sense of are skipped. Callers should cap the body (RFC 9309 asks for at
// least 500 KiB to be parsed) before calling.
func Parse(body []byte) *Robots {
	p := parser{r: &Robots{}, cur: -1}
	body = trimBOM(body)
	for len(body) > 0 {
		var line []byte
		line, body = nextLine(body)
		p.parseLine(line)
	}
	return p.r
}

// trimBOM drops a UTF-8 byte order mark, or the part of one that starts
// the body, as Google's parser does.
func trimBOM(b []byte) []byte {
	const bom = "\xEF\xBB\xBF"
	i := 0
	for i < len(bom) && i < len(b) && b[i] == bom[i] {
		i++
	}
	return b[i:]
}

// nextLine splits b at the first CR or LF. A CRLF yields an empty line,
// which the parser skips like any other.
func nextLine(b []byte) (line, rest []byte) {
	i := bytes.IndexAny(b, "\r\n")
	if i < 0 {
		return b, nil
	}
	return b[:i], b[i+1:]
}

// directive is the kind of a robots.txt line.
type directive int

const (
	unknown directive = iota
	userAgent
	allow
	disallow
	sitemap
	crawlDelay
)

// directives maps lower-cased keys, with the misspellings Google accepts,
// to their directive.
var directives = map[string]directive{
	"user-agent": userAgent, "useragent": userAgent, "user agent": userAgent,
	"allow":    allow,
	"disallow": disallow, "dissallow": disallow, "dissalow": disallow,
	"disalow": disallow, "diasllow": disallow, "disallaw": disallow,
	"sitemap": sitemap, "site-map": sitemap,
	"crawl-delay": crawlDelay, "crawldelay": crawlDelay,
}

// parser holds the state of Parse between lines.
type parser struct {
	r       *Robots
	cur     int  // index of the group being built, -1 before any user-agent line
	inRules bool // a rule or Crawl-delay line was seen since the last user-agent line
}

func (p *parser) parseLine(line []byte) {
	key, value, ok := splitLine(line)
	if !ok {
		return
	}
	switch directives[strings.ToLower(string(key))] {
	case userAgent:
		p.userAgent(value)
	case allow:
		p.rule(value, true)
	case disallow:
		p.rule(value, false)
	case sitemap:
		p.sitemap(value)
	case crawlDelay:
		p.crawlDelay(value)
	}
}

// splitLine returns the trimmed key and value of a line, dropping any
// comment. Like Google's parser it accepts whitespace in place of a
// missing colon when the line has exactly two words.
func splitLine(line []byte) (key, value []byte, ok bool) {
	if len(line) > maxLineLen {
		line = line[:maxLineLen]
	}
	if i := bytes.IndexByte(line, 0); i >= 0 { // Google's lines are C strings
		line = line[:i]
	}
	if i := bytes.IndexByte(line, '#'); i >= 0 {
		line = line[:i]
	}
	line = bytes.Trim(line, asciiSpace)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		key, value = line[:i], line[i+1:]
	} else {
		i := bytes.IndexAny(line, " \t")
		if i < 0 {
			return nil, nil, false
		}
		key, value = line[:i], bytes.TrimLeft(line[i:], " \t")
		if bytes.ContainsAny(value, " \t") {
			return nil, nil, false
		}
	}
	key = bytes.Trim(key, asciiSpace)
	return key, bytes.Trim(value, asciiSpace), len(key) > 0
}

// userAgent adds an agent to the current run of user-agent lines, or
// starts a new group if rules were seen since the last one.
func (p *parser) userAgent(value []byte) {
	if p.cur < 0 || p.inRules {
		p.r.groups = append(p.r.groups, group{})
		p.cur = len(p.r.groups) - 1
		p.inRules = false
	}
	g := &p.r.groups[p.cur]
	if isGlobalAgent(value) {
		g.global = true
	} else if tok := leadingToken(value); tok != "" {
		g.agents = append(g.agents, tok)
	}
}

// isGlobalAgent reports whether a user-agent value is "*", alone or
// followed by whitespace (Google treats "* foo" as global too).
func isGlobalAgent(v []byte) bool {
	return len(v) > 0 && v[0] == '*' && (len(v) == 1 || v[1] == ' ' || v[1] == '\t')
}

// rule adds an Allow or Disallow rule to the current group. Rules before
// any user-agent line belong to no group and are dropped. An empty value
// matches nothing, but still ends the run of user-agent lines.
func (p *parser) rule(value []byte, isAllow bool) {
	if p.cur < 0 {
		return
	}
	p.inRules = true
	if len(value) == 0 {
		return
	}
	g := &p.r.groups[p.cur]
	pat := escape(string(value), true)
	g.rules = append(g.rules, compile(pat, isAllow))
	if dir, ok := indexDir(pat); isAllow && ok {
		g.rules = append(g.rules, compile(dir, true))
	}
}

// indexDir returns "/dir/$" for a pattern "/dir/index.htm..." because, as
// for Google, allowing a directory's index page allows the directory.
func indexDir(pat string) (string, bool) {
	i := strings.LastIndexByte(pat, '/')
	if i < 0 || !strings.HasPrefix(pat[i:], "/index.htm") {
		return "", false
	}
	return pat[:i+1] + "$", true
}

func (p *parser) sitemap(value []byte) {
	if len(value) == 0 {
		return
	}
	u := escape(string(value), true)
	if !slices.Contains(p.r.sitemaps, u) {
		p.r.sitemaps = append(p.r.sitemaps, u)
	}
}

// crawlDelay sets the current group's delay; the largest value wins.
// Like a rule, and unlike Sitemap, it ends the run of user-agent lines:
// "User-agent: *", "Crawl-delay: 9", "User-agent: b", "Crawl-delay: 1"
// is two groups, as their author meant.
func (p *parser) crawlDelay(value []byte) {
	if p.cur < 0 {
		return
	}
	p.inRules = true
	if d, ok := parseDelay(string(value)); ok {
		g := &p.r.groups[p.cur]
		g.delay = max(g.delay, d)
	}
}

// parseDelay reads a non-negative decimal number of seconds ("10",
// "0.5"). Values too large for a time.Duration are clamped to its maximum.
func parseDelay(s string) (time.Duration, bool) {
	if !isDecimal(s) {
		return 0, false
	}
	f, _ := strconv.ParseFloat(s, 64) // syntax checked: only ErrRange, giving +Inf
	ns := f * float64(time.Second)
	if ns >= math.MaxInt64 {
		return math.MaxInt64, true
	}
	return time.Duration(ns), true
}

// isDecimal reports whether s is digits with at most one '.', and at least
// one digit: no sign, exponent, "Inf" or "NaN".
func isDecimal(s string) bool {
	digits, dots := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.':
			dots++
		default:
			return false
		}
	}
	return digits > 0 && dots <= 1
}

// ProductToken returns the robots.txt product token of a User-Agent
// header value: the text before the first '/', trimmed of spaces, so
// "crawl/1.0 (+https://example.com/bot)" gives "crawl". Check the result
// with ValidProductToken.
func ProductToken(userAgent string) string {
	tok, _, _ := strings.Cut(userAgent, "/")
	return strings.Trim(tok, asciiSpace)
}

// ValidProductToken reports whether tok is a product token RFC 9309
// crawlers may match on: one or more of the letters a-z and A-Z, '-' and
// '_'.
func ValidProductToken(tok string) bool {
	return tok != "" && leadingToken([]byte(tok)) == tok
}

// leadingToken returns the longest prefix of v made of token characters,
// which is how a user-agent line's value names a crawler ("FooBot/1.0"
// and "FooBot bar" both name "FooBot").
func leadingToken(v []byte) string {
	i := 0
	for i < len(v) && isTokenChar(v[i]) {
		i++
	}
	return string(v[:i])
}

func isTokenChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '_'
}
