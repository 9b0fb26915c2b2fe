package extract

import (
	"bytes"
	"net/url"

	"golang.org/x/net/html"

	"github.com/crawlhq/crawl/internal/urlnorm"
)

// findBase returns the frozen base URL of the document: its first <base>
// with an href, resolved against the document URL, or nil when there is
// none or it does not resolve to an http(s) URL. Most pages have no <base>,
// so a byte search decides whether the tokenizing pass is needed.
func findBase(body []byte, doc *url.URL) *url.URL {
	if !hasBaseTag(body) {
		return nil
	}
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, n := tagName(z)
			switch string(name[:n]) {
			case "noscript", "noframes":
				z.NextIsNotRawText()
			case "base":
				v, ok := attrs(z, [3]string{"href"})
				if !ok[0] {
					continue
				}
				abs, resolved := urlnorm.ResolveBytes(doc, v[0])
				if !resolved {
					return nil
				}
				u, err := url.Parse(abs)
				if err != nil {
					return nil
				}
				return u
			}
		}
	}
}

func hasBaseTag(b []byte) bool {
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return false
		}
		b = b[i+1:]
		if hasPrefixFold(b, "base") && len(b) > 4 && (isSpace(b[4]) || b[4] == '/' || b[4] == '>') {
			return true
		}
	}
}
