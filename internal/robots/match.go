package robots

import (
	"slices"
	"strings"
	"time"
)

// Group is the set of rules that applies to one crawler, selected from a
// Robots by Group. A nil Group allows everything. A Group is immutable and
// safe for concurrent use.
type Group struct {
	rules []rule // longest pattern first, Allow before Disallow on ties
	delay time.Duration
}

// allowEverything is the Group of a crawler that no group applies to.
var allowEverything = &Group{}

// Group selects the rules for the crawler whose product token is agent
// (see ProductToken): those of every group that names agent,
// case-insensitively, or, if no group names it, those of every "*" group.
// agent is compared whole, so "Foo Bar" matches no user-agent line. The
// result is never nil; with no applicable group it allows everything.
func (r *Robots) Group(agent string) *Group {
	if r == nil {
		return allowEverything
	}
	sel := r.selectGroups(agent)
	if len(sel) == 0 {
		return allowEverything
	}
	g := &Group{}
	for _, s := range sel {
		g.rules = append(g.rules, s.rules...)
		g.delay = max(g.delay, s.delay)
	}
	slices.SortStableFunc(g.rules, byPriority)
	return g
}

// selectGroups returns the groups naming agent, or else the global ones.
func (r *Robots) selectGroups(agent string) []*group {
	var named, global []*group
	for i := range r.groups {
		g := &r.groups[i]
		if agent != "" && g.names(agent) {
			named = append(named, g)
		} else if g.global {
			global = append(global, g)
		}
	}
	if len(named) > 0 {
		return named
	}
	return global
}

// byPriority orders rules so that the first match decides: RFC 9309 has
// the longest pattern win, and Allow win a tie.
func byPriority(a, b rule) int {
	if d := len(b.pattern) - len(a.pattern); d != 0 {
		return d
	}
	switch {
	case a.allow == b.allow:
		return 0
	case a.allow:
		return -1
	default:
		return 1
	}
}

// Allowed reports whether the group lets the crawler fetch pathAndQuery,
// the percent-encoded path and query as sent on the request line
// ("/a/b?x=1"; "" means "/"). "/robots.txt" is always allowed.
func (g *Group) Allowed(pathAndQuery string) bool {
	if g == nil || len(g.rules) == 0 {
		return true
	}
	p := normalizePath(pathAndQuery)
	if p == "/robots.txt" {
		return true
	}
	for i := range g.rules {
		if g.rules[i].match(p) {
			return g.rules[i].allow
		}
	}
	return true
}

// CrawlDelay returns the group's Crawl-delay, or 0 if it has none.
func (g *Group) CrawlDelay() time.Duration {
	if g == nil {
		return 0
	}
	return g.delay
}

// normalizePath makes "" into "/" and upper-cases the hex digits of
// percent-escapes, as patterns are, allocating only if it must.
func normalizePath(p string) string {
	if p == "" {
		return "/"
	}
	return escape(p, false)
}

// rule is an Allow or Disallow pattern, split at its wildcards.
type rule struct {
	pattern  string   // the escaped pattern; its length is its priority
	segs     []string // the literal text between '*'s, at least one
	anchored bool     // the pattern ends in '$'
	allow    bool
}

// compile splits an escaped pattern into its literal segments. Only a
// final '$' is an anchor; elsewhere '$' is literal, as for Google.
func compile(pattern string, allow bool) rule {
	body, anchored := strings.CutSuffix(pattern, "$")
	return rule{pattern: pattern, segs: strings.Split(body, "*"), anchored: anchored, allow: allow}
}

// match reports whether the rule matches path. The first segment must be
// a prefix; each middle segment is taken at its leftmost place, which
// leaves the most room for the rest; with an anchor the last segment must
// end the path.
func (r *rule) match(path string) bool {
	first := r.segs[0]
	if !strings.HasPrefix(path, first) {
		return false
	}
	if len(r.segs) == 1 {
		return !r.anchored || len(path) == len(first)
	}
	rest := path[len(first):]
	last := len(r.segs) - 1
	for _, s := range r.segs[1:last] {
		i := strings.Index(rest, s)
		if i < 0 {
			return false
		}
		rest = rest[i+len(s):]
	}
	if r.anchored {
		return strings.HasSuffix(rest, r.segs[last])
	}
	return strings.Contains(rest, r.segs[last])
}

// escape normalises percent-encoding the way Google's MaybeEscapePattern
// does: the hex digits of escapes are upper-cased ("%aa" -> "%AA") and,
// if high is set, octets above 0x7F are percent-encoded ("á" ->
// "%C3%A1"). Escapes are never decoded. s is returned as is when nothing
// changes, so the common case does not allocate.
func escape(s string, high bool) string {
	i := firstToEscape(s, high)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case isEscape(s, i):
			b.WriteByte('%')
			b.WriteByte(upperHex(s[i+1]))
			b.WriteByte(upperHex(s[i+2]))
			i += 2
		case high && c >= 0x80:
			const hex = "0123456789ABCDEF"
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// firstToEscape returns the index of the first octet escape would change,
// or -1.
func firstToEscape(s string, high bool) int {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isEscape(s, i):
			if isLowerHex(s[i+1]) || isLowerHex(s[i+2]) {
				return i
			}
			i += 2
		case high && c >= 0x80:
			return i
		}
	}
	return -1
}

// isEscape reports whether s[i:] starts with '%' and two hex digits.
func isEscape(s string, i int) bool {
	return s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' || isLowerHex(c)
}

func isLowerHex(c byte) bool { return 'a' <= c && c <= 'f' }

func upperHex(c byte) byte {
	if isLowerHex(c) {
		return c - 'a' + 'A'
	}
	return c
}
