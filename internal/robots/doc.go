// Package robots parses robots.txt files and decides which paths a crawler
// may fetch, following RFC 9309 and, where the RFC is silent, Google's
// open-source parser (github.com/google/robotstxt).
//
// # Basics
//
// Parse a host's robots.txt once, select the group for the crawler's
// product token once, then ask the group about every path:
//
//	r := robots.Parse(body)                          // body capped at 500 KiB
//	g := r.Group(robots.ProductToken(userAgent))     // "crawl/1.0 (...)" -> "crawl"
//	if g.Allowed(u.RequestURI()) { ... }
//	delay := g.CrawlDelay()
//	maps := r.Sitemaps()
//
// Group picks the groups whose user-agent line names the product token
// (case-insensitively; "FooBot/1.0" in the file names "FooBot"), merges
// them, and falls back to the "*" groups only when no group names the
// crawler. Allowed applies the longest matching pattern; Allow wins a tie;
// "*" matches any run of octets and a final "$" anchors the end. With no
// matching rule, or no group at all, everything is allowed, and
// "/robots.txt" itself is always allowed.
//
// For a robots.txt that could not be fetched, RFC 9309 section 2.3.1 asks
// for AllowAll after a 4xx status and DisallowAll after a 5xx status or a
// network error.
//
// Robots and Group values are immutable once built and safe for concurrent
// use. Patterns are compiled at Parse and Group, so Allowed does not
// allocate unless the path has lower-case percent-escapes to normalise.
//
// # Caveats
//
// The path given to Allowed must already be percent-encoded, as it is on
// the HTTP request line (url.URL.RequestURI does this). Patterns in the file
// are normalised the way Google's MaybeEscapePattern does: octets above
// 0x7F are percent-encoded and the hex digits of escapes are upper-cased,
// but escapes are never decoded, so "/%62%61%7A" does not match "/baz".
// The path's escapes are upper-cased too; its other octets are compared
// as given.
//
// Parsing never fails. Lines that are not "key: value" are skipped. Like
// Google, the parser also accepts a missing colon ("Disallow /x"), a few
// common misspellings of the keys ("useragent", "dissallow", ...), a
// leading byte order mark, CR, LF or CRLF line ends, and "*" followed by
// other text as the global user agent; it keeps at most 16663 bytes of a
// line; an Allow of ".../index.htm[l]" also allows ".../". Sitemap and
// unknown lines do not end a run of user-agent lines (RFC 9309 test
// cases require this).
//
// Crawl-delay is not part of RFC 9309 (Google ignores it). It is read as
// seconds, integer or decimal, and belongs to the group it appears in;
// unlike Google, which does not read it, this parser lets it end a run of
// user-agent lines as Allow and Disallow do, so that a "*" group holding
// only a Crawl-delay does not absorb the next group. If merged groups
// disagree, the largest value wins. A value too large for a time.Duration
// is clamped to its maximum; callers should cap it.
package robots
