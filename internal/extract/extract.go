package extract

import (
	"bytes"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/crawlhq/crawl/internal/urlnorm"
)

// MaxTitle is the longest Title, in bytes, HTML returns; a longer one (an
// unclosed <title> swallowing the page) is cut at a character boundary.
const MaxTitle = 1024

// Link is an outlink of a page.
type Link struct {
	URL      string // absolute, canonical (urlnorm), http or https
	NoFollow bool   // every occurrence of URL had rel="nofollow"
}

// Result is what HTML extracts from a page.
type Result struct {
	Title    string // first <title> outside <svg>, UTF-8, whitespace collapsed
	Links    []Link // document order, each URL once
	NoFollow bool   // <meta name="robots"> says nofollow or none
	Charset  string // WHATWG name of the encoding used, e.g. "utf-8"
}

// IsHTML reports whether a Content-Type value is text/html or
// application/xhtml+xml, ignoring parameters and case.
func IsHTML(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.TrimSpace(mt)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// HTML extracts the title, outlinks and robots directives of an HTML page.
// body is the raw response body, which HTML does not modify; contentType is
// the Content-Type header (its charset parameter is used); base is the
// document (response) URL. With a nil base only absolute links are kept.
func HTML(body []byte, contentType string, base *url.URL) Result {
	return extractHTML(body, contentType, base, true)
}

// extractHTML is HTML; skipText turns text skipping on (see textSkipper),
// which tests compare against a plain tokenizing of every byte.
func extractHTML(body []byte, contentType string, base *url.URL, skipText bool) Result {
	name, body := sniff(body, contentType)
	if e, _ := charset.Lookup(name); e != nil && needsDecoding(name, body) {
		// WHATWG decoders do not fail: bad sequences become U+FFFD.
		if d, err := e.NewDecoder().Bytes(body); err == nil {
			body = d
		}
	}
	if b := findBase(body, base); b != nil {
		base = b // the first <base href> applies to the whole document
	}
	p := parser{base: base, res: Result{Charset: name}}
	if !skipText {
		p.run(html.NewTokenizer(bytes.NewReader(body)), nil)
		return p.res
	}
	r := &textSkipper{b: body}
	p.run(html.NewTokenizer(r), r)
	return p.res
}

// parser holds the state of one extraction.
type parser struct {
	base     *url.URL
	res      Result
	seen     map[string]int // URL -> index in res.Links
	svg      int            // depth of open <svg> elements
	inTitle  bool
	gotTitle bool
	title    []byte
}

// run reads the tokens of z, whose reader is r (nil: no text skipping).
func (p *parser) run(z *html.Tokenizer, r *textSkipper) {
	for {
		tt := z.Next()
		data := false // the tokenizer is now in the data state
		switch tt {
		case html.ErrorToken:
			p.endTitle()
			return
		case html.TextToken:
			if p.inTitle {
				p.title = append(p.title, z.Text()...)
			}
		case html.StartTagToken:
			data = !p.startTag(z, false)
		case html.SelfClosingTagToken:
			data = !p.startTag(z, true)
		case html.EndTagToken:
			p.endTag(z)
			data = true
		case html.CommentToken, html.DoctypeToken:
			data = true
		}
		if r != nil {
			r.token(len(z.Raw()), data)
		}
	}
}

// startTag handles a start tag and reports whether the tokenizer reads
// what follows it as raw text (script, style, title, ...).
func (p *parser) startTag(z *html.Tokenizer, selfClosing bool) (raw bool) {
	name, n := tagName(z)
	p.endTitle()
	switch string(name[:n]) {
	case "a", "area":
		if v, ok := attrs(z, [3]string{"href", "rel"}); ok[0] {
			p.add(v[0], ok[1] && hasToken(v[1], "nofollow"))
		}
	case "iframe", "frame":
		if v, ok := attrs(z, [3]string{"src"}); ok[0] {
			p.add(v[0], false)
		}
	case "link":
		if v, ok := attrs(z, [3]string{"href", "rel"}); ok[0] && ok[1] && isPageRel(v[1]) {
			p.add(v[0], false)
		}
	case "meta":
		p.meta(z)
	case "title":
		if p.svg == 0 && !p.gotTitle && !selfClosing {
			p.inTitle, p.gotTitle = true, true
		}
	case "svg":
		if !selfClosing {
			p.svg++
		}
	case "noscript", "noframes":
		// Their content is markup for clients without scripts or
		// frames, such as a crawler: tokenize it rather than skip it.
		z.NextIsNotRawText()
	}
	return p.inTitle || isRawText(name[:n])
}

// isRawText reports whether the tokenizer reads the content of a start
// tag of this (lower-case) name as raw text or RCDATA; noscript and
// noframes are not, since startTag tokenizes them.
func isRawText(name []byte) bool {
	switch string(name) {
	case "iframe", "noembed", "plaintext", "script", "style", "textarea", "title", "xmp":
		return true
	}
	return false
}

func (p *parser) endTag(z *html.Tokenizer) {
	name, n := tagName(z)
	switch string(name[:n]) {
	case "svg":
		if p.svg > 0 {
			p.svg--
		}
	case "title":
		p.endTitle()
	}
}

func (p *parser) meta(z *html.Tokenizer) {
	v, ok := attrs(z, [3]string{"name", "http-equiv", "content"})
	switch {
	case !ok[2]:
	case ok[0] && bytes.EqualFold(bytes.TrimSpace(v[0]), []byte("robots")):
		if hasToken(v[2], "nofollow") || hasToken(v[2], "none") {
			p.res.NoFollow = true
		}
	case ok[1] && bytes.EqualFold(bytes.TrimSpace(v[1]), []byte("refresh")):
		if ref, ok := refreshURL(v[2]); ok {
			p.add(ref, false)
		}
	}
}

// add resolves ref and appends it to the links unless already there.
func (p *parser) add(ref []byte, nofollow bool) {
	abs, ok := urlnorm.ResolveBytes(p.base, ref)
	if !ok {
		return
	}
	if i := p.find(abs); i >= 0 {
		p.res.Links[i].NoFollow = p.res.Links[i].NoFollow && nofollow
		return
	}
	if p.seen != nil {
		p.seen[abs] = len(p.res.Links)
	}
	p.res.Links = append(p.res.Links, Link{URL: abs, NoFollow: nofollow})
}

// linearMax is the number of links up to which find searches the list
// rather than a map: cheaper for the many pages with few links.
const linearMax = 32

// find returns the index of abs in the links, or -1.
func (p *parser) find(abs string) int {
	if p.seen != nil {
		if i, ok := p.seen[abs]; ok {
			return i
		}
		return -1
	}
	for i, l := range p.res.Links {
		if l.URL == abs {
			return i
		}
	}
	if len(p.res.Links) >= linearMax {
		p.seen = make(map[string]int, 4*linearMax)
		for i, l := range p.res.Links {
			p.seen[l.URL] = i
		}
	}
	return -1
}

func (p *parser) endTitle() {
	if !p.inTitle {
		return
	}
	p.inTitle = false
	p.res.Title = collapse(p.title)
	p.title = nil
}

// needsDecoding reports whether body must be decoded to become UTF-8. Pure
// ASCII reads the same in every ASCII-compatible encoding.
func needsDecoding(name string, body []byte) bool {
	switch {
	case name == "utf-8":
		return false
	case strings.HasPrefix(name, "utf-16"), name == "iso-2022-jp", name == "replacement":
		return true
	}
	return hasHighBit(body)
}
